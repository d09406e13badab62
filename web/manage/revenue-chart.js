// Revenue by day (`analytics.daily`, one row per store per day), summed per day across the
// chosen stores and drawn with uPlot: net revenue as bars, orders as a line on its own axis.
// Days without a row are drawn as zero so a quiet day shows as a gap, not as a missing day.

import { html, useEffect, useMemo, useRef } from '/lib/ui.js';
import uPlot from '/lib/uplot.js';
import { api } from './api.js';
import { count, money, moneyShort, t } from './i18n.js';
import { useLoad } from './load.js';
import { daysBetween } from './period.js';
import { Section } from './section.js';

/** Per day across stores: `{ days, netRevenue, revenue, orders }` (arrays aligned by day). */
export function sumByDay(rows, from, to) {
  const days = daysBetween(from, to);
  const at = new Map(days.map((d, i) => [d, i]));
  const netRevenue = days.map(() => 0);
  const revenue = days.map(() => 0);
  const orders = days.map(() => 0);
  for (const r of rows) {
    const i = at.get(r.day);
    if (i === undefined) continue;
    netRevenue[i] += r.netRevenue;
    revenue[i] += r.revenue;
    orders[i] += r.orders;
  }
  return { days, netRevenue, revenue, orders };
}

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#c8452b';

function Chart({ series }) {
  const box = useRef(null);
  useEffect(() => {
    const el = box.current;
    const x = series.days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000);
    const width = () => Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 240,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'UTC'),
        cursor: { drag: { x: false, y: false } },
        legend: { show: true },
        scales: {
          // Half a day of room either side, so the first and last bars are whole.
          x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 100] },
        },
        axes: [
          {},
          { values: (_u, ticks) => ticks.map((v) => moneyShort(v)), size: 64 },
          { side: 1, scale: 'orders', grid: { show: false }, size: 40 },
        ],
        series: [
          { label: t('day'), value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
          {
            label: t('kpi.netRevenue'),
            stroke: css('--brand'),
            fill: `${css('--brand')}99`,
            paths: uPlot.paths.bars({ size: [0.7, 40] }),
            points: { show: false },
            value: (_u, v) => (v === null ? '—' : money(v)),
          },
          {
            label: t('kpi.orders'),
            scale: 'orders',
            stroke: css('--ink'),
            width: 2,
            value: (_u, v) => (v === null ? '—' : count(v)),
          },
        ],
      },
      [x, series.netRevenue, series.orders],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [series]);
  return html`<div class="chart" ref=${box} data-testid="revenue-chart" role="img" aria-label=${t('revenueChartLabel')}></div>`;
}

export function RevenueChart({ query, qkey }) {
  const load = useLoad(() => api.analytics.daily(query), qkey);
  const rows = load.data?.items;
  const series = useMemo(() => (rows ? sumByDay(rows, query.from, query.to) : null), [rows, query.from, query.to]);
  const total = series ? series.netRevenue.reduce((a, b) => a + b, 0) : 0;
  const best = series?.days[series.netRevenue.indexOf(Math.max(...series.netRevenue))];
  return html`<${Section} id="daily" title=${t('revenueByDay')} csv=${{ op: 'daily', query, name: 'daily' }} load=${load}
    empty=${series && !series.orders.some((n) => n > 0) && total === 0}>
    ${
      series
        ? html`<${Chart} series=${series} />
      <p class="note">${t('revenueChartSummary', { total: money(total), best })}</p>`
        : null
    }
  </${Section}>`;
}
