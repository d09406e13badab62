import { and, eq, isNull } from 'drizzle-orm';
import { log } from '../../domain/log';
import type { OrderView } from '../../durable-objects/store/contract';
import { members } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { recordOwnChange } from '../orders/history-writes';
import { settleOrderPoints } from './order-points.service';

/**
 * A member's points show the moment staff complete their order (seed A: within 2 s), not
 * when the completion has crossed the events queue, whose batch alone may wait a second.
 * The history row is brought to `completed` first (points are priced from it), then the
 * order's points are settled: the same idempotent steps the consumer runs after, so whichever
 * comes second finds the `earn` entry there (the ledger is unique by kind and order). Tier,
 * tags, referral and the rest stay with the consumer. Best effort: the queue does it anyway.
 */
export async function awardPointsNow(env: Env, brandId: string, order: OrderView, now = Date.now()): Promise<void> {
  if (order.status !== 'completed' || !order.memberId || !order.eventSeq) return;
  const alive = await db(env)
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.id, order.memberId), isNull(members.deletedAt)))
    .get();
  // No member row (a guest never registered) or an erased one earns nothing, as in the consumer.
  if (!alive) return;
  await recordOwnChange(env, brandId, order, now);
  try {
    await settleOrderPoints(env, order.id, now);
  } catch (e) {
    log.warn('points at completion failed; the events consumer settles them', { orderId: order.id, error: e });
  }
}
