// The frame of every console section: a heading, its CSV download or other tools, and one way to show
// loading, a failure (the problem's detail and a retry) and "nothing in this period".
import { html } from '/lib/ui.js';
import { problemText } from './api.js';
import { CsvLink } from './csv.js';
import { t } from './i18n.js';

export function Section({ id, title, note, csv, tools, load, empty, emptyText, children }) {
  let body;
  if (load.error)
    body = html`<div class="problem" role="alert" data-testid=${`${id}-error`}>
      <p>${t('loadFailed')}: ${problemText(load.error)}</p>
      <button type="button" class="btn" onClick=${load.retry}>${t('retry')}</button>
    </div>`;
  else if (!load.data) body = html`<p class="muted" role="status">${t('loading')}</p>`;
  else if (empty) body = html`<p class="empty" data-testid=${`${id}-empty`}>${emptyText ?? t('noData')}</p>`;
  else body = children;
  return html`<section class=${`panel ${load.loading && load.data ? 'stale' : ''}`} id=${id} data-testid=${id} aria-labelledby=${`${id}-title`} aria-busy=${load.loading}>
    <header class="panel-head">
      <h2 id=${`${id}-title`}>${title}</h2>
      ${csv ? html`<${CsvLink} ...${csv} />` : null}
      ${tools ?? null}
    </header>
    ${note ? html`<p class="note">${note}</p>` : null}
    ${body}
  </section>`;
}
