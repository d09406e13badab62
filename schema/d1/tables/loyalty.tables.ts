import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';

/**
 * The brand's loyalty programme as data: tiers and their benefits, points rates and
 * expiry, perks, referral rewards and game odds (`domain/loyalty/rules.ts`, JSON).
 */
export const loyaltyRules = sqliteTable('loyalty_rules', {
  brandId: text('brand_id').primaryKey(),
  rules: text('rules').notNull(),
  updatedAt: updatedAt(),
});

/**
 * A member's standing in the programme. `version` is a compare-and-swap token: every
 * points move rewrites it in the same D1 transaction as its ledger rows, so two moves
 * planned from the same state cannot both land.
 */
export const memberLoyalty = sqliteTable(
  'member_loyalty',
  {
    memberId: text('member_id').primaryKey(),
    brandId: text('brand_id').notNull(),
    tierId: text('tier_id').notNull(),
    tierSince: integer('tier_since').notNull(),
    /** When the scheduled review may next downgrade the tier. */
    tierReviewAt: integer('tier_review_at').notNull(),
    version: text('version').notNull(),
    referralCode: text('referral_code').notNull(),
    /** The member who invited this one (set once, before the first completed order). */
    referredBy: text('referred_by'),
    /** Keyed hash of the device the member used for referrals: one device, one referral. */
    deviceHash: text('device_hash'),
    checkinStreak: integer('checkin_streak').notNull().default(0),
    /** Store-local `YYYY-MM-DD` of the last check-in. */
    lastCheckinDay: text('last_checkin_day'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('member_loyalty_code').on(t.brandId, t.referralCode),
    index('member_loyalty_review').on(t.tierReviewAt),
    index('member_loyalty_referrer').on(t.referredBy),
  ],
);

/** Every tier change with the figures that decided it. */
export const tierHistory = sqliteTable(
  'tier_history',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    fromTier: text('from_tier').notNull(),
    toTier: text('to_tier').notNull(),
    reason: text('reason', { enum: ['upgrade', 'downgrade'] }).notNull(),
    /** JSON: rolling spend and order count at the decision, and the order that triggered it. */
    detail: text('detail').notNull().default('{}'),
    createdAt: createdAt(),
  },
  (t) => [index('tier_history_member').on(t.memberId, t.createdAt)],
);

/**
 * Append-only points ledger. (kind, ref) is unique: an earning is keyed by its order,
 * a reversal by its refund, a spend by its redemption, so no replay posts twice.
 */
export const pointsLedger = sqliteTable(
  'points_ledger',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    kind: text('kind', {
      enum: [
        'earn',
        'reverse',
        'redeem',
        'pay',
        'pay_return',
        'expire',
        'referral',
        'checkin',
        'dice',
        'wheel',
        'review',
        'adjust',
      ],
    }).notNull(),
    ref: text('ref').notNull(),
    /** Signed: credits positive, debits negative. */
    amount: integer('amount').notNull(),
    orderId: text('order_id'),
    /** JSON: per-line points of an earning, lots a debit consumed, shortfalls. */
    detail: text('detail').notNull().default('{}'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('points_ledger_kind_ref').on(t.kind, t.ref),
    index('points_ledger_member').on(t.memberId, t.createdAt),
    index('points_ledger_order').on(t.orderId),
    // Brand-day KPIs sum a brand's ledger over one day.
    index('points_ledger_brand_created').on(t.brandId, t.createdAt),
  ],
);

/**
 * Points lots for FIFO spending and expiry: one per credit, `remaining` drawn down
 * oldest-expiry first. A lot is spendable from `available_at` (after the refund window)
 * until `expires_at`.
 */
export const pointsLots = sqliteTable(
  'points_lots',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    orderId: text('order_id'),
    amount: integer('amount').notNull(),
    remaining: integer('remaining').notNull(),
    availableAt: integer('available_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('points_lots_member').on(t.memberId, t.expiresAt), index('points_lots_expiry').on(t.expiresAt)],
);

/** What members can redeem points for: a coupon, or a dish (a free-item coupon). */
export const pointsCatalog = sqliteTable(
  'points_catalog',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['coupon', 'dish'] }).notNull(),
    cost: integer('cost').notNull(),
    templateId: text('template_id').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('points_catalog_brand').on(t.brandId)],
);

/** Member ↔ inviter links; `invitee_id` is unique, so a member is referred at most once. */
export const referrals = sqliteTable(
  'referrals',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    inviterId: text('inviter_id').notNull(),
    inviteeId: text('invitee_id').notNull(),
    /** `reversed`: the rewarded first order was refunded in full; it no longer counts. */
    status: text('status', { enum: ['pending', 'rewarded', 'reversed'] }).notNull(),
    orderId: text('order_id'),
    createdAt: createdAt(),
    rewardedAt: integer('rewarded_at'),
  },
  (t) => [uniqueIndex('referrals_invitee').on(t.inviteeId), index('referrals_inviter').on(t.inviterId, t.status)],
);

/**
 * Referral cash, one row per rewarded friend (`invitee_id` unique): `locked` until enough
 * friends completed a first order, then `unlocked` with its wallet credit keyed by this row's
 * id; `void` when the friend's first order was refunded in full while still locked.
 */
export const referralCash = sqliteTable(
  'referral_cash',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    inviterId: text('inviter_id').notNull(),
    inviteeId: text('invitee_id').notNull(),
    amount: integer('amount').notNull(),
    status: text('status', { enum: ['locked', 'unlocked', 'void'] }).notNull(),
    createdAt: createdAt(),
    unlockedAt: integer('unlocked_at'),
  },
  (t) => [
    uniqueIndex('referral_cash_invitee').on(t.inviteeId),
    index('referral_cash_inviter').on(t.inviterId, t.status),
  ],
);

/**
 * Check-ins and dice rolls, one row per play: the daily limit is a unique (member, game,
 * day, n) slot, and every roll's outcome is kept.
 */
export const gamePlays = sqliteTable(
  'game_plays',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    game: text('game', { enum: ['checkin', 'dice'] }).notNull(),
    day: text('day').notNull(),
    n: integer('n').notNull(),
    /** JSON: the face rolled, the streak reached. */
    outcome: text('outcome').notNull(),
    points: integer('points').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('game_plays_slot').on(t.memberId, t.game, t.day, t.n)],
);

/** Member reviews of completed orders: one per order, rewarded once. */
export const reviews = sqliteTable(
  'reviews',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    orderId: text('order_id').notNull(),
    storeId: text('store_id').notNull(),
    rating: integer('rating').notNull(),
    text: text('text').notNull().default(''),
    /** The server the guest rated (staff id), and how: both optional. */
    staffId: text('staff_id'),
    serverRating: integer('server_rating'),
    /** JSON string[]: uploaded photo paths (`/media/r/<hex>.<ext>`). */
    photos: text('photos').notNull().default('[]'),
    /** The guest marked it a complaint, or its text holds complaint keywords. */
    complaint: integer('complaint', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('reviews_order').on(t.orderId),
    index('reviews_store').on(t.storeId, t.createdAt),
    index('reviews_brand').on(t.brandId, t.createdAt),
  ],
);

/**
 * One-per-person perks (the new-member gift pack) keyed by a keyed hash of the WeChat
 * identity, so erasing and re-registering does not earn the pack again. Holds no
 * personal data: the hash cannot be reversed without DATA_KEY.
 */
export const perkClaims = sqliteTable(
  'perk_claims',
  {
    brandId: text('brand_id').notNull(),
    perk: text('perk').notNull(),
    personKey: text('person_key').notNull(),
    memberId: text('member_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.perk, t.personKey] })],
);
