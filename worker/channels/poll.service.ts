import { and, eq, inArray, max } from 'drizzle-orm';
import { log } from '../../domain/log';
import { HOUR } from '../../domain/time';
import { enqueueJobs } from '../../queues/messages';
import { channelBindings, channelOrders } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { type BindingRow, credentialsOf } from './bindings.service';
import { platformClient } from './calls.service';
import { intakeOrder } from './intake.service';

/** How far back a poll looks when a binding has no order yet (or its last one is older). */
const LOOK_BACK_MS = 6 * HOUR;

/**
 * The fallback for pushes the platform lost (REFERENCES §2.1), every 5 minutes: the cron's
 * job queues one poll per binding (so one platform's outage or slowness holds up no other
 * shop), and each lists its shop's orders since the last one we took; any we do not have is
 * read in full and taken through the same intake as its push. One order per (platform, order
 * id), so a push and a poll of the same order make one order. A failed poll is logged, not
 * retried: the next one, 5 minutes on, asks again.
 */
export async function pollChannelOrders(env: Env, now = Date.now(), bindingId?: string) {
  const d = db(env);
  if (!bindingId) {
    const all = await d.select({ id: channelBindings.id }).from(channelBindings).all();
    await enqueueJobs(
      env.JOBS_QUEUE,
      all.map((b) => ({ job: 'channels.poll' as const, at: now, pollBindingId: b.id })),
    );
    return;
  }
  const binding = await d.select().from(channelBindings).where(eq(channelBindings.id, bindingId)).get();
  if (!binding) return; // Unbound since the poll was queued.
  try {
    const taken = await pollBinding(env, binding, now);
    if (taken > 0)
      log.info('platform poll took missed orders', { channel: binding.channel, storeId: binding.storeId, taken });
  } catch (e) {
    log.warn('platform poll failed', { channel: binding.channel, storeId: binding.storeId, error: e });
  }
}

/** One binding's poll: the orders it missed, taken in; answers how many. */
export async function pollBinding(env: Env, binding: BindingRow, now = Date.now()) {
  const d = db(env);
  const last = await d
    .select({ at: max(channelOrders.createdAt) })
    .from(channelOrders)
    .where(and(eq(channelOrders.storeId, binding.storeId), eq(channelOrders.channel, binding.channel)))
    .get();
  const since = Math.max(last?.at ?? 0, now - LOOK_BACK_MS);
  const client = platformClient(env, binding.channel, await credentialsOf(env, binding));
  const listed = [...new Set(await client.orderIds(since, now))];
  if (listed.length === 0) return 0;
  const known = new Set<string>();
  for (let i = 0; i < listed.length; i += 90) {
    const rows = await d
      .select({ id: channelOrders.externalId })
      .from(channelOrders)
      .where(
        and(eq(channelOrders.channel, binding.channel), inArray(channelOrders.externalId, listed.slice(i, i + 90))),
      )
      .all();
    for (const r of rows) known.add(r.id);
  }
  let taken = 0;
  for (const externalId of listed.filter((id) => !known.has(id))) {
    const order = await client.order(externalId);
    if (!order || order.lines.length === 0) continue;
    if (await intakeOrder(env, binding, order, now)) taken++;
  }
  return taken;
}
