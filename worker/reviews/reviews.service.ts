import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PricedLine } from '../../domain/pricing';
import { extractComplaints } from '../../domain/reviews/complaint-keywords';
import { FOLLOW_UP_DEADLINE_MS, followUpReason, weekOf } from '../../domain/reviews/review-rules';
import { isoInZone } from '../../domain/zoned-time';
import type { ReviewInput } from '../../schema/api/reviews.schemas';
import {
  dishRatings,
  orderHistory,
  reviewDishes,
  reviewFollowUps,
  reviewKeywords,
  reviews,
  staff,
  stores,
} from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, type FieldError } from '../http/errors';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';
import { insertWhere } from '../lib/insert-select';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { creditPoints, instantLot } from '../loyalty/points.service';
import type { MemberRef } from '../members/members.service';
import { reviewCreated } from '../webhooks/brand-events';
import { announceBrandEvent } from '../webhooks/fan-out.service';
import { forgetDishRatings } from './dish-ratings.service';
import { announceFollowUp } from './follow-ups.service';

type ProblemCode = import('../../domain/problem-codes').ProblemCode;
type Input = import('zod').infer<typeof ReviewInput>;

const unprocessable = (code: ProblemCode, errors: FieldError[], extra?: Record<string, unknown>) =>
  new ApiError(422, code, errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors, extra });

/**
 * A review of the member's own completed order: stored once per order with its dish
 * ratings, complaint keywords and (for a low rating or a complaint) the manager's
 * follow-up, all in one D1 transaction, then rewarded once.
 */
export async function reviewOrder(env: Env, m: MemberRef, input: Input, now = Date.now()) {
  const d = db(env);
  const order = await d
    .select({
      memberId: orderHistory.memberId,
      storeId: orderHistory.storeId,
      status: orderHistory.status,
      body: orderHistory.body,
      timeZone: stores.timeZone,
    })
    .from(orderHistory)
    .leftJoin(stores, eq(stores.id, orderHistory.storeId))
    .where(and(eq(orderHistory.id, input.orderId), eq(orderHistory.brandId, m.brandId)))
    .get();
  if (!order || order.memberId !== m.id) {
    throw unprocessable('review.order_not_yours', [{ path: 'orderId', message: 'not an order of yours' }]);
  }
  if (order.status !== 'completed') {
    throw unprocessable('review.order_not_completed', [{ path: 'orderId', message: 'the order is not completed' }], {
      currentStatus: order.status,
    });
  }
  const lines = json<{ lines?: PricedLine[] }>(order.body, {}).lines ?? [];
  const inOrder = new Map(lines.map((l) => [l.itemId, l.name]));
  const errors: FieldError[] = [];
  input.dishes?.forEach((dish, i) => {
    if (!inOrder.has(dish.itemId)) errors.push({ path: `dishes.${i}.itemId`, message: 'not a dish of this order' });
  });
  const staffId = input.server?.staffId ?? null;
  if (staffId && !(await worksAt(env, m.brandId, staffId, order.storeId))) {
    errors.push({ path: 'server.staffId', message: "not a staff member of the order's store" });
  }
  if (errors.length) throw unprocessable('validation.failed', errors);

  const timeZone = order.timeZone ?? 'Asia/Shanghai';
  const hits = extractComplaints(
    input.text ?? '',
    [...inOrder].map(([itemId, name]) => ({ itemId, name })),
  );
  const dishes = input.dishes ?? [];
  const reason = followUpReason({
    rating: input.rating,
    dishRatings: dishes.map((x) => x.rating),
    serverRating: input.server?.rating ?? null,
    complaint: input.complaint === true,
    keywords: hits,
  });
  const id = newId('rev');
  const written = sql`exists (select 1 from ${reviews} where ${reviews.id} = ${id})`;
  const week = weekOf(now, timeZone);
  const storeId = order.storeId;
  const statements = [
    d
      .insert(reviews)
      .values({
        id,
        brandId: m.brandId,
        memberId: m.id,
        orderId: input.orderId,
        storeId,
        rating: input.rating,
        text: input.text ?? '',
        staffId,
        serverRating: input.server?.rating ?? null,
        photos: JSON.stringify(input.photos ?? []),
        complaint: input.complaint === true || hits.length > 0,
        createdAt: now,
      })
      .onConflictDoNothing({ target: reviews.orderId }),
    // The rest only if this request wrote the review: a second review of the order adds nothing.
    ...dishes.flatMap((dish) => dishStatements(d, written, { reviewId: id, storeId, ...dish }, now)),
    ...hits.map((h) =>
      insertWhere(
        d,
        reviewKeywords,
        { reviewId: id, keyword: h.keyword, itemId: h.itemId ?? '', brandId: m.brandId, storeId, week },
        written,
      ).onConflictDoNothing(),
    ),
    ...(reason
      ? [
          insertWhere(
            d,
            reviewFollowUps,
            {
              reviewId: id,
              brandId: m.brandId,
              storeId,
              reason,
              status: 'open',
              dueAt: now + FOLLOW_UP_DEADLINE_MS,
              createdAt: now,
            },
            written,
          ).onConflictDoNothing(),
        ]
      : []),
  ];
  const [inserted] = (await d.batch(statements as [(typeof statements)[number], ...typeof statements])) as D1Result[];
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
  if (inserted!.meta.changes !== 1) throw new ApiError(409, 'review.exists', 'This order was already reviewed.');
  if (dishes.length) forgetDishRatings(storeId);
  await announceBrandEvent(
    env,
    reviewCreated({
      id,
      brandId: m.brandId,
      storeId,
      orderId: input.orderId,
      memberId: m.id,
      rating: input.rating,
      text: input.text ?? '',
      complaint: input.complaint === true || hits.length > 0,
      createdAt: now,
    }),
    now,
  );
  if (reason)
    await announceFollowUp(env, { brandId: m.brandId, storeId, reviewId: id, reason, rating: input.rating }, now);
  return {
    id,
    orderId: input.orderId,
    rating: input.rating,
    points: rules.review.points,
    keywords: [...new Set(hits.map((h) => h.keyword))],
    followUp: reason ? { reason, dueAt: isoInZone(now + FOLLOW_UP_DEADLINE_MS, timeZone) } : null,
  };
}

/** The dish's rating row and its running total, both only if the review was written. */
function dishStatements(
  d: ReturnType<typeof db>,
  written: SQL,
  r: { reviewId: string; storeId: string; itemId: string; rating: number },
  now: number,
) {
  const t = dishRatings;
  return [
    insertWhere(d, reviewDishes, r, written).onConflictDoNothing(),
    insertWhere(
      d,
      t,
      { storeId: r.storeId, itemId: r.itemId, ratingSum: r.rating, ratingCount: 1, updatedAt: now },
      written,
    ).onConflictDoUpdate({
      target: [t.storeId, t.itemId],
      set: {
        ratingSum: sql`${t.ratingSum} + ${sql.raw(`excluded.${t.ratingSum.name}`)}`,
        ratingCount: sql`${t.ratingCount} + 1`,
        updatedAt: now,
      },
    }),
  ];
}

async function worksAt(env: Env, brandId: string, staffId: string, storeId: string) {
  const row = await db(env)
    .select({ one: sql`1` })
    .from(staff)
    .where(
      and(
        eq(staff.id, staffId),
        eq(staff.brandId, brandId),
        eq(staff.active, true),
        sql`exists (select 1 from json_each(${staff.storeIds}) where json_each.value = ${storeId})`,
      ),
    )
    .get();
  return !!row;
}
