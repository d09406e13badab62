import { and, eq, inArray, sql } from 'drizzle-orm';
import { type FollowUpReason, isOverdue } from '../../domain/reviews/review-rules';
import { isoInZone } from '../../domain/zoned-time';
import { reviewFollowUps, reviews, stores } from '../../schema/d1/tables';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import { notify } from '../notify/pushes.service';
import { notifyStaff } from '../notify/staff-pushes.service';
import { storeManagers } from '../staff/store-managers';
import { readReview } from './reviews-admin.service';

/** Each manager of the store hears of a new follow-up once (their inbox, and WeChat if linked). */
export async function announceFollowUp(
  env: Env,
  f: { brandId: string; storeId: string; reviewId: string; reason: FollowUpReason; rating: number },
  now: number,
) {
  const d = db(env);
  const [store, managers] = await Promise.all([
    d.select({ name: stores.name }).from(stores).where(eq(stores.id, f.storeId)).get(),
    storeManagers(env, f.brandId, f.storeId),
  ]);
  await notifyStaff(
    env,
    managers.map((m) => ({
      brandId: f.brandId,
      staffId: m.id,
      storeId: f.storeId,
      alertId: null,
      template: 'review_follow_up',
      data: {
        store: store?.name ?? f.storeId,
        reason: f.reason === 'low_rating' ? `${f.rating}星差评` : '顾客投诉',
        time: new Date(now).toISOString(),
      },
      key: `review:${f.reviewId}:follow-up:${m.id}`,
    })),
    now,
  );
}

/** The review's follow-up, if the caller may see its store; else 404 (ids do not leak). */
async function followUpOf(env: Env, p: Principal, reviewId: string) {
  const row = await db(env)
    .select({
      review: reviews,
      followUp: reviewFollowUps,
      storeName: stores.name,
      timeZone: stores.timeZone,
    })
    .from(reviews)
    .leftJoin(reviewFollowUps, eq(reviewFollowUps.reviewId, reviews.id))
    .leftJoin(stores, eq(stores.id, reviews.storeId))
    .where(and(eq(reviews.id, reviewId), eq(reviews.brandId, p.brandId)))
    .get();
  if (!row || (p.role !== 'admin' && !p.storeIds.includes(row.review.storeId))) throw notFound('review', reviewId);
  if (!row.followUp) {
    throw new ApiError(409, 'review.no_follow_up', 'This review has no follow-up: it was neither low nor a complaint.');
  }
  return { ...row, followUp: row.followUp };
}

/**
 * The manager's answer to the guest, sent to them once through the notify queue. Answering
 * again with the same words is a retry (the push is keyed by the review, so still once);
 * other words are 409 `review.already_answered`.
 */
export async function answerReview(env: Env, p: Principal, reviewId: string, text: string, now = Date.now()) {
  const row = await followUpOf(env, p, reviewId);
  const f = reviewFollowUps;
  if (row.followUp.answer === null) {
    await db(env)
      .update(f)
      .set({ answer: text, answeredAt: now, answeredBy: p.subject, status: 'answered' })
      .where(and(eq(f.reviewId, reviewId), eq(f.status, 'open'), sql`${f.answer} is null`))
      .run();
  }
  const after = await followUpOf(env, p, reviewId);
  if (after.followUp.answer !== text) {
    throw new ApiError(409, 'review.already_answered', 'The guest was already answered.', {
      extra: { answer: after.followUp.answer },
    });
  }
  await notify(
    env,
    {
      brandId: row.review.brandId,
      memberId: row.review.memberId,
      storeId: row.review.storeId,
      category: 'transactional',
      template: 'review_answered',
      data: { store: row.storeName ?? row.review.storeId, answer: text },
      page: `/orders/${row.review.orderId}`,
      key: `review:${reviewId}:answer`,
    },
    now,
  );
  return readReview(env, p, reviewId, now);
}

/**
 * Closes the follow-up, optionally with a make-good coupon for the guest (issued once per
 * review, whatever the retries). A template the brand does not have is 422, nothing stored.
 */
export async function resolveReview(
  env: Env,
  p: Principal,
  reviewId: string,
  input: { resolution?: string; couponTemplateId?: string },
  now = Date.now(),
) {
  const row = await followUpOf(env, p, reviewId);
  if (row.followUp.status === 'resolved') {
    throw new ApiError(409, 'review.already_resolved', 'This follow-up is already resolved.');
  }
  let couponId: string | null = null;
  if (input.couponTemplateId) {
    const issued = await issueCoupon(
      env,
      {
        brandId: row.review.brandId,
        memberId: row.review.memberId,
        templateId: input.couponTemplateId,
        issueKey: `review:${reviewId}:make-good`,
        source: 'review',
      },
      now,
    );
    if (!issued.issued && issued.reason === 'not_found') {
      throw new ApiError(422, 'validation.failed', 'couponTemplateId: no such coupon template', {
        errors: [{ path: 'couponTemplateId', message: 'no such coupon template' }],
      });
    }
    if (!issued.issued && !issued.couponId) {
      throw new ApiError(409, 'review.coupon_not_issued', `The make-good coupon was not issued: ${issued.reason}.`, {
        extra: { reason: issued.reason },
      });
    }
    couponId = issued.couponId ?? null;
  }
  const f = reviewFollowUps;
  await db(env)
    .update(f)
    .set({ status: 'resolved', resolution: input.resolution ?? null, resolvedAt: now, resolvedBy: p.subject, couponId })
    .where(and(eq(f.reviewId, reviewId), inArray(f.status, ['open', 'answered'])))
    .run();
  return readReview(env, p, reviewId, now);
}

/** A follow-up as staff read it, times in the store's zone. */
export function followUpView(f: typeof reviewFollowUps.$inferSelect, timeZone: string, now: number) {
  const at = (ms: number | null) => (ms === null ? null : isoInZone(ms, timeZone));
  return {
    reason: f.reason,
    status: f.status,
    dueAt: isoInZone(f.dueAt, timeZone),
    overdue: isOverdue(f, now),
    answer: f.answer,
    answeredAt: at(f.answeredAt),
    resolution: f.resolution,
    resolvedAt: at(f.resolvedAt),
    couponId: f.couponId,
  };
}
