import { and, count, eq, isNull, lt, sql } from 'drizzle-orm';
import { ACTIVE_DAYS } from '../../domain/analytics/kpis';
import { memberWindowStart } from '../../domain/analytics/period';
import { analyticsMemberDays as m, members } from '../../schema/d1/tables';
import type { Db } from '../lib/db';
import type { StoreScope } from './analytics-scope';
import { inStores } from './sales.reads';

/*
 * Member figures from purchase days (one row per member, store and day: several orders on a
 * day are one visit). Windows are the 30 days ending a given day; counting is done by D1.
 */

/** Buyers and repeaters (≥ 2 distinct days) in the 30 days ending `to`, over the scope's stores. */
export function repurchaseWindow(d: Db, scope: StoreScope, to: string) {
  return d.all<{ buyers: number; repeaters: number }>(sql`
    SELECT COUNT(*) AS buyers, COALESCE(SUM(n >= 2), 0) AS repeaters FROM (
      SELECT ${m.memberId}, COUNT(DISTINCT ${m.day}) AS n FROM ${m}
      WHERE ${m.brandId} = ${scope.brandId} AND ${m.day} BETWEEN ${memberWindowStart(to)} AND ${to}
        AND ${inStores(m.storeId, scope)}
      GROUP BY ${m.memberId})`);
}

/** The same per store (a store's rows are already one per member and day). */
export function repurchaseWindowByStore(d: Db, scope: StoreScope, to: string) {
  return d.all<{ storeId: string; buyers: number; repeaters: number }>(sql`
    SELECT store_id AS storeId, COUNT(*) AS buyers, COALESCE(SUM(n >= 2), 0) AS repeaters FROM (
      SELECT ${m.storeId} AS store_id, COUNT(*) AS n FROM ${m}
      WHERE ${m.brandId} = ${scope.brandId} AND ${m.day} BETWEEN ${memberWindowStart(to)} AND ${to}
        AND ${inStores(m.storeId, scope)}
      GROUP BY ${m.storeId}, ${m.memberId})
    GROUP BY store_id`);
}

/** Members who bought on ≥ 3 distinct days in the 30 days ending `to`, at any store of the brand. */
export function regulars(d: Db, brandId: string, to: string) {
  return d.all<{ regulars: number }>(sql`
    SELECT COUNT(*) AS regulars FROM (
      SELECT ${m.memberId} FROM ${m}
      WHERE ${m.brandId} = ${brandId} AND ${m.day} BETWEEN ${memberWindowStart(to)} AND ${to}
      GROUP BY ${m.memberId} HAVING COUNT(DISTINCT ${m.day}) >= ${ACTIVE_DAYS})`);
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

const days = (from: string, to: string) => sql`
  WITH RECURSIVE days(d) AS (SELECT ${from} UNION ALL SELECT date(d, '+1 day') FROM days WHERE d < ${to})`;

/** Buyers and repeaters per store for each day's 30-day window (the daily rows' repurchase). */
export function repurchaseWindowsByStoreDay(d: Db, scope: StoreScope, from: string, to: string) {
  return d.all<{ storeId: string; day: string; buyers: number; repeaters: number }>(sql`${days(from, to)}
    SELECT store_id AS storeId, d AS day, COUNT(*) AS buyers, COALESCE(SUM(n >= 2), 0) AS repeaters FROM (
      SELECT ${m.storeId} AS store_id, days.d AS d, COUNT(*) AS n FROM days JOIN ${m}
        ON ${m.brandId} = ${scope.brandId} AND ${m.day} BETWEEN date(days.d, '-29 days') AND days.d
        AND ${inStores(m.storeId, scope)}
      GROUP BY ${m.storeId}, days.d, ${m.memberId})
    GROUP BY store_id, d`);
}

/** Regulars of the brand for each day's 30-day window. */
export function regularsByDay(d: Db, brandId: string, from: string, to: string) {
  return d.all<{ day: string; regulars: number }>(sql`${days(from, to)}
    SELECT d AS day, COUNT(*) AS regulars FROM (
      SELECT days.d AS d FROM days JOIN ${m}
        ON ${m.brandId} = ${brandId} AND ${m.day} BETWEEN date(days.d, '-29 days') AND days.d
      GROUP BY days.d, ${m.memberId} HAVING COUNT(DISTINCT ${m.day}) >= ${ACTIVE_DAYS})
    GROUP BY d`);
}
