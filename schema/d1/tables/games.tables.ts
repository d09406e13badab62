import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';

/**
 * A lucky wheel (幸运大转盘): one brand's, with a cost in points, a per-member daily limit
 * and an active window. Its prizes are fixed when it is made, so the odds a guest read are
 * the odds they played; changing them means a new wheel.
 */
export const wheels = sqliteTable(
  'wheels',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    name: text('name').notNull(),
    costPoints: integer('cost_points').notNull().default(0),
    dailyLimit: integer('daily_limit').notNull(),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** The share task: this many distinct friends' opens of a member's link in a day earn one free spin; null: none. */
    sharesForFreeSpin: integer('shares_for_free_spin'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('wheels_brand').on(t.brandId, t.createdAt)],
);

/**
 * A wheel's prizes in their order on the wheel. `awarded` counts up in the spin's own
 * transaction, and the CHECK makes a write past `stock` fail that whole transaction, so a
 * prize is never given beyond its stock however many spins race.
 */
export const wheelPrizes = sqliteTable(
  'wheel_prizes',
  {
    id: text('id').primaryKey(),
    wheelId: text('wheel_id').notNull(),
    brandId: text('brand_id').notNull(),
    position: integer('position').notNull(),
    label: text('label').notNull(),
    kind: text('kind', { enum: ['points', 'coupon', 'none'] }).notNull(),
    points: integer('points').notNull().default(0),
    templateId: text('template_id'),
    weight: integer('weight').notNull(),
    stock: integer('stock'),
    awarded: integer('awarded').notNull().default(0),
  },
  (t) => [
    uniqueIndex('wheel_prizes_position').on(t.wheelId, t.position),
    check('wheel_prizes_within_stock', sql`${t.stock} IS NULL OR ${t.awarded} <= ${t.stock}`),
  ],
);

/**
 * Every spin. (wheel, member, day, n) is unique and n never passes the daily limit, so
 * concurrent spins take distinct slots; slot 0 is the day's free spin from the share task,
 * beyond the limit and so at most one a day. (member, idempotency key) is unique, so a replay
 * finds the first spin. A coupon prize's spin must name the coupon it issued (CHECK): if
 * the coupon could not be issued, the spin, its cost and its stock fail together.
 */
export const wheelSpins = sqliteTable(
  'wheel_spins',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    wheelId: text('wheel_id').notNull(),
    memberId: text('member_id').notNull(),
    /** Brand-local `YYYY-MM-DD`. */
    day: text('day').notNull(),
    n: integer('n').notNull(),
    idemKey: text('idem_key').notNull(),
    prizeId: text('prize_id').notNull(),
    kind: text('kind', { enum: ['points', 'coupon', 'none'] }).notNull(),
    points: integer('points').notNull().default(0),
    couponId: text('coupon_id'),
    costPoints: integer('cost_points').notNull().default(0),
    /** The uniform draw in [0, 1) that picked the prize, kept for audit. */
    draw: real('draw').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('wheel_spins_slot').on(t.wheelId, t.memberId, t.day, t.n),
    uniqueIndex('wheel_spins_idem').on(t.memberId, t.idemKey),
    index('wheel_spins_wheel').on(t.wheelId, t.createdAt),
    // A member's spin history, newest first (GET /v1/members/me/wheels/{wheelId}/spins).
    index('wheel_spins_member').on(t.memberId, t.wheelId, t.createdAt),
    check('wheel_spins_coupon_issued', sql`${t.kind} <> 'coupon' OR ${t.couponId} IS NOT NULL`),
  ],
);

/**
 * A secret word (暗号) for a hidden dish: `word_key` is the matching form (`domain/games/
 * secret-word.ts`), unique per brand so a word a guest says means one dish. The dish is
 * granted as a free-item coupon from `template_id`, made with the word.
 */
export const secretWords = sqliteTable(
  'secret_words',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    word: text('word').notNull(),
    wordKey: text('word_key').notNull(),
    itemId: text('item_id').notNull(),
    templateId: text('template_id').notNull(),
    startsAt: integer('starts_at').notNull(),
    endsAt: integer('ends_at'),
    /** JSON string[]; null: every store of the brand. */
    storeIds: text('store_ids'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('secret_words_key').on(t.brandId, t.wordKey)],
);

/**
 * One redemption per guest per word: (word, member) is unique, and the coupon column must
 * name the coupon issued in the same transaction, so a redemption and its dish land together.
 */
export const secretWordRedemptions = sqliteTable(
  'secret_word_redemptions',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    wordId: text('word_id').notNull(),
    memberId: text('member_id').notNull(),
    storeId: text('store_id').notNull(),
    /** The staff account (or admin) who redeemed it at the counter. */
    redeemedBy: text('redeemed_by').notNull(),
    couponId: text('coupon_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('secret_word_redemptions_once').on(t.wordId, t.memberId),
    index('secret_word_redemptions_store').on(t.storeId, t.createdAt),
  ],
);

/**
 * Friends opening a member's shared wheel link, one row per counted open: unique per
 * (wheel, sharer, day, opener) so a visitor counts once, and per (..., open key) so a group
 * counts once however many of its members open it.
 */
export const wheelShareOpens = sqliteTable(
  'wheel_share_opens',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    wheelId: text('wheel_id').notNull(),
    sharerId: text('sharer_id').notNull(),
    day: text('day').notNull(),
    openerId: text('opener_id').notNull(),
    /** `g:<openGId>` or `v:<member id>` (`domain/games/share-task.ts`). */
    openKey: text('open_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('wheel_share_opens_opener').on(t.wheelId, t.sharerId, t.day, t.openerId),
    uniqueIndex('wheel_share_opens_key').on(t.wheelId, t.sharerId, t.day, t.openKey),
  ],
);
