// Store comparison (`analytics.stores`): rank by net revenue and the change against the
// previous period of the same length, written with an arrow and a sign (not colour alone).
import { html } from '/lib/ui.js';
import { api } from './api.js';
import { change, count, money, percent, t } from './i18n.js';
import { useLoad } from './load.js';
import { Section } from './section.js';

const trend = (rel) => (rel === null || rel === undefined || rel === 0 ? 'flat' : rel > 0 ? 'up' : 'down');

function Delta({ rel }) {
  return html`<span class=${`delta delta-${trend(rel)}`}>${change(rel)}</span>`;
}

export function StoreTable({ query, qkey }) {
  const load = useLoad(() => api.analytics.stores(query), qkey);
  const d = load.data;
  const items = d?.items ?? [];
  return html`<${Section} id="stores" title=${t('storeComparison')} csv=${{ op: 'stores', query, name: 'stores' }} load=${load}
    note=${d ? t('comparedWith', { from: d.previous.from, to: d.previous.to }) : null} empty=${items.length === 0}>
    <div class="table-wrap">
      <table class="grid-table">
        <thead><tr>
          <th scope="col">${t('rank')}</th><th scope="col">${t('store')}</th>
          <th scope="col" class="num">${t('kpi.netRevenue')}</th><th scope="col" class="num">${t('kpi.orders')}</th>
          <th scope="col" class="num">${t('kpi.averageOrderValue')}</th><th scope="col" class="num">${t('kpi.repurchaseRate30d')}</th>
        </tr></thead>
        <tbody>${items.map(
          (s) => html`<tr key=${s.storeId} data-store=${s.storeId}>
            <td>${s.rank}</td><th scope="row">${s.name}</th>
            <td class="num">${money(s.netRevenue)}<br /><${Delta} rel=${s.change.netRevenue} /></td>
            <td class="num">${count(s.orders)}<br /><${Delta} rel=${s.change.orders} /></td>
            <td class="num">${money(s.averageOrderValue)}<br /><${Delta} rel=${s.change.averageOrderValue} /></td>
            <td class="num">${percent(s.repurchaseRate30d)}</td>
          </tr>`,
        )}</tbody>
      </table>
    </div>
  </${Section}>`;
}
