import { and, eq, sql } from 'drizzle-orm';
import type { Channel } from '../../domain/channels/channel-order';
import { channelRefusals } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

/** Why a push was refused; each is counted per channel and UTC day, the push itself is not kept. */
export type RefusalReason = 'malformed' | 'unknown_shop' | 'signature' | 'stale';

const utcDay = (now: number) => new Date(now).toISOString().slice(0, 10);

/** One more refusal of this kind today (a single upsert). */
export async function countRefusal(env: Env, channel: Channel, reason: RefusalReason, now = Date.now()) {
  await db(env)
    .insert(channelRefusals)
    .values({ channel, reason, day: utcDay(now), count: 1 })
    .onConflictDoUpdate({
      target: [channelRefusals.channel, channelRefusals.reason, channelRefusals.day],
      set: { count: sql`${channelRefusals.count} + 1` },
    })
    .run();
}

/** Today's (or `day`'s) count of one kind of refusal. */
export async function refusalCount(env: Env, channel: Channel, reason: RefusalReason, day: string) {
  const row = await db(env)
    .select({ count: channelRefusals.count })
    .from(channelRefusals)
    .where(and(eq(channelRefusals.channel, channel), eq(channelRefusals.reason, reason), eq(channelRefusals.day, day)))
    .get();
  return row?.count ?? 0;
}
