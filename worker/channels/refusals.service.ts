import { and, desc, eq, gte, inArray, or, sql } from 'drizzle-orm';
import type { Channel } from '../../domain/channels/channel-order';
import { channelRefusals, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { db } from '../lib/db';

/** Why a push was refused; each is counted per channel, UTC day and store, the push itself is not kept. */
export type RefusalReason = 'malformed' | 'unknown_shop' | 'signature' | 'stale';

const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);

/**
 * One more refusal of this kind today (a single upsert), under the store whose shop the push
 * named when a binding was found (a bad signature, a stale timestamp), else under none.
 */
export async function countRefusal(env: Env, channel: Channel, reason: RefusalReason, now = Date.now(), storeId = '') {
  const r = channelRefusals;
  await db(env)
    .insert(r)
    .values({ channel, reason, day: utcDay(now), storeId, count: 1, lastAt: now })
    .onConflictDoUpdate({
      target: [r.channel, r.reason, r.day, r.storeId],
      set: { count: sql`${r.count} + 1`, lastAt: now },
    })
    .run();
}

/** Today's (or `day`'s) count of one kind of refusal, every store's. */
export async function refusalCount(env: Env, channel: Channel, reason: RefusalReason, day: string) {
  const r = channelRefusals;
  const row = await db(env)
    .select({ count: sql<number>`coalesce(sum(${r.count}), 0)` })
    .from(r)
    .where(and(eq(r.channel, channel), eq(r.reason, reason), eq(r.day, day)))
    .get();
  return row?.count ?? 0;
}

/**
 * The refusal counters since `since` (a UTC day; default the last 7 days), newest day first:
 * one store's (of the brand), or the brand's stores' with the ones no shop was found for
 * (those are the deployment's: before a binding is found, no brand is known).
 */
export async function listRefusals(
  env: Env,
  brandId: string,
  q: { storeId?: string; since?: string },
  now = Date.now(),
) {
  const d = db(env);
  const r = channelRefusals;
  const brandStores = (
    await d
      .select({ id: stores.id })
      .from(stores)
      .where(and(eq(stores.brandId, brandId), ...(q.storeId ? [eq(stores.id, q.storeId)] : [])))
  ).map((s) => s.id);
  if (q.storeId && brandStores.length === 0) throw notFound('store', q.storeId);
  const since = q.since ?? utcDay(now - 6 * 86_400_000);
  const whose = q.storeId
    ? eq(r.storeId, q.storeId)
    : or(eq(r.storeId, ''), ...(brandStores.length ? [inArray(r.storeId, brandStores)] : []));
  const rows = await d
    .select()
    .from(r)
    .where(and(gte(r.day, since), whose))
    .orderBy(desc(r.day), r.channel, r.reason, r.storeId)
    .all();
  return rows.map((x) => ({
    channel: x.channel as Channel,
    reason: x.reason as RefusalReason,
    day: x.day,
    storeId: x.storeId || null,
    count: x.count,
    lastAt: x.lastAt === null ? null : new Date(x.lastAt).toISOString(),
  }));
}
