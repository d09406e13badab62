// "Download CSV" for a table: the same analytics call with `format=csv`, fetched with the
// signed-in token (a plain link would carry none) and saved as a file from a blob.
import { html, useState } from '/lib/ui.js';
import { api, problemText } from './api.js';
import { t } from './i18n.js';

function queryString(query) {
  const q = new URLSearchParams({ from: query.from, to: query.to, format: 'csv' });
  for (const id of query.storeId ?? []) q.append('storeId', id);
  return q.toString();
}

/** `op`: `summary` | `daily` | `items` | `hours` | `stores`; `query`: `{ from, to, storeId? }`. */
export function CsvLink({ op, query, name }) {
  const [state, setState] = useState({ busy: false, error: null });
  const file = `${name}-${query.from}_${query.to}.csv`;
  const save = async (event) => {
    event.preventDefault();
    setState({ busy: true, error: null });
    try {
      const text = await api.analytics[op]({ ...query, format: 'csv' });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const a = Object.assign(document.createElement('a'), { href: url, download: file });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: problemText(e) });
    }
  };
  return html`<span class="csv">
    <a href=${`/v1/admin/analytics/${op}?${queryString(query)}`} download=${file} onClick=${save} data-testid=${`csv-${op}`} aria-busy=${state.busy}>${t('csv')}</a>
    ${state.error ? html`<span class="problem-inline" role="alert">${state.error}</span>` : null}
  </span>`;
}
