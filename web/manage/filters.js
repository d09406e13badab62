// What the console shows: which stores (none picked = all the account may see) and which
// period (presets, or a custom from/to). The console keeps both in the address.
import { html, useState } from '/lib/ui.js';
import { t } from './i18n.js';
import { PRESETS, rangeProblem } from './period.js';

function StorePicker({ stores, picked, onChange }) {
  const all = picked.length === 0;
  const toggle = (id) => {
    const next = picked.includes(id) ? picked.filter((x) => x !== id) : [...picked, id];
    // Picking every store one by one is the same as "all stores".
    onChange(next.length === stores.length ? [] : next);
  };
  if (stores.length <= 1) return html`<p class="stores-one">${stores[0]?.name ?? ''}</p>`;
  return html`<div class="chips" role="group" aria-label=${t('stores')} data-testid="store-picker">
    <button type="button" class="chip" aria-pressed=${all} onClick=${() => onChange([])} data-store="">${t('allStores')}</button>
    ${stores.map(
      (s) => html`<button type="button" class="chip" key=${s.id} aria-pressed=${!all && picked.includes(s.id)}
        data-store=${s.id} onClick=${() => (all ? onChange([s.id]) : toggle(s.id))}>${s.name}</button>`,
    )}
  </div>`;
}

function CustomRange({ selection, onApply }) {
  const [from, setFrom] = useState(selection.from);
  const [to, setTo] = useState(selection.to);
  const problem = rangeProblem(from, to);
  const apply = (e) => {
    e.preventDefault();
    if (!problem) onApply({ preset: 'custom', from, to });
  };
  return html`<form class="custom-range" onSubmit=${apply}>
    <label>${t('from')} <input type="date" value=${from} max=${to} onInput=${(e) => setFrom(e.currentTarget.value)} data-testid="range-from" /></label>
    <label>${t('to')} <input type="date" value=${to} min=${from} onInput=${(e) => setTo(e.currentTarget.value)} data-testid="range-to" /></label>
    <button type="submit" class="btn primary" disabled=${Boolean(problem)}>${t('apply')}</button>
    ${problem ? html`<span class="problem-inline" role="alert">${t(problem)}</span>` : null}
  </form>`;
}

/** `selection`: `{ preset, from, to, storeIds }`; `onChange(partial)` merges into it. */
export function Filters({ stores, selection, onChange }) {
  const [custom, setCustom] = useState(selection.preset === 'custom');
  const pick = (preset) => {
    if (preset === 'custom') return setCustom(true);
    setCustom(false);
    onChange({ preset });
  };
  return html`<div class="filters">
    <${StorePicker} stores=${stores} picked=${selection.storeIds} onChange=${(storeIds) => onChange({ storeIds })} />
    <div class="chips" role="group" aria-label=${t('period')} data-testid="period-picker">
      ${PRESETS.map(
        (p) => html`<button type="button" class="chip" key=${p} data-period=${p}
          aria-pressed=${p === 'custom' ? custom : !custom && selection.preset === p} onClick=${() => pick(p)}>${t(`period.${p}`)}</button>`,
      )}
    </div>
    ${custom ? html`<${CustomRange} key=${`${selection.from}:${selection.to}`} selection=${selection} onApply=${onChange} />` : null}
    <p class="range" data-testid="range">${selection.from === selection.to ? selection.from : `${selection.from} – ${selection.to}`}</p>
  </div>`;
}
