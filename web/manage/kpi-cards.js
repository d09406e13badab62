// The period's KPI cards (`analytics.summary`). A card with a target says in words whether
// the value meets it (达标 / 未达标), and the colour only repeats what the words say.
import { html } from '/lib/ui.js';
import { api } from './api.js';
import { count, decimal, money, percent, t } from './i18n.js';
import { useLoad } from './load.js';
import { Section } from './section.js';

/** Whether a rate meets its target: true, false, or null when there is no rate to judge. */
export const meets = (value, target) => (value === null || value === undefined ? null : value >= target);

function cards(s) {
  const tt = s.tableTurnover;
  return [
    { key: 'revenue', value: money(s.revenue), sub: t('discountsSub', { v: money(s.discountTotal) }) },
    { key: 'netRevenue', value: money(s.netRevenue), sub: t('refundsSub', { v: money(s.refunds) }) },
    { key: 'orders', value: count(s.orders) },
    { key: 'averageOrderValue', value: money(s.averageOrderValue) },
    { key: 'averagePerGuest', value: money(s.averagePerGuest) },
    { key: 'guests', value: count(s.guests) },
    {
      key: 'tableTurns',
      value: decimal(tt.turns),
      sub: t('turnsSub', {
        fantai: percent(tt.fantaiRate),
        seatings: count(tt.seatings),
        minutes: tt.averageTurnMinutes === null ? '—' : Math.round(tt.averageTurnMinutes),
      }),
    },
    {
      key: 'repurchaseRate30d',
      value: percent(s.repurchaseRate30d),
      target: s.targets.repurchaseRate30d,
      rate: s.repurchaseRate30d,
    },
    {
      key: 'memberActivityRate',
      value: percent(s.memberActivityRate),
      target: s.targets.memberActivityRate,
      rate: s.memberActivityRate,
    },
    {
      key: 'pointsConsumptionRate',
      value: percent(s.pointsConsumptionRate),
      target: s.targets.pointsConsumptionRate,
      rate: s.pointsConsumptionRate,
    },
    { key: 'couponRedemptionRate', value: percent(s.couponRedemptionRate) },
    { key: 'members', value: count(s.activeMembers), sub: t('newMembersSub', { v: count(s.newMembers) }) },
  ];
}

function Card({ card }) {
  const verdict = card.target === undefined ? undefined : meets(card.rate, card.target);
  const state = verdict === undefined ? '' : verdict === null ? 'unknown' : verdict ? 'ok' : 'miss';
  return html`<article class=${`kpi ${state && `kpi-${state}`}`} data-testid=${`kpi-${card.key}`} data-state=${state || null}>
    <h3>${t(`kpi.${card.key}`)}</h3>
    <p class="kpi-value" data-testid=${`kpi-${card.key}-value`}>${card.value}</p>
    ${card.sub ? html`<p class="kpi-sub">${card.sub}</p>` : null}
    ${
      card.target === undefined
        ? null
        : html`<p class="kpi-target" data-testid=${`kpi-${card.key}-target`}>
            <span>${t('target', { v: percent(card.target) })}</span>
            <strong class="verdict">${verdict === null ? t('noVerdict') : verdict ? `✓ ${t('meets')}` : `✗ ${t('misses')}`}</strong>
          </p>`
    }
  </article>`;
}

export function KpiCards({ query, qkey }) {
  const load = useLoad(() => api.analytics.summary(query), qkey);
  return html`<${Section} id="kpis" title=${t('kpis')} csv=${{ op: 'summary', query, name: 'summary' }} load=${load}
    note=${load.data?.orders === 0 ? t('noOrders') : null}>
    ${load.data ? html`<div class="kpis">${cards(load.data).map((c) => html`<${Card} key=${c.key} card=${c} />`)}</div>` : null}
  </${Section}>`;
}
