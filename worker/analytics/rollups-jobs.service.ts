import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { daysFrom, orderDay, shiftDay } from '../../domain/analytics/days';
import { businessDay } from '../../domain/store-settings';
import { HOUR } from '../../domain/time';
import type { RebuildRange } from '../../queues/messages';
import { brands, orderHistory, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';
import { deriveWindows, fillMissingWindows, lastClosedDay } from './member-windows';
import { brandDaysAround, recomputeBrandDays, recomputeStoreDays, storeClocks } from './rollups.service';

/*
 * The rollups' crons and the admin rebuild. Each re-derives whole days, so running one twice,
 * or while events land, leaves the same rows.
 */

/** History rows given their business day per backfill step (one UPDATE statement). */
const BACKFILL_ROWS = 500;
/** Store-days one rebuild slice re-derives before it queues the rest. */
const STORE_DAYS_PER_SLICE = 120;

/** The closed days whose member windows the crons keep written (the month before the last closed day). */
const recentClosedDays = (at: number) => {
  const last = lastClosedDay(at);
  return daysFrom(shiftDay(last, -29), last);
};

/**
 * Hourly: today's brand figures (and yesterday's, just after midnight) for every brand, and the
 * member windows of the last closed month that are missing (a day just closed, or one a late
 * change invalidated).
 */
export async function analyticsHourly(env: Env, at: number) {
  const d = db(env);
  for (const b of await d.select({ id: brands.id }).from(brands)) {
    await recomputeBrandDays(env, b.id, await brandDaysAround(d, b.id, at - 2 * HOUR, at, at), at);
    await fillMissingWindows(env, b.id, recentClosedDays(at), at);
  }
}

/**
 * Nightly self-healing: every store's business days today, yesterday and the day before are
 * re-derived from their sources, as are every brand's; history rows still without a day get one.
 */
export async function analyticsNightly(env: Env, at: number) {
  const d = db(env);
  const all = await d.select({ id: stores.id }).from(stores);
  const clocks = await storeClocks(
    d,
    all.map((s) => s.id),
    at,
  );
  const known = [...clocks.keys()];
  for (let i = 0; i < known.length; i += 90) await backfillDays(d, known.slice(i, i + 90), at);
  const days = [...clocks].flatMap(([storeId, c]) => {
    const today = businessDay(at, c.timeZone, c.dayStartsAt);
    return [0, 1, 2].map((n) => ({ brandId: c.brandId, storeId, day: shiftDay(today, -n) }));
  });
  await recomputeStoreDays(env, days, at);
  for (const b of await d.select({ id: brands.id }).from(brands)) {
    const around = await brandDaysAround(d, b.id, at - 2 * 24 * HOUR, at, at);
    await recomputeBrandDays(env, b.id, daysFrom(around[0]!, around.at(-1)!), at);
    await fillMissingWindows(env, b.id, recentClosedDays(at), at);
  }
}

/**
 * Gives history rows without a business day (written before days were recorded, or seeded)
 * their day and local hour, up to `limit` rows of these (at most 90) stores; returns whether
 * any may remain.
 */
export async function backfillDays(d: Db, storeIds: string[], at: number, limit = BACKFILL_ROWS) {
  if (storeIds.length === 0) return false;
  const clocks = await storeClocks(d, storeIds, at);
  const rows = await d
    .select({ id: orderHistory.id, storeId: orderHistory.storeId, createdAt: orderHistory.createdAt })
    .from(orderHistory)
    .where(and(inArray(orderHistory.storeId, storeIds.slice(0, 90)), isNull(orderHistory.businessDay)))
    .limit(limit);
  const placed = rows.flatMap((r) => {
    const clock = clocks.get(r.storeId);
    if (!clock) return [];
    const p = orderDay(r.createdAt, clock);
    return [[r.id, p.businessDay, p.localHour]];
  });
  if (placed.length > 0) {
    // One statement for the whole step: the days travel as one JSON parameter.
    const list = JSON.stringify(placed);
    const pick = (i: number) =>
      sql`(SELECT json_extract(j.value, ${`$[${i}]`}) FROM json_each(${list}) AS j
           WHERE json_extract(j.value, '$[0]') = ${orderHistory.id})`;
    await d
      .update(orderHistory)
      .set({ businessDay: pick(1), localHour: pick(2) })
      .where(sql`${orderHistory.id} IN (SELECT json_extract(j.value, '$[0]') FROM json_each(${list}) AS j)`);
  }
  return placed.length === limit;
}

/**
 * Re-derives a range of business days for a brand's stores (or one), a slice at a time:
 * first the history rows still without a day, then up to STORE_DAYS_PER_SLICE store-days and
 * the brand's days among them; the rest goes back on the jobs queue as the next slice.
 */
export async function rebuildAnalytics(env: Env, at: number, range: RebuildRange | undefined) {
  if (!range) return { done: true };
  const d = db(env);
  const ids = (
    await d
      .select({ id: stores.id })
      .from(stores)
      .where(
        range.storeId
          ? and(eq(stores.brandId, range.brandId), eq(stores.id, range.storeId))
          : eq(stores.brandId, range.brandId),
      )
  ).map((s) => s.id);
  for (let i = 0; i < ids.length; i += 90) {
    if (await backfillDays(d, ids.slice(i, i + 90), at)) {
      await env.JOBS_QUEUE.send({ job: 'analytics.rebuild', at, range }, { contentType: 'json' });
      return { done: false, backfilling: true };
    }
  }
  const perSlice = Math.max(1, Math.floor(STORE_DAYS_PER_SLICE / Math.max(1, ids.length)));
  const days = daysFrom(range.from, range.to);
  const slice = days.slice(0, perSlice);
  const clocks = await storeClocks(d, ids, at);
  await recomputeStoreDays(
    env,
    slice.flatMap((day) => [...clocks].map(([storeId, c]) => ({ brandId: c.brandId, storeId, day }))),
    at,
  );
  if (!range.storeId) await recomputeBrandDays(env, range.brandId, slice, at);
  const rest = days[perSlice];
  // A slice's windows depend on days before it only; the last slice also re-derives the 29 after.
  const last = slice.at(-1)!;
  await deriveWindows(
    env,
    range.brandId,
    rest ? slice : [...slice, ...daysFrom(shiftDay(last, 1), shiftDay(last, 29))],
    at,
  );
  if (rest) {
    await env.JOBS_QUEUE.send(
      { job: 'analytics.rebuild', at, range: { ...range, from: rest } },
      { contentType: 'json' },
    );
  }
  return { done: !rest, days: slice.length, stores: ids.length };
}
