import { type BrandTotals, kpiFields, type SalesTotals, zeroBrand, zeroSales } from '../../domain/analytics/kpis';
import { eachDay } from '../../domain/analytics/period';
import type { Env } from '../env';
import { db } from '../lib/db';
import type { StoreScope } from './analytics-scope';
import { brandDays } from './brand.reads';
import { brandOffsetMinutes } from './brand-clock';
import type { Period } from './kpis.service';
import { membersByJoinDay, regularDeltas, repurchaseDeltas } from './member.reads';
import { salesByStoreDay } from './sales.reads';

/**
 * One row per store per day (days without sales are zero rows), the summary's fields each.
 * Member figures are as of that day (its 30-day window, at that store); brand-wide figures
 * (points, coupons, new members, member activity) are the brand's for that day and repeat
 * on every store's row: sum the store columns, not those.
 */
export async function daily(env: Env, scope: StoreScope, { from, to }: Period) {
  const d = db(env);
  const [[sales, brand, joins], repurchase, regular] = await Promise.all([
    d.batch([
      salesByStoreDay(d, scope, from, to),
      brandDays(d, scope.brandId, from, to),
      membersByJoinDay(d, scope.brandId, brandOffsetMinutes()),
    ]),
    repurchaseDeltas(d, scope, from, to),
    regularDeltas(d, scope.brandId, from, to),
  ]);
  const salesAt = new Map<string, SalesTotals>(sales.map((row) => [`${row.storeId} ${row.day}`, row]));
  const brandAt = new Map<string, BrandTotals>(brand.map((row) => [row.day, row]));
  const deltaAt = new Map(repurchase.map((row) => [`${row.storeId} ${row.day}`, row]));
  const regularDeltaAt = new Map(regular.map((row) => [row.day, row.regulars]));

  // Members of the brand by the end of each day: a running sum over join days.
  joins.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const days = eachDay(from, to);
  const membersBy = new Map<string, number>();
  const regularsBy = new Map<string, number>();
  let running = 0;
  let regulars = 0;
  let j = 0;
  for (const day of days) {
    while (j < joins.length && joins[j]!.day <= day) running += joins[j++]!.joined;
    membersBy.set(day, running);
    regulars += regularDeltaAt.get(day) ?? 0;
    regularsBy.set(day, regulars);
  }

  const rows = [];
  for (const store of scope.stores) {
    // Running sums of the interval marks: members counting on each day at this store.
    let buyers = 0;
    let repeaters = 0;
    for (const day of days) {
      const key = `${store.id} ${day}`;
      const delta = deltaAt.get(key);
      buyers += delta?.buyers ?? 0;
      repeaters += delta?.repeaters ?? 0;
      const members = {
        buyers,
        repeaters,
        regulars: regularsBy.get(day) ?? 0,
        brandMembers: membersBy.get(day) ?? 0,
      };
      const fields = kpiFields(salesAt.get(key) ?? zeroSales(), members, brandAt.get(day) ?? zeroBrand());
      rows.push({ storeId: store.id, day, ...fields });
    }
  }
  return { from, to, items: rows };
}
