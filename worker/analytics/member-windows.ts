import { and, between, eq, inArray, sql } from 'drizzle-orm';
import { ACTIVE_DAYS } from '../../domain/analytics/kpis';
import { addDays, memberWindowStart } from '../../domain/analytics/period';
import { analyticsMemberDays as m, stores, analyticsMemberWindows as w } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';
import type { StoreScope } from './analytics-scope';

/*
 * Precomputed 30-day member windows (see `analyticsMemberWindows`). The invariant: a row that
 * exists is current. Whatever rewrites a store's member days on day X deletes that store's and
 * the brand's windows X…X+29 in the same batch; the jobs write windows of closed days only, so
 * the consumer never pays for a brand-wide window (~60,000 member days at 50 stores) and the
 * summary for an open day (today) is computed live.
 */

const BRAND_ROW = '';
/** Past its last window a member day changes nothing. */
const WINDOW_REACH_DAYS = 29;
/** Every zone and day start has closed a business day 60 hours after its UTC midnight. */
const CLOSED_AFTER_MS = 60 * 3_600_000;

/** The latest business day closed everywhere at `now`; only such windows are written. */
export const lastClosedDay = (now: number) => new Date(now - CLOSED_AFTER_MS).toISOString().slice(0, 10);

const excluded = (name: string) => sql.raw(`excluded.${name}`);
const upsert = (d: Db, rows: ReturnType<typeof sql>) =>
  d
    .insert(w)
    .select(rows)
    .onConflictDoUpdate({
      target: [w.brandId, w.storeId, w.day],
      set: {
        buyers: excluded('buyers'),
        repeaters: excluded('repeaters'),
        regulars: excluded('regulars'),
        updatedAt: excluded('updated_at'),
      },
    });

const counts = sql`count(*), coalesce(sum(n >= 2), 0), coalesce(sum(n >= ${ACTIVE_DAYS}), 0)`;

/** The two statements deriving the windows ending `day`: every store's, and the brand's. */
export function windowStatements(d: Db, brandId: string, day: string, now: number) {
  const range = sql`${m.brandId} = ${brandId} AND ${m.day} BETWEEN ${memberWindowStart(day)} AND ${day}`;
  // Stores with no buyer in the window get a zero row too (a row says "computed", not "had buyers").
  const perStore = upsert(
    d,
    sql`WITH per AS (
        SELECT ${m.storeId} AS store_id, count(*) AS n FROM ${m} WHERE ${range} GROUP BY ${m.storeId}, ${m.memberId})
      SELECT ${brandId}, ${stores.id}, ${day}, coalesce(x.b, 0), coalesce(x.r, 0), coalesce(x.g, 0), ${now}
      FROM ${stores} LEFT JOIN (
        SELECT store_id, count(*) AS b, coalesce(sum(n >= 2), 0) AS r, coalesce(sum(n >= ${ACTIVE_DAYS}), 0) AS g
        FROM per GROUP BY store_id) AS x ON x.store_id = ${stores.id}
      WHERE ${stores.brandId} = ${brandId}`,
  );
  // `WHERE true`: without it SQLite reads the upsert's ON CONFLICT as the FROM clause's ON.
  const brand = upsert(
    d,
    sql`SELECT ${brandId}, ${BRAND_ROW}, ${day}, ${counts}, ${now} FROM (
        SELECT count(DISTINCT ${m.day}) AS n FROM ${m} WHERE ${range} GROUP BY ${m.memberId}) WHERE true`,
  );
  return [perStore, brand] as const;
}

/** Deletes the windows a change to this store-day's member days may have moved. */
export const windowInvalidation = (d: Db, s: { brandId: string; storeId: string; day: string }) =>
  d
    .delete(w)
    .where(
      and(
        eq(w.brandId, s.brandId),
        inArray(w.storeId, [s.storeId, BRAND_ROW]),
        between(w.day, s.day, addDays(s.day, WINDOW_REACH_DAYS)),
      ),
    );

/** Deletes every window a member's purchase days (about to be erased) counted in. */
export const memberWindowsInvalidation = (d: Db, brandId: string, memberId: string) =>
  d
    .delete(w)
    .where(
      and(eq(w.brandId, brandId), sql`${w.day} >= (SELECT min(${m.day}) FROM ${m} WHERE ${m.memberId} = ${memberId})`),
    );

/** Derives the windows ending on these days (closed ones only), two days per batch. */
export async function deriveWindows(env: Pick<Env, 'DB'>, brandId: string, days: string[], now = Date.now()) {
  const d = db(env);
  const closed = [...new Set(days)].filter((day) => day <= lastClosedDay(now));
  for (let i = 0; i < closed.length; i += 2) {
    const statements = closed.slice(i, i + 2).flatMap((day) => windowStatements(d, brandId, day, now));
    await d.batch(statements as [(typeof statements)[number], ...typeof statements]);
  }
  return closed.length;
}

/** Derives the brand's windows among `days` that are missing (written once, then kept current). */
export async function fillMissingWindows(env: Pick<Env, 'DB'>, brandId: string, days: string[], now = Date.now()) {
  if (days.length === 0) return 0;
  const have = await db(env)
    .select({ day: w.day })
    .from(w)
    .where(and(eq(w.brandId, brandId), eq(w.storeId, BRAND_ROW), inArray(w.day, days)));
  const present = new Set(have.map((r) => r.day));
  return deriveWindows(
    env,
    brandId,
    days.filter((day) => !present.has(day)),
    now,
  );
}

/**
 * The stored window for the whole brand or one store (its buyers and repeaters, the brand's
 * regulars): no row when either is missing, and the caller computes it live.
 */
export function storedWindow(d: Db, scope: StoreScope, to: string) {
  const storeId = scope.all ? BRAND_ROW : (scope.stores[0]?.id ?? BRAND_ROW);
  return d
    .select({ buyers: w.buyers, repeaters: w.repeaters, regulars: sql<number>`brand.regulars` })
    .from(w)
    .innerJoin(
      sql`${w} AS brand`,
      sql`brand.brand_id = ${w.brandId} AND brand.store_id = ${BRAND_ROW} AND brand.day = ${w.day}`,
    )
    .where(and(eq(w.brandId, scope.brandId), eq(w.storeId, storeId), eq(w.day, to)));
}

/** Whether the stored window can answer for this scope (the whole brand or a single store). */
export const storable = (scope: StoreScope) => scope.all || scope.stores.length === 1;
