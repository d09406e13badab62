import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { BRAND_TIME_ZONE, isoInZone, localDay } from '../../domain/zoned-time';
import { deliveryCallbackRefusals, deliveryDispatches } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

export type DispatchRow = typeof deliveryDispatches.$inferSelect;

/** A dispatch as the API shows it, times in the store's zone. */
export function dispatchView(r: DispatchRow, timeZone: string) {
  return {
    id: r.id,
    orderId: r.orderId,
    carrier: r.carrier,
    subCarrier: r.subCarrier,
    trackingNo: r.trackingNo,
    status: r.status,
    fee: r.fee,
    promisedMinutes: r.promisedMinutes,
    createdAt: isoInZone(r.createdAt, timeZone),
    updatedAt: isoInZone(r.updatedAt, timeZone),
  };
}

/** The order's dispatch that is being placed or is live, if any. */
export async function liveDispatch(env: Env, orderId: string): Promise<DispatchRow | undefined> {
  return db(env)
    .select()
    .from(deliveryDispatches)
    .where(and(eq(deliveryDispatches.orderId, orderId), inArray(deliveryDispatches.status, ['placing', 'live'])))
    .get();
}

/** The order's dispatch made with this `Idempotency-Key`, if any. */
export async function dispatchByKey(env: Env, orderId: string, key: string): Promise<DispatchRow | undefined> {
  return db(env)
    .select()
    .from(deliveryDispatches)
    .where(and(eq(deliveryDispatches.orderId, orderId), eq(deliveryDispatches.idempotencyKey, key)))
    .get();
}

export async function dispatchById(env: Env, id: string): Promise<DispatchRow | undefined> {
  return db(env).select().from(deliveryDispatches).where(eq(deliveryDispatches.id, id)).get();
}

/** Every dispatch of an order, newest first. */
export async function orderDispatches(env: Env, orderId: string): Promise<DispatchRow[]> {
  return db(env)
    .select()
    .from(deliveryDispatches)
    .where(eq(deliveryDispatches.orderId, orderId))
    .orderBy(desc(deliveryDispatches.createdAt))
    .all();
}

/**
 * Claims the order for one dispatch (`placing`): the partial unique index lets one claim
 * win when two staff tap at once. False when another dispatch holds it.
 */
export async function claimDispatch(env: Env, row: DispatchRow): Promise<boolean> {
  const done = await db(env).insert(deliveryDispatches).values(row).onConflictDoNothing().run();
  return done.meta.changes === 1;
}

export async function setDispatch(env: Env, id: string, set: Partial<DispatchRow>, now = Date.now()) {
  await db(env)
    .update(deliveryDispatches)
    .set({ ...set, updatedAt: now })
    .where(eq(deliveryDispatches.id, id))
    .run();
}

/** A claim whose placing failed: gone, so the order may be dispatched again. */
export async function dropClaim(env: Env, id: string) {
  await db(env)
    .delete(deliveryDispatches)
    .where(and(eq(deliveryDispatches.id, id), eq(deliveryDispatches.status, 'placing')))
    .run();
}

/**
 * Counts one refused callback under its carrier, reason and day (Asia/Shanghai): the
 * callback itself is unverified and never stored.
 */
export async function countCallbackRefusal(env: Env, carrier: string, reason: string, now = Date.now()) {
  const r = deliveryCallbackRefusals;
  await db(env)
    .insert(r)
    .values({ carrier, reason, day: localDay(now, BRAND_TIME_ZONE), count: 1, firstAt: now, lastAt: now })
    .onConflictDoUpdate({
      target: [r.carrier, r.reason, r.day],
      set: { count: sql`${r.count} + 1`, lastAt: now },
    })
    .run();
}

/** The refusal counters of the last `days` days, newest day first. */
export async function callbackRefusals(env: Env, days: number, now = Date.now()) {
  const r = deliveryCallbackRefusals;
  const since = localDay(now - (days - 1) * 86_400_000, BRAND_TIME_ZONE);
  const rows = await db(env).select().from(r).where(gte(r.day, since)).orderBy(desc(r.day), r.carrier, r.reason).all();
  return rows.map((x) => ({
    ...x,
    firstAt: isoInZone(x.firstAt, BRAND_TIME_ZONE),
    lastAt: isoInZone(x.lastAt, BRAND_TIME_ZONE),
  }));
}
