import { and, eq } from 'drizzle-orm';
import { orderHistory, reviews } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { loyaltyRules } from './loyalty-rules.service';
import { creditPoints, instantLot } from './points.service';

/** A review of the member's own completed order: stored once per order, rewarded once. */
export async function reviewOrder(
  env: Env,
  m: MemberRef,
  input: { orderId: string; rating: number; text?: string },
  now = Date.now(),
) {
  const d = db(env);
  const order = await d
    .select({ memberId: orderHistory.memberId, storeId: orderHistory.storeId, status: orderHistory.status })
    .from(orderHistory)
    .where(and(eq(orderHistory.id, input.orderId), eq(orderHistory.brandId, m.brandId)))
    .get();
  if (!order || order.memberId !== m.id) {
    throw new ApiError(404, 'order.not_found', `No order ${input.orderId} of yours.`);
  }
  if (order.status !== 'completed') {
    throw new ApiError(409, 'review.order_not_completed', 'Only a completed order can be reviewed.', {
      extra: { currentStatus: order.status },
    });
  }
  const id = newId('rev');
  const r = await d
    .insert(reviews)
    .values({
      id,
      brandId: m.brandId,
      memberId: m.id,
      orderId: input.orderId,
      storeId: order.storeId,
      rating: input.rating,
      text: input.text ?? '',
      createdAt: now,
    })
    .onConflictDoNothing({ target: reviews.orderId })
    .run();
  const rules = await loyaltyRules(env, m.brandId, now);
  // Keyed by the order: a repeat (or a retry after the credit failed) posts only what is missing.
  await creditPoints(
    env,
    m,
    {
      kind: 'review',
      ref: input.orderId,
      amount: rules.review.points,
      orderId: null,
      lot: await instantLot(env, m, now),
    },
    now,
  );
  if (r.meta.changes !== 1) throw new ApiError(409, 'review.exists', 'This order was already reviewed.');
  return { id, orderId: input.orderId, rating: input.rating, points: rules.review.points };
}
