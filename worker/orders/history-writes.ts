import { log } from '../../domain/log';
import type { OrderView } from '../../durable-objects/store/contract';
import { upsertOwnChange } from '../../schema/d1/order-history-upsert';
import { storeClocks } from '../analytics/rollups.service';
import type { Env } from '../env';
import { db } from '../lib/db';

/**
 * Read-your-writes: the guest's own order (just placed, or just cancelled) goes into their
 * history now rather than when the outbox event has crossed the queue, a second or more
 * later. The same idempotent upsert the consumer runs, with the event's own seq, so whichever
 * comes second changes nothing. Best effort: the queue delivers it anyway.
 */
export async function recordOwnChange(env: Env, brandId: string, order: OrderView, now = Date.now()): Promise<void> {
  if (!order.eventSeq || !order.memberId) return;
  try {
    const clocks = await storeClocks(db(env), [order.storeId]);
    await upsertOwnChange(env.DB, brandId, order, now, clocks.get(order.storeId)).run();
  } catch (e) {
    log.warn('own history write failed', { orderId: order.id, error: e });
  }
}
