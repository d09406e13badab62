// When guests order: a weekday × hour grid (`analytics.hours`, store-local time) as a CSS
// grid. Darker is busier; every cell also carries its numbers in words for screen readers
// and on hover, and the busiest hour is written out under the grid.
import { html } from '/lib/ui.js';
import { api } from './api.js';
import { count, money, t } from './i18n.js';
import { useLoad } from './load.js';
import { Section } from './section.js';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

/** `grid[weekday - 1][hour]` = `{ orders, revenue }`, zero where the API sent no cell. */
export function toGrid(cells) {
  const grid = WEEKDAYS.map(() => HOURS.map(() => ({ orders: 0, revenue: 0 })));
  for (const c of cells) {
    const row = grid[c.weekday - 1];
    if (row?.[c.hour])
      row[c.hour] = { orders: row[c.hour].orders + c.orders, revenue: row[c.hour].revenue + c.revenue };
  }
  return grid;
}

function Grid({ cells }) {
  const grid = toGrid(cells);
  let max = 0;
  let busiest = null;
  for (const [w, row] of grid.entries())
    for (const [h, c] of row.entries())
      if (c.orders > max) {
        max = c.orders;
        busiest = { weekday: w + 1, hour: h, ...c };
      }
  return html`<div class="heat-wrap">
      <div class="heat" role="table" aria-label=${t('hoursLabel')}>
        <span class="heat-corner" role="columnheader"></span>
        ${HOURS.map((h) => html`<span class="heat-hour" role="columnheader">${h % 3 === 0 ? h : ''}</span>`)}
        ${grid.map(
          (row, w) => html`<span class="heat-day" role="rowheader">${t(`wd${w + 1}`)}</span>
            ${row.map((c, h) => {
              const level = max ? c.orders / max : 0;
              const label = t('heatCell', {
                day: t(`wd${w + 1}`),
                hour: h,
                orders: count(c.orders),
                revenue: money(c.revenue),
              });
              return html`<span class="heat-cell" role="cell" title=${label} aria-label=${label}
                style=${`--level:${level.toFixed(3)}`} data-level=${level > 0.66 ? 'high' : level > 0.33 ? 'mid' : level > 0 ? 'low' : 'none'}></span>`;
            })}`,
        )}
      </div>
    </div>
    <p class="heat-legend"><span class="swatch" style="--level:0.1"></span>${t('fewer')}<span class="swatch" style="--level:1"></span>${t('more')}</p>
    ${busiest ? html`<p class="note">${t('busiest', { day: t(`wd${busiest.weekday}`), hour: busiest.hour, orders: count(busiest.orders) })}</p>` : null}`;
}

export function HourHeatmap({ query, qkey }) {
  const load = useLoad(() => api.analytics.hours(query), qkey);
  const cells = load.data?.cells ?? [];
  return html`<${Section} id="hours" title=${t('hours')} csv=${{ op: 'hours', query, name: 'hours' }} load=${load}
    empty=${!cells.some((c) => c.orders > 0)}>
    <${Grid} cells=${cells} />
  </${Section}>`;
}
