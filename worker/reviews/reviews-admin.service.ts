import { and, desc, eq, gte, inArray, isNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import { compareKeywordCounts } from '../../domain/reviews/review-rules';
import { addDays, isoInZone, zonedEpoch } from '../../domain/zoned-time';
import { reviewDishes, reviewFollowUps, reviewKeywords, reviews, stores } from '../../schema/d1/tables';
import { storeScope } from '../analytics/analytics-scope';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { notFound } from '../http/errors';
import { db, json } from '../lib/db';
import { followUpView } from './follow-ups.service';

export interface ReviewFilters {
  storeId?: string | string[];
  rating?: number;
  maxRating?: number;
  hasComplaint?: boolean;
  keyword?: string;
  from?: string;
  to?: string;
  followUp?: 'open' | 'answered' | 'resolved' | 'overdue' | 'none';
  limit: number;
  before?: string;
}

type Row = {
  review: typeof reviews.$inferSelect;
  followUp: typeof reviewFollowUps.$inferSelect | null;
  timeZone: string | null;
};

/** Store-local dates `from`…`to` (inclusive) as epoch bounds, in the stores' zone. */
function dayBounds(timeZone: string, from?: string, to?: string) {
  const start = (day: string) => {
    const [year, month, d] = day.split('-').map(Number) as [number, number, number];
    return zonedEpoch({ year, month, day: d, weekday: 1 }, 0, timeZone);
  };
  const next = (day: string) => {
    const [year, month, d] = day.split('-').map(Number) as [number, number, number];
    return zonedEpoch(addDays({ year, month, day: d, weekday: 1 }, 1), 0, timeZone);
  };
  return { from: from ? start(from) : undefined, to: to ? next(to) : undefined };
}

/**
 * Reviews of the stores the caller may see (a manager their own, an admin the brand's),
 * newest first, filtered by store, stars, complaint, words in the text, store-local dates
 * and follow-up state. One page plus the next cursor.
 */
export async function listReviews(env: Env, p: Principal, q: ReviewFilters, now = Date.now()) {
  const scope = await storeScope(env, p, q.storeId);
  const d = db(env);
  const r = reviews;
  const f = reviewFollowUps;
  const tz = await scopeZone(env, scope.stores[0]?.id);
  const days = dayBounds(tz, q.from, q.to);
  const conditions: (SQL | undefined)[] = [
    eq(r.brandId, p.brandId),
    scope.all
      ? undefined
      : inArray(
          r.storeId,
          scope.stores.map((s) => s.id),
        ),
    q.rating === undefined ? undefined : eq(r.rating, q.rating),
    q.maxRating === undefined ? undefined : lte(r.rating, q.maxRating),
    q.hasComplaint === undefined ? undefined : eq(r.complaint, q.hasComplaint),
    q.keyword === undefined
      ? undefined
      : sql`(instr(${r.text}, ${q.keyword}) > 0 or exists (select 1 from ${reviewKeywords} where ${reviewKeywords.reviewId} = ${r.id} and ${reviewKeywords.keyword} = ${q.keyword}))`,
    days.from === undefined ? undefined : gte(r.createdAt, days.from),
    days.to === undefined ? undefined : lt(r.createdAt, days.to),
    afterCursor(q.before),
    followUpCondition(q.followUp, now),
  ];
  if (!scope.all && scope.stores.length === 0) return { items: [], nextBefore: null };
  const rows = await d
    .select({ review: r, followUp: f, timeZone: stores.timeZone })
    .from(r)
    .leftJoin(f, eq(f.reviewId, r.id))
    .leftJoin(stores, eq(stores.id, r.storeId))
    .where(and(...conditions))
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(q.limit + 1)
    .all();
  const page = rows.slice(0, q.limit);
  const items = await views(env, page, now);
  const last = page.at(-1)?.review;
  return { items, nextBefore: rows.length > q.limit && last ? `${last.createdAt}.${last.id}` : null };
}

/** Older than the cursor `<createdAt ms>.<review id>`: exact even when reviews share a millisecond. */
function afterCursor(before: string | undefined) {
  if (before === undefined) return undefined;
  const dot = before.indexOf('.');
  const at = Number(before.slice(0, dot));
  const id = before.slice(dot + 1);
  return sql`(${reviews.createdAt} < ${at} or (${reviews.createdAt} = ${at} and ${reviews.id} < ${id}))`;
}

function followUpCondition(state: ReviewFilters['followUp'], now: number) {
  const f = reviewFollowUps;
  if (state === undefined) return undefined;
  if (state === 'none') return isNull(f.reviewId);
  if (state === 'overdue') return and(eq(f.status, 'open'), lte(f.dueAt, now));
  return eq(f.status, state);
}

async function scopeZone(env: Env, storeId: string | undefined) {
  if (!storeId) return 'Asia/Shanghai';
  const s = await db(env).select({ tz: stores.timeZone }).from(stores).where(eq(stores.id, storeId)).get();
  return s?.tz ?? 'Asia/Shanghai';
}

/** One review as staff read it; a review of a store the caller may not see is 404. */
export async function readReview(env: Env, p: Principal, reviewId: string, now = Date.now()) {
  const row = await db(env)
    .select({ review: reviews, followUp: reviewFollowUps, timeZone: stores.timeZone })
    .from(reviews)
    .leftJoin(reviewFollowUps, eq(reviewFollowUps.reviewId, reviews.id))
    .leftJoin(stores, eq(stores.id, reviews.storeId))
    .where(and(eq(reviews.id, reviewId), eq(reviews.brandId, p.brandId)))
    .get();
  if (!row || (p.role !== 'admin' && !p.storeIds.includes(row.review.storeId))) throw notFound('review', reviewId);
  return (await views(env, [row], now))[0]!;
}

/** Reviews with their dish ratings and keywords: two reads for the whole page. */
async function views(env: Env, rows: Row[], now: number) {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.review.id);
  const d = db(env);
  const [dishes, keywords] = await d.batch([
    d.select().from(reviewDishes).where(inArray(reviewDishes.reviewId, ids)),
    d.select().from(reviewKeywords).where(inArray(reviewKeywords.reviewId, ids)),
  ]);
  return rows.map(({ review: r, followUp, timeZone }) => {
    const tz = timeZone ?? 'Asia/Shanghai';
    return {
      id: r.id,
      orderId: r.orderId,
      storeId: r.storeId,
      memberId: r.memberId,
      rating: r.rating,
      text: r.text,
      dishes: dishes.filter((x) => x.reviewId === r.id).map((x) => ({ itemId: x.itemId, rating: x.rating })),
      server: r.serverRating === null ? null : { staffId: r.staffId, rating: r.serverRating },
      photos: json<string[]>(r.photos, []),
      complaint: r.complaint,
      keywords: keywords
        .filter((k) => k.reviewId === r.id)
        .map((k) => ({ keyword: k.keyword, itemId: k.itemId === '' ? null : k.itemId })),
      createdAt: isoInZone(r.createdAt, tz),
      followUp: followUp ? followUpView(followUp, tz, now) : null,
    };
  });
}

