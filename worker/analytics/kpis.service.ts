import {
  averageCents,
  type BrandTotals,
  change,
  kpiFields,
  rate,
  type SalesTotals,
  zeroSales,
} from '../../domain/analytics/kpis';
import { previousPeriod } from '../../domain/analytics/period';
import { targetsFrom } from '../../domain/analytics/targets';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import type { StoreScope } from './analytics-scope';
import { brandSettings, brandTotal } from './brand.reads';
import { brandDayEnd } from './brand-clock';
import { brandMembers, memberWindow, repurchaseWindowByStore } from './member.reads';
import { storable, storedWindow } from './member-windows';
import { hourSales, itemSales, salesByStore, salesTotal } from './sales.reads';

/*
 * KPI reports over the rollups (issue #15). Each report is one D1 round trip (`batch`): the
 * sums are GROUP BYs in D1; the formulas are `domain/analytics/kpis.ts`.
 */

export interface Period {
  from: string;
  to: string;
}

const ids = (scope: StoreScope) => scope.stores.map((s) => s.id);

/** The period's KPIs over the scope's stores, against the brand's targets. */
export async function summary(env: Env, scope: StoreScope, { from, to }: Period) {
  const d = db(env);
  const stored = storable(scope);
  const [sales, brand, first, brandCount, settings] = await d.batch([
    salesTotal(d, scope, from, to),
    brandTotal(d, scope.brandId, from, to),
    stored ? storedWindow(d, scope, to) : memberWindow(d, scope, to),
    brandMembers(d, scope.brandId, brandDayEnd(to)),
    brandSettings(d, scope.brandId),
  ]);
  // A window not stored (today's, or one a late change invalidated) is computed live.
  const window = stored && first.length === 0 ? await memberWindow(d, scope, to) : first;
  const members = {
    buyers: window[0]?.buyers ?? 0,
    repeaters: window[0]?.repeaters ?? 0,
    regulars: window[0]?.regulars ?? 0,
    brandMembers: brandCount[0]?.members ?? 0,
  };
  return {
    from,
    to,
    stores: ids(scope),
    ...kpiFields(sales[0] ?? zeroSales(), members, brand[0] as BrandTotals),
    targets: targetsFrom(json(settings[0]?.settings, {})),
  };
}

/** Dishes ranked by revenue, with their share of the period's dish revenue. */
export async function items(env: Env, scope: StoreScope, { from, to }: Period) {
  const rows = await itemSales(db(env), scope, from, to);
  const all = rows.reduce((sum, row) => sum + row.revenue, 0);
  return {
    from,
    to,
    items: rows.map((row, i) => ({
      itemId: row.itemId,
      name: row.name ?? row.itemId,
      rank: i + 1,
      quantity: row.quantity,
      revenue: row.revenue,
      share: rate(row.revenue, all) ?? 0,
      refunds: row.refunds,
      refundQuantity: row.refundQuantity,
      // Reviews rate an order, not a dish: no per-dish rating can be derived honestly yet.
      averageRating: null,
    })),
  };
}

/** The weekday × hour grid (all 168 cells, zeros included), Monday 00:00 first. */
export async function hours(env: Env, scope: StoreScope, { from, to }: Period) {
  const rows = await hourSales(db(env), scope, from, to);
  const at = new Map(rows.map((row) => [`${row.weekday}:${row.hour}`, row]));
  const cells = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const row = at.get(`${weekday}:${hour}`);
      cells.push({ weekday, hour, orders: row?.orders ?? 0, revenue: row?.revenue ?? 0 });
    }
  }
  return { from, to, cells };
}

const net = (s: SalesTotals) => s.revenue - s.refunds;
const aov = (s: SalesTotals) => averageCents(net(s), s.orders);

/** Stores ranked by net revenue (ties share a rank), with change against the previous period. */
export async function storeComparison(env: Env, scope: StoreScope, { from, to }: Period) {
  const d = db(env);
  const previous = previousPeriod(from, to);
  const [current, before, windows] = await d.batch([
    salesByStore(d, scope, from, to),
    salesByStore(d, scope, previous.from, previous.to),
    repurchaseWindowByStore(d, scope, to),
  ]);
  const now = new Map(current.map((row) => [row.storeId, row]));
  const then = new Map(before.map((row) => [row.storeId, row]));
  const window = new Map(windows.map((row) => [row.storeId, row]));
  const rows = scope.stores.map((store) => {
    const cur = now.get(store.id) ?? zeroSales();
    const prev = then.get(store.id) ?? zeroSales();
    const w = window.get(store.id);
    return {
      storeId: store.id,
      name: store.name,
      netRevenue: net(cur),
      orders: cur.orders,
      averageOrderValue: aov(cur),
      repurchaseRate30d: w ? rate(w.repeaters, w.buyers) : null,
      change: {
        netRevenue: change(net(cur), net(prev)),
        orders: change(cur.orders, prev.orders),
        averageOrderValue: change(aov(cur), aov(prev)),
      },
    };
  });
  rows.sort((a, b) => b.netRevenue - a.netRevenue || a.storeId.localeCompare(b.storeId));
  const ranked = rows.map((row, i) => ({
    ...row,
    rank: i > 0 && rows[i - 1]!.netRevenue === row.netRevenue ? 0 : i + 1,
  }));
  for (let i = 1; i < ranked.length; i++) if (ranked[i]!.rank === 0) ranked[i]!.rank = ranked[i - 1]!.rank;
  return { from, to, previous, items: ranked };
}
