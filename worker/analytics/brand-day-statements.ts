import { sql } from 'drizzle-orm';
import { REDEEM_UNDO_PREFIX, USING_KINDS } from '../../domain/analytics/brand-day';
import { analyticsBrandDays, memberCoupons, members, pointsLedger } from '../../schema/d1/tables';
import type { Db } from '../lib/db';

const excluded = (column: { name: string }) => sql.raw(`excluded.${column.name}`);
const list = (kinds: readonly string[]) =>
  sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  );

/**
 * One statement: a brand's day [start, end) re-derived from its members, points ledger and
 * coupons, by the rules of `domain/analytics/brand-day.ts` (`pointsEffect`).
 */
export function brandDayStatement(d: Db, b: { brandId: string; day: string; start: number; end: number }, now: number) {
  const l = pointsLedger;
  const c = memberCoupons;
  const t = analyticsBrandDays;
  const undo = `${REDEEM_UNDO_PREFIX}%`;
  const used = sql`${l.kind} IN (${list(USING_KINDS)}) OR (${l.kind} IN ('dice', 'wheel') AND ${l.amount} < 0)
    OR (${l.kind} = 'adjust' AND ${l.ref} LIKE ${undo})`;
  const rows = sql`WITH pts AS (
      SELECT
        coalesce(sum(CASE WHEN ${l.kind} = 'expire' OR ${used} THEN 0 ELSE ${l.amount} END), 0) AS issued,
        coalesce(sum(CASE WHEN ${used} THEN -${l.amount} ELSE 0 END), 0) AS used,
        coalesce(sum(CASE WHEN ${l.kind} = 'expire' THEN -${l.amount} ELSE 0 END), 0) AS expired
      FROM ${l} WHERE ${l.brandId} = ${b.brandId} AND ${l.createdAt} >= ${b.start} AND ${l.createdAt} < ${b.end})
    SELECT ${b.brandId}, ${b.day},
      (SELECT count(*) FROM ${members} WHERE ${members.brandId} = ${b.brandId}
        AND ${members.createdAt} >= ${b.start} AND ${members.createdAt} < ${b.end}),
      pts.issued, pts.used, pts.expired,
      (SELECT count(*) FROM ${c} WHERE ${c.brandId} = ${b.brandId} AND ${c.issuedAt} >= ${b.start} AND ${c.issuedAt} < ${b.end}),
      (SELECT count(*) FROM ${c} WHERE ${c.brandId} = ${b.brandId} AND ${c.status} = 'used'
        AND ${c.usedAt} >= ${b.start} AND ${c.usedAt} < ${b.end}),
      ${now}
    FROM pts WHERE true`;
  const figures = {
    newMembers: t.newMembers,
    pointsIssued: t.pointsIssued,
    pointsUsed: t.pointsUsed,
    pointsExpired: t.pointsExpired,
    couponsIssued: t.couponsIssued,
    couponsUsed: t.couponsUsed,
  };
  return d
    .insert(t)
    .select(rows)
    .onConflictDoUpdate({
      target: [t.brandId, t.day],
      set: {
        ...Object.fromEntries(Object.entries(figures).map(([k, col]) => [k, excluded(col)])),
        updatedAt: excluded(t.updatedAt),
      },
      setWhere: sql.join(
        Object.values(figures).map((col) => sql`${excluded(col)} IS NOT ${col}`),
        sql` OR `,
      ),
    });
}
