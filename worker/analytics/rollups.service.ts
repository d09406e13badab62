import { asc, eq, inArray } from 'drizzle-orm';
import { dayBounds, type StoreClock } from '../../domain/analytics/days';
import { resolveSettings } from '../../domain/store-settings';
import { localDay } from '../../domain/zoned-time';
import { orderHistory, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db, json } from '../lib/db';
import { Recent } from '../lib/recent';
import { archivedDays } from '../orders/archive/archive-reads';
import { restoredCleanup, restoreStatements } from '../orders/archive/archive-restore';
import { brandDayStatement } from './brand-day-statements';
import { type StoreDay, storeDayStatements } from './rollup-statements';

/*
 * Keeping the KPI rollups: which days a change touched, and the statements that re-derive
 * them. Every path (events, refunds, crons, the admin rebuild) recomputes whole days.
 */

export interface StoreClockOf extends StoreClock {
  brandId: string;
}

/** Brands count their points and coupons in this zone when they have no store yet. */
export const DEFAULT_BRAND_ZONE = 'Asia/Shanghai';

/** A store's zone and day start change rarely: an isolate reads them once every few minutes. */
const CLOCK_TTL_MS = 5 * 60_000;
const clocks = new Map<string, { clock: StoreClockOf; at: number }>();
const brandZones = new Recent<string>(CLOCK_TTL_MS, 1_000);

/** The clocks of these stores, the ones not remembered read in one query; unknown stores are left out. */
export async function storeClocks(d: Db, storeIds: string[], now = Date.now()): Promise<Map<string, StoreClockOf>> {
  const out = new Map<string, StoreClockOf>();
  const missing: string[] = [];
  for (const id of new Set(storeIds)) {
    const hit = clocks.get(id);
    if (hit && now - hit.at < CLOCK_TTL_MS) out.set(id, hit.clock);
    else missing.push(id);
  }
  for (let i = 0; i < missing.length; i += 90) {
    const rows = await d
      .select({ id: stores.id, brandId: stores.brandId, timeZone: stores.timeZone, settings: stores.settings })
      .from(stores)
      .where(inArray(stores.id, missing.slice(i, i + 90)));
    if (clocks.size > 5_000) clocks.clear();
    for (const r of rows) {
      const settings = resolveSettings(json<unknown>(r.settings, {}));
      const clock = { brandId: r.brandId, timeZone: r.timeZone, dayStartsAt: settings.dayStartsAt };
      clocks.set(r.id, { clock, at: now });
      out.set(r.id, clock);
    }
  }
  return out;
}

/** A brand's zone for its points and coupons: its first store's, else Asia/Shanghai. */
export function brandZone(d: Db, brandId: string, now = Date.now()): Promise<string> {
  return brandZones.through(brandId, now, async () => {
    const first = await d
      .select({ timeZone: stores.timeZone })
      .from(stores)
      .where(eq(stores.brandId, brandId))
      .orderBy(asc(stores.createdAt), asc(stores.id))
      .limit(1)
      .get();
    return first?.timeZone ?? DEFAULT_BRAND_ZONE;
  });
}

/** D1 batches stay modest: a store-day is four statements. */
const STORE_DAYS_PER_BATCH = 25;

/**
 * Re-derives these store-days (rollups and member days), in a few batches. A day whose month
 * is archived (worker/orders/archive/) is read back from its R2 object: its orders are put
 * into `order_history` for the length of the batch's transaction and taken out again.
 */
export async function recomputeStoreDays(env: Pick<Env, 'DB' | 'ARCHIVE'>, days: StoreDay[], now = Date.now()) {
  const d = db(env);
  const read = new Map();
  for (let i = 0; i < days.length; i += STORE_DAYS_PER_BATCH) {
    const part = days.slice(i, i + STORE_DAYS_PER_BATCH);
    const archived = await archivedDays(env, part, read);
    const statements = part.flatMap((s) => {
      const rows = archived.get(`${s.storeId}|${s.day}`);
      const day = storeDayStatements(d, s, now);
      return rows ? [...restoreStatements(d, s, rows), ...day, restoredCleanup(d, s)] : day;
    });
    await d.batch(statements as [(typeof statements)[number], ...typeof statements]);
  }
}

/**
 * Re-derives the store-day an order belongs to: a refund counts on the order's own day,
 * whenever it happens. An order the history does not hold yet is counted when its event lands.
 */
export async function recomputeOrderDay(env: Pick<Env, 'DB' | 'ARCHIVE'>, orderId: string, now = Date.now()) {
  const row = await db(env)
    .select({ brandId: orderHistory.brandId, storeId: orderHistory.storeId, day: orderHistory.businessDay })
    .from(orderHistory)
    .where(eq(orderHistory.id, orderId))
    .get();
  if (row?.day) await recomputeStoreDays(env, [{ brandId: row.brandId, storeId: row.storeId, day: row.day }], now);
}

/** Re-derives brand days (calendar days in the brand's zone). */
export async function recomputeBrandDays(env: Pick<Env, 'DB'>, brandId: string, days: string[], now = Date.now()) {
  if (days.length === 0) return;
  const d = db(env);
  const timeZone = await brandZone(d, brandId, now);
  const statements = [...new Set(days)].map((day) =>
    brandDayStatement(d, { brandId, day, ...dayBounds(day, { timeZone, dayStartsAt: '00:00' }) }, now),
  );
  for (let i = 0; i < statements.length; i += 50) {
    const part = statements.slice(i, i + 50);
    await d.batch(part as [(typeof part)[number], ...typeof part]);
  }
}

/** The brand days an instant range touches: the brand-zone days of its two ends. */
export async function brandDaysAround(d: Db, brandId: string, from: number, to: number, now = Date.now()) {
  const timeZone = await brandZone(d, brandId, now);
  return [...new Set([localDay(from, timeZone), localDay(to, timeZone)])];
}
