import { and, between, count, eq, isNull, lt, type SQLWrapper, sql } from 'drizzle-orm';
import { ACTIVE_DAYS } from '../../domain/analytics/kpis';
import { eachDay, memberWindowStart } from '../../domain/analytics/period';
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

/** The period's days as a table (`json_each` over one bound array), each joined to its 30-day window. */
const periodDays = (from: string, to: string) => sql`json_each(${JSON.stringify(eachDay(from, to))}) AS days`;
const dayOf = sql<string>`days.value`;
const inDayWindow = sql`${m.day} BETWEEN date(days.value, '-29 days') AND days.value`;

/** Buyers and repeaters per store for each day's 30-day window (the daily rows' repurchase). */
export function repurchaseWindowsByStoreDay(d: Db, scope: StoreScope, from: string, to: string) {
  const per = d
    .select({ storeId: m.storeId, day: dayOf.as('day'), n: count().as('n') })
    .from(periodDays(from, to))
    .innerJoin(m, and(eq(m.brandId, scope.brandId), inDayWindow, inStores(m.storeId, scope)))
    .groupBy(m.storeId, dayOf, m.memberId)
    .as('per');
  return d
    .select({ storeId: per.storeId, day: per.day, buyers: count(), repeaters: repeaters(per.n) })
    .from(per)
    .groupBy(per.storeId, sql`${per.day}`);
}

/** Regulars of the brand for each day's 30-day window. */
export function regularsByDay(d: Db, brandId: string, from: string, to: string) {
  const regular = d
    .select({ day: dayOf.as('day') })
    .from(periodDays(from, to))
    .innerJoin(m, and(eq(m.brandId, brandId), inDayWindow))
    .groupBy(dayOf, m.memberId)
    .having(sql`COUNT(DISTINCT ${m.day}) >= ${ACTIVE_DAYS}`)
    .as('regular');
  return d.select({ day: regular.day, regulars: count() }).from(regular).groupBy(sql`${regular.day}`);
}