/** Complaint keyword counts per store, week (store-local Monday) and dish, most frequent first. */
export async function keywordCounts(
  env: Env,
  p: Principal,
  q: { storeId?: string | string[]; from?: string; to?: string; itemId?: string },
) {
  const scope = await storeScope(env, p, q.storeId);
  if (!scope.all && scope.stores.length === 0) return { items: [] };
  const k = reviewKeywords;
  const rows = await db(env)
    .select({ storeId: k.storeId, week: k.week, itemId: k.itemId, keyword: k.keyword, count: sql<number>`count(*)` })
    .from(k)
    .where(
      and(
        eq(k.brandId, p.brandId),
        scope.all
          ? undefined
          : inArray(
              k.storeId,
              scope.stores.map((s) => s.id),
            ),
        q.from ? gte(k.week, q.from) : undefined,
        q.to ? lte(k.week, q.to) : undefined,
        q.itemId === undefined ? undefined : eq(k.itemId, q.itemId),
      ),
    )
    .groupBy(k.storeId, k.week, k.itemId, k.keyword)
    .all();
  const items = rows.map((r) => ({ ...r, itemId: r.itemId === '' ? null : r.itemId, count: Number(r.count) }));
  // The same order as the pure count, so the route and the rule agree.
  return { items: items.sort(compareKeywordCounts) };
}
