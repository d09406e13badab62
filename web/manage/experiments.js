// Experiments (`admin.listExperiments` + `admin.getExperimentResults`): each variant's
// exposures, conversions and rate with its 95 % interval, and its difference from the control
// with the difference's interval, said in words as well (higher, lower, or not yet
// distinguishable), so a manager does not read a noisy gap as a win. Brand-wide, like the
// campaigns: a store manager gets no section at all.
import { html } from '/lib/ui.js';
import { api, isForbidden } from './api.js';
import { count, percent, t } from './i18n.js';
import { useLoad } from './load.js';
import { Section } from './section.js';

const SHOWN = 6;
const order = { running: 0, stopped: 1, draft: 2 };

async function loadExperiments() {
  const [{ experiments }, holdout] = await Promise.all([
    api.admin.listExperiments(),
    api.admin.getCampaignHoldout().catch(() => null),
  ]);
  const chosen = [...experiments]
    .sort((a, b) => order[a.status] - order[b.status] || b.createdAt.localeCompare(a.createdAt))
    .slice(0, SHOWN);
  const results = await Promise.all(
    chosen.map((e) =>
      e.status === 'draft' ? null : api.admin.getExperimentResults({ experimentId: e.id }).catch(() => null),
    ),
  );
  return { rows: chosen.map((e, i) => ({ experiment: e, results: results[i] })), holdout };
}

/** "12.0%–15.6%": an interval of rates. */
const range = (i) => `${percent(i.low)} – ${percent(i.high)}`;
/** Percentage points with their sign: 0.031 → "+3.1". */
const pp = (x) => `${x > 0 ? '+' : ''}${(Math.round(x * 1000) / 10).toFixed(1)}`;

/** Higher or lower only when the whole interval of the difference is on one side of zero. */
const verdictOf = (d) => (d.low > 0 ? 'up' : d.high < 0 ? 'down' : 'flat');

function Interval({ interval, scale }) {
  const left = (interval.low / scale) * 100;
  const width = Math.max(1, ((interval.high - interval.low) / scale) * 100);
  return html`<span class="ci-bar" aria-hidden="true"><span style=${`left:${left}%;width:${width}%`}></span></span>`;
}

function Results({ results }) {
  const scale = Math.max(0.05, ...results.variants.map((v) => v.interval.high));
  return html`<table class="grid-table" data-testid="experiment-results">
    <thead><tr>
      <th scope="col">${t('variant')}</th><th scope="col" class="num">${t('exposed')}</th>
      <th scope="col" class="num">${t('converted')}</th><th scope="col" class="num">${t('conversionRate')}</th>
      <th scope="col">${t('interval95')}</th><th scope="col">${t('vsControl')}</th>
    </tr></thead>
    <tbody>${results.variants.map((v) => {
      const verdict = v.vsControl && verdictOf(v.vsControl);
      return html`<tr key=${v.key} data-testid="experiment-variant" data-variant=${v.key}>
        <th scope="row">${v.key}${v.control ? html` <small class="muted">${t('control')}</small>` : null}</th>
        <td class="num">${count(v.exposed)}</td><td class="num">${count(v.converted)}</td>
        <td class="num" data-testid="variant-rate">${percent(v.rate)}</td>
        <td data-testid="variant-interval">${range(v.interval)} <${Interval} interval=${v.interval} scale=${scale} /></td>
        <td data-testid="variant-diff">${
          v.vsControl
            ? html`<span class=${`delta delta-${verdict}`}>${pp(v.vsControl.diff)} ${t('pp')}</span>
                <small class="muted">(${pp(v.vsControl.low)} … ${pp(v.vsControl.high)})</small>
                ${' '}<span data-testid="variant-verdict">${t(`verdict.${verdict}`)}</span>`
            : '—'
        }</td>
      </tr>`;
    })}</tbody>
  </table>`;
}

export function Experiments() {
  const load = useLoad(loadExperiments, 'experiments');
  if (load.error && isForbidden(load.error)) return null;
  const rows = load.data?.rows ?? [];
  const holdout = load.data?.holdout?.percent ?? 0;
  const note = `${t('experimentsNote')}${holdout > 0 ? ` ${t('brandHoldout', { p: holdout })}` : ''}`;
  return html`<${Section} id="experiments" title=${t('experiments')} note=${note} load=${load}
    empty=${rows.length === 0} emptyText=${t('noExperiments')}>
    ${rows.map(
      ({
        experiment: e,
        results,
      }) => html`<article class="experiment" key=${e.id} data-testid="experiment" data-key=${e.key}>
        <h3>${e.name} <small class="muted">${e.key} · ${t(`kind.${e.kind}`)} · ${t(`expStatus.${e.status}`)}</small></h3>
        ${
          results
            ? html`<div class="table-wrap"><${Results} results=${results} /></div>`
            : html`<p class="muted">${e.status === 'draft' ? t('experimentDraft') : t('metricsUnavailable')}</p>`
        }
      </article>`,
    )}
  </${Section}>`;
}
