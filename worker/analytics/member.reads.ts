import { and, between, count, eq, isNull, lt, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { ACTIVE_DAYS } from '../../domain/analytics/kpis';
import { memberWindowStart } from '../../domain/analytics/period';
import { analyticsMemberDays as m, members } from '../../schema/d1/tables';
import type { Db } from '../lib/db';
import type { StoreScope } from './analytics-scope';
import { inStores } from './sales.reads';

/*
 * Member figures from purchase days (one row per member, store and day: several orders on a
 * day are one visit). Windows are the 30 days ending a given day; D1 does the counting. Built
 * with the query builder (not raw `sql` statements) so they ride in one `batch`.
 */

const repeaters = (n: SQLWrapper) => sql<number>`COALESCE(SUM(${n} >= 2), 0)`;

const inWindow = (scope: StoreScope, to: string) =>
  and(eq(m.brandId, scope.brandId), between(m.day, memberWindowStart(to), to), inStores(m.storeId, scope));

const inBrandWindow = (brandId: string, to: string) =>
  and(eq(m.brandId, brandId), between(m.day, memberWindowStart(to), to));

/** Each member's distinct purchase days in the window (`scope` narrows to its stores). */
function daysPerMember(d: Db, where: ReturnType<typeof and>, alias: string) {
  return d
    .select({ memberId: m.memberId, n: sql<number>`COUNT(DISTINCT ${m.day})`.as('n') })
    .from(m)
    .where(where)
    .groupBy(m.memberId)
    .as(alias);
}

/**
 * The member figures as of `to` (`MemberTotals` without the brand's member count): buyers and
 * repeaters (≥ 2 distinct days) in the 30 days ending `to` at the scope's stores, and the
 * brand's regulars (≥ 3 distinct days at any store). For the whole brand one pass over the
 * window gives all three; a narrower scope counts its buyers apart.
 */
export function memberWindow(d: Db, scope: StoreScope, to: string) {
  const brand = daysPerMember(d, inBrandWindow(scope.brandId, to), 'brand');
  if (scope.all) {
    return d
      .select({
        buyers: count(),
        repeaters: repeaters(brand.n),
        regulars: sql<number>`COALESCE(SUM(${brand.n} >= ${ACTIVE_DAYS}), 0)`,
      })
      .from(brand);
  }
  const per = daysPerMember(d, inWindow(scope, to), 'per');
  const rep = d
    .select({ buyers: count().as('buyers'), repeaters: repeaters(per.n).as('repeaters') })
    .from(per)
    .as('rep');
  const reg = d
    .select({ regulars: sql<number>`COALESCE(SUM(${brand.n} >= ${ACTIVE_DAYS}), 0)`.as('regulars') })
    .from(brand)
    .as('reg');
  return d.select({ buyers: rep.buyers, repeaters: rep.repeaters, regulars: reg.regulars }).from(rep).crossJoin(reg);
}

/** The same per store (a store's rows are already one per member and day). */
export function repurchaseWindowByStore(d: Db, scope: StoreScope, to: string) {
  const per = d
    .select({ storeId: m.storeId, n: count().as('n') })
    .from(m)
    .where(inWindow(scope, to))
    .groupBy(m.storeId, m.memberId)
    .as('per');
  return d
    .select({ storeId: per.storeId, buyers: count(), repeaters: repeaters(per.n) })
    .from(per)
    .groupBy(per.storeId);
}

/** Members of the brand, not erased, who had joined before `cutoff` (epoch ms). */
export const brandMembers = (d: Db, brandId: string, cutoff: number) =>
  d
    .select({ members: count() })
    .from(members)
    .where(and(eq(members.brandId, brandId), isNull(members.deletedAt), lt(members.createdAt, cutoff)));

/** Members (not erased) by the brand-local day they joined, for a running count. */
export function membersByJoinDay(d: Db, brandId: string, offsetMinutes: number) {
  const day = sql<string>`date((${members.createdAt} / 1000) + ${offsetMinutes * 60}, 'unixepoch')`;
  return d
    .select({ day, joined: count() })
    .from(members)
    .where(and(eq(members.brandId, brandId), isNull(members.deletedAt)))
    .groupBy(day);
}

/*
 * Daily rows need each day's own 30-day window. Rather than join every day to its window (30×
 * the rows), each purchase day x of a member (the visit before it l1, the one before that l2,
 * the next one nxt) marks the days D it makes the member count: from x until the next visit,
 * while the k-th latest visit is still within 29 days, i.e. D ∈ [x, min(nxt − 1, l(k−1) + 29)].
 * These intervals never overlap for one member, so a day's count is the number of intervals
 * covering it: +1 where one starts, −1 the day after it ends, summed in day order (in JS).
 * k = 1: buyers, k = 2: repeaters (per store); k = 3: the brand's regulars (distinct days).
 */

export interface Delta {
  storeId: string;
  day: string;
  buyers: number;
  repeaters: number;
}

const clip = (from: string, to: string, start: SQL, end: SQL) => ({
  start: sql`MAX(${start}, ${from})`,
  end: sql`MIN(${end}, ${to})`,
});

/** Per store and day: buyers and repeaters starting (+) or ending (−, on the day after) there. */
export function repurchaseDeltas(d: Db, scope: StoreScope, from: string, to: string) {
  const nextEnd = sql`COALESCE(date(nxt, '-1 day'), '9999-12-31')`;
  const b = clip(from, to, sql`day`, sql`MIN(${nextEnd}, date(day, '+29 days'))`);
  const r = clip(from, to, sql`day`, sql`MIN(${nextEnd}, date(l1, '+29 days'))`);
  return d.all<Delta>(sql`
    WITH v AS (
      SELECT ${m.storeId} AS store_id, ${m.day} AS day,
        LAG(${m.day}) OVER w AS l1, LEAD(${m.day}) OVER w AS nxt
      FROM ${m}
      WHERE ${m.brandId} = ${scope.brandId} AND ${m.day} BETWEEN ${memberWindowStart(from)} AND ${to}
        AND ${inStores(m.storeId, scope)}
      WINDOW w AS (PARTITION BY ${m.storeId}, ${m.memberId} ORDER BY ${m.day})),
    marks AS (
      SELECT store_id, ${b.start} AS day, 1 AS b, 0 AS r FROM v WHERE ${b.start} <= ${b.end}
      UNION ALL SELECT store_id, date(${b.end}, '+1 day'), -1, 0 FROM v WHERE ${b.start} <= ${b.end}
      UNION ALL SELECT store_id, ${r.start}, 0, 1 FROM v WHERE l1 IS NOT NULL AND ${r.start} <= ${r.end}
      UNION ALL SELECT store_id, date(${r.end}, '+1 day'), 0, -1 FROM v WHERE l1 IS NOT NULL AND ${r.start} <= ${r.end})
    SELECT store_id AS storeId, day, SUM(b) AS buyers, SUM(r) AS repeaters FROM marks GROUP BY store_id, day`);
}

/** Per day: the brand's regulars (≥ 3 distinct days in the window) starting (+) or ending (−). */
export function regularDeltas(d: Db, brandId: string, from: string, to: string) {
  const g = clip(from, to, sql`day`, sql`MIN(COALESCE(date(nxt, '-1 day'), '9999-12-31'), date(l2, '+29 days'))`);
  return d.all<{ day: string; regulars: number }>(sql`
    WITH days AS (
      SELECT DISTINCT ${m.memberId} AS member_id, ${m.day} AS day FROM ${m}
      WHERE ${m.brandId} = ${brandId} AND ${m.day} BETWEEN ${memberWindowStart(from)} AND ${to}),
    v AS (
      SELECT day, LAG(day, 2) OVER w AS l2, LEAD(day) OVER w AS nxt FROM days
      WINDOW w AS (PARTITION BY member_id ORDER BY day)),
    marks AS (
      SELECT ${g.start} AS day, 1 AS g FROM v WHERE l2 IS NOT NULL AND ${g.start} <= ${g.end}
      UNION ALL SELECT date(${g.end}, '+1 day'), -1 FROM v WHERE l2 IS NOT NULL AND ${g.start} <= ${g.end})
    SELECT day, SUM(g) AS regulars FROM marks GROUP BY day`);
}
