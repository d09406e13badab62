// Top dishes of the period (`analytics.items`): rank, quantity, revenue and its share (a bar
// and the number), refunds, and the average rating once reviews exist. Ten first, then all.
import { html, useState } from '/lib/ui.js';
import { api } from './api.js';
import { count, money, percent, t } from './i18n.js';
import { useLoad } from './load.js';
import { Section } from './section.js';

const FIRST = 10;

export function TopDishes({ query, qkey }) {
  const load = useLoad(() => api.analytics.items(query), qkey);
  const [all, setAll] = useState(false);
  const items = load.data?.items ?? [];
  const shown = all ? items : items.slice(0, FIRST);
  return html`<${Section} id="items" title=${t('topDishes')} csv=${{ op: 'items', query, name: 'items' }} load=${load}
    empty=${items.length === 0}>
    <div class="table-wrap">
      <table class="grid-table">
        <thead><tr>
          <th scope="col">#</th><th scope="col">${t('dish')}</th><th scope="col" class="num">${t('quantity')}</th>
          <th scope="col" class="num">${t('revenue')}</th><th scope="col">${t('share')}</th>
          <th scope="col" class="num">${t('refunds')}</th><th scope="col" class="num">${t('rating')}</th>
        </tr></thead>
        <tbody>${shown.map(
          (i) => html`<tr key=${i.itemId}>
            <td>${i.rank}</td><th scope="row">${i.name}</th><td class="num">${count(i.quantity)}</td>
            <td class="num">${money(i.revenue)}</td>
            <td><span class="share"><span class="share-bar" style=${`width:${Math.min(100, i.share * 100).toFixed(1)}%`}></span>${percent(i.share)}</span></td>
            <td class="num">${i.refundQuantity ? `${count(i.refundQuantity)} · ${money(i.refunds)}` : '—'}</td>
            <td class="num">${i.averageRating === null ? '—' : `★ ${i.averageRating.toFixed(1)}`}</td>
          </tr>`,
        )}</tbody>
      </table>
    </div>
    ${items.length > FIRST ? html`<button type="button" class="btn link" onClick=${() => setAll(!all)}>${all ? t('showFewer') : t('showAll', { n: items.length })}</button>` : null}
  </${Section}>`;
}
