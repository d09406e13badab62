import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';

/* What a review says beyond the order's stars (the review itself is `reviews`, in loyalty). */

/** A review's rating of one dish of the order. */
export const reviewDishes = sqliteTable(
  'review_dishes',
  {
    reviewId: text('review_id').notNull(),
    itemId: text('item_id').notNull(),
    storeId: text('store_id').notNull(),
    rating: integer('rating').notNull(),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.itemId] })],
);

/**
 * Each dish's ratings per store, kept as a running sum and count in the same D1
 * transaction as the review, so the menu reads one row per dish instead of every review.
 */
export const dishRatings = sqliteTable(
  'dish_ratings',
  {
    storeId: text('store_id').notNull(),
    itemId: text('item_id').notNull(),
    ratingSum: integer('rating_sum').notNull(),
    ratingCount: integer('rating_count').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.itemId] })],
);

/** The complaint keywords found in a review, each once per dish (`''`: the order as a whole). */
export const reviewKeywords = sqliteTable(
  'review_keywords',
  {
    reviewId: text('review_id').notNull(),
    keyword: text('keyword').notNull(),
    itemId: text('item_id').notNull().default(''),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    /** The store-local Monday of the review's week, `YYYY-MM-DD`. */
    week: text('week').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.reviewId, t.keyword, t.itemId] }),
    index('review_keywords_store_week').on(t.storeId, t.week),
  ],
);

/**
 * A low rating or a complaint, for the store's manager: answer the guest before `dueAt`,
 * then resolve it (optionally with a make-good coupon). One per review.
 */
export const reviewFollowUps = sqliteTable(
  'review_follow_ups',
  {
    reviewId: text('review_id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    reason: text('reason', { enum: ['low_rating', 'complaint'] }).notNull(),
    status: text('status', { enum: ['open', 'answered', 'resolved'] }).notNull(),
    dueAt: integer('due_at').notNull(),
    answer: text('answer'),
    answeredAt: integer('answered_at'),
    answeredBy: text('answered_by'),
    resolution: text('resolution'),
    resolvedAt: integer('resolved_at'),
    resolvedBy: text('resolved_by'),
    couponId: text('coupon_id'),
    createdAt: createdAt(),
  },
  (t) => [index('review_follow_ups_store').on(t.storeId, t.status, t.dueAt)],
);
