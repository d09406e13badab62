import { type BrandTotals, kpiFields, type SalesTotals, zeroBrand, zeroSales } from '../../domain/analytics/kpis';
import { eachDay } from '../../domain/analytics/period';
import type { Env } from '../env';
import { db } from '../lib/db';
import type { StoreScope } from './analytics-scope';
import { brandDays } from './brand.reads';
import { brandOffsetMinutes } from './brand-clock';
import type { Period } from './kpis.service';
import { membersByJoinDay, regularsByDay, repurchaseWindowsByStoreDay } from './member.reads';
import { salesByStoreDay } from './sales.reads';

/**
 * One row per store per day (days without sales are zero rows), the summary's fields each.
 * Member figures are as of that day (its 30-day window, at that store); brand-wide figures
 * (points, coupons, new members, member activity) are the brand's for that day and repeat
 * on every store's row: sum the store columns, not those.
 */
export async function daily(env: Env, scope: StoreScope, { from, to }: Period) {
  const d = db(env);
  const [sales, brand, windows, regular, joins] = await d.batch([
    salesByStoreDay(d, scope, from, to),
    brandDays(d, scope.brandId, from, to),
    repurchaseWindowsByStoreDay(d, scope, from, to),
    regularsByDay(d, scope.brandId, from, to),
    membersByJoinDay(d, scope.brandId, brandOffsetMinutes()),
  ]);
  const salesAt = new Map<string, SalesTotals>(sales.map((row) => [`${row.storeId} ${row.day}`, row]));
  const windowAt = new Map(windows.map((row) => [`${row.storeId} ${row.day}`, row]));
  const brandAt = new Map<string, BrandTotals>(brand.map((row) => [row.day, row]));
  const regularsAt = new Map(regular.map((row) => [row.day, row.regulars]));

  // Members of the brand by the end of each day: a running sum over join days.
  joins.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const days = eachDay(from, to);
  const membersBy = new Map<string, number>();
  let running = 0;
  let j = 0;
  for (const day of days) {
    while (j < joins.length && joins[j]!.day <= day) running += joins[j++]!.joined;
    membersBy.set(day, running);
  }

  const rows = [];
  for (const store of scope.stores) {
    for (const day of days) {
      const key = `${store.id} ${day}`;
      const window = windowAt.get(key);
      const members = {
        buyers: window?.buyers ?? 0,
        repeaters: window?.repeaters ?? 0,
        regulars: regularsAt.get(day) ?? 0,
        brandMembers: membersBy.get(day) ?? 0,
      };
      const fields = kpiFields(salesAt.get(key) ?? zeroSales(), members, brandAt.get(day) ?? zeroBrand());
      rows.push({ storeId: store.id, day, ...fields });
    }
  }
  return { from, to, items: rows };
}
