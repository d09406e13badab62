import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * D1 tables: the catalog source and everything cross-store. Ids are prefixed text
 * (`brd_…`, `sto_…`), money is integer cents, times are epoch milliseconds.
 * Structured values that are always read whole (opening hours, tags, windows) are JSON text.
 */

const createdAt = () => integer('created_at').notNull();
const updatedAt = () => integer('updated_at').notNull();

export const brands = sqliteTable('brands', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  currency: text('currency').notNull().default('CNY'),
  /** JSON brand policy (e.g. top-up bonus rules); missing keys take defaults. */
  settings: text('settings').notNull().default('{}'),
  createdAt: createdAt(),
});

export const stores = sqliteTable(
  'stores',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    city: text('city').notNull().default(''),
    phone: text('phone').notNull().default(''),
    lat: real('lat').notNull(),
    lng: real('lng').notNull(),
    timeZone: text('time_zone').notNull(),
    /** JSON `WeeklySlot[]` in store-local time; an end before the start runs past midnight. */
    openingHours: text('opening_hours').notNull().default('[]'),
    status: text('status', { enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    /** JSON `StoreSettings` (ordering limits, fees, pay-later areas); missing keys take defaults. */
    settings: text('settings').notNull().default('{}'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('stores_brand').on(t.brandId)],
);

export const diningTables = sqliteTable(
  'dining_tables',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    area: text('area').notNull().default('main'),
    seats: integer('seats').notNull().default(4),
    /** Unguessable token printed in the table's QR code. */
    qrToken: text('qr_token').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('dining_tables_qr').on(t.qrToken), uniqueIndex('dining_tables_name').on(t.storeId, t.name)],
);

export const categories = sqliteTable(
  'categories',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    name: text('name').notNull(),
    sort: integer('sort').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('categories_brand_name').on(t.brandId, t.name)],
);

export const items = sqliteTable(
  'items',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    categoryId: text('category_id')
      .notNull()
      .references(() => categories.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Base price in cents; ignored for ordering when the item has specs. */
    price: integer('price').notNull(),
    imageUrl: text('image_url'),
    calories: integer('calories'),
    /** JSON string arrays. */
    ingredients: text('ingredients').notNull().default('[]'),
    allergens: text('allergens').notNull().default('[]'),
    tags: text('tags').notNull().default('[]'),
    /** JSON `AvailabilityWindow[]`; empty = whenever the store is open. */
    availability: text('availability').notNull().default('[]'),
    /** Recommendation order inside the category: lower first. */
    sort: integer('sort').notNull().default(0),
    maxPerOrder: integer('max_per_order'),
    prepSeconds: integer('prep_seconds').notNull().default(300),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('items_brand').on(t.brandId), index('items_category').on(t.categoryId)],
);

export const itemSpecs = sqliteTable(
  'item_specs',
  {
    id: text('id').primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    price: integer('price').notNull(),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('item_specs_item').on(t.itemId)],
);

export const optionGroups = sqliteTable(
  'option_groups',
  {
    id: text('id').primaryKey(),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    min: integer('min').notNull().default(0),
    max: integer('max').notNull().default(1),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('option_groups_item').on(t.itemId)],
);

export const options = sqliteTable(
  'options',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => optionGroups.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    priceDelta: integer('price_delta').notNull().default(0),
    sort: integer('sort').notNull().default(0),
  },
  (t) => [index('options_group').on(t.groupId)],
);

/** Per-store overrides of the brand catalog: price, off-shelf, manual sold-out. */
export const storeItems = sqliteTable(
  'store_items',
  {
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    price: integer('price'),
    /** JSON { [specId]: cents } */
    specPrices: text('spec_prices').notNull().default('{}'),
    onShelf: integer('on_shelf', { mode: 'boolean' }).notNull().default(true),
    soldOut: integer('sold_out', { mode: 'boolean' }).notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.itemId] })],
);

/**
 * The published menu of each store: the durable copy of what KV serves, so a KV miss
 * rebuilds from what was published, never from unpublished catalog edits.
 */
export const menuSnapshots = sqliteTable('menu_snapshots', {
  storeId: text('store_id')
    .primaryKey()
    .references(() => stores.id, { onDelete: 'cascade' }),
  brandId: text('brand_id')
    .notNull()
    .references(() => brands.id),
  version: integer('version').notNull(),
  /** JSON `MenuSnapshot`. */
  body: text('body').notNull(),
  publishedAt: integer('published_at').notNull(),
});

export const staff = sqliteTable(
  'staff',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    name: text('name').notNull(),
    phone: text('phone').notNull().default(''),
    role: text('role', { enum: ['clerk', 'manager'] }).notNull(),
    /** JSON string[] of store ids this account may act in. */
    storeIds: text('store_ids').notNull().default('[]'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('staff_brand').on(t.brandId)],
);

export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['printer', 'display'] }).notNull(),
    name: text('name').notNull(),
    /** JSON string[] of kitchen stations this device serves. */
    stations: text('stations').notNull().default('[]'),
    /** SHA-256 hex of the device secret; the secret itself is shown once. */
    secretHash: text('secret_hash').notNull(),
    /** SHA-256 hex of the one-time provisioning code; null once used. */
    provisioningCodeHash: text('provisioning_code_hash'),
    provisioningExpiresAt: integer('provisioning_expires_at'),
    provisionedAt: integer('provisioned_at'),
    revokedAt: integer('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('devices_store').on(t.storeId), uniqueIndex('devices_provisioning').on(t.provisioningCodeHash)],
);

export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    openid: text('openid').notNull(),
    unionid: text('unionid'),
    nickname: text('nickname').notNull().default(''),
    /** The bound phone, sealed (AES-GCM, `worker/lib/seal.ts`); never stored in plaintext. */
    phoneSealed: text('phone_sealed'),
    /** HMAC-SHA256 of the normalized phone under a key derived from DATA_KEY: lookup and uniqueness. */
    phoneHash: text('phone_hash'),
    /** `YYYY-MM-DD`; set once by the member, then fixed (birthday perks must not be gamed). */
    birthday: text('birthday'),
    /** JSON string[] of preference tags learned from orders ('milk tea', 'spicy', 'late night'). */
    tags: text('tags').notNull().default('[]'),
    /** Epoch ms: member tokens issued before this are refused (logout everywhere, erasure). */
    tokensValidAfter: integer('tokens_valid_after').notNull().default(0),
    /** Epoch ms of erasure (PIPL/GDPR); the row stays as an anonymous tombstone for financial records. */
    deletedAt: integer('deleted_at'),
    createdAt: createdAt(),
    lastLoginAt: integer('last_login_at').notNull(),
  },
  (t) => [
    uniqueIndex('members_brand_openid').on(t.brandId, t.openid),
    uniqueIndex('members_brand_phone').on(t.brandId, t.phoneHash),
  ],
);

/**
 * Consent history, append-only: one row per grant or withdrawal with the exact text the
 * member saw. The latest row per (member, kind) wins; no row means not granted.
 */
export const memberConsents = sqliteTable(
  'member_consents',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    kind: text('kind', { enum: ['marketing_push', 'marketing_sms'] }).notNull(),
    granted: integer('granted', { mode: 'boolean' }).notNull(),
    /** The consent text shown; blanked when the member is erased. */
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('member_consents_member').on(t.memberId, t.kind, t.createdAt)],
);

/** Who did what to personal data and when (exports, erasures); holds ids and counts, never the data. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    actorRole: text('actor_role').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    subjectId: text('subject_id').notNull(),
    /** JSON: ids and counts only. */
    detail: text('detail').notNull().default('{}'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_subject').on(t.subjectId, t.createdAt)],
);

/** Automatic promotions (brand data): the pricing engine's `Promotion`, stored whole as JSON. */
export const promotions = sqliteTable(
  'promotions',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    /** JSON `Promotion` from domain/pricing. */
    rule: text('rule').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('promotions_brand').on(t.brandId)],
);

/**
 * Coupons a member holds. `status` moves available → locked (by an unpaid order) →
 * used, or back to available when the order is cancelled or expires; every move is one
 * conditional UPDATE so two orders can never spend the same coupon.
 */
export const memberCoupons = sqliteTable(
  'member_coupons',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    memberId: text('member_id').notNull(),
    templateId: text('template_id').notNull(),
    /** JSON `HeldCoupon` from domain/pricing (kind, amounts, scope, validity). */
    rule: text('rule').notNull(),
    validFrom: integer('valid_from').notNull(),
    validTo: integer('valid_to').notNull(),
    status: text('status', { enum: ['available', 'locked', 'used', 'expired'] })
      .notNull()
      .default('available'),
    orderId: text('order_id'),
    issuedAt: integer('issued_at').notNull(),
    usedAt: integer('used_at'),
    /** Unique per issuance (template or campaign, member, period): a replay issues nothing. */
    issueKey: text('issue_key'),
    /** What issued it: `gift_pack`, `birthday`, `referral`, `points`, `campaign:…`, `admin`. */
    source: text('source'),
  },
  (t) => [
    index('member_coupons_member').on(t.memberId, t.status),
    index('member_coupons_order').on(t.orderId),
    uniqueIndex('member_coupons_issue_key').on(t.issueKey),
    index('member_coupons_template').on(t.templateId, t.memberId),
  ],
);

/** Order history, written by the events consumer from store outbox events (idempotent by seq). */
export const orderHistory = sqliteTable(
  'order_history',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    memberId: text('member_id'),
    ticketNo: text('ticket_no').notNull(),
    mode: text('mode').notNull(),
    status: text('status').notNull(),
    total: integer('total').notNull(),
    /** JSON: the order as the store last reported it. */
    body: text('body').notNull(),
    /** Outbox sequence of the last applied event: older or replayed events change nothing. */
    lastSeq: integer('last_seq').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('order_history_member').on(t.memberId, t.createdAt),
    index('order_history_store').on(t.storeId, t.createdAt),
    // Campaign rules read a brand's completed orders by time (recall, night owls, weather).
    index('order_history_brand').on(t.brandId, t.status, t.createdAt),
  ],
);

/**
 * One payment attempt: an external provider charge or a wallet debit. `id` is the
 * out_trade_no sent to the provider. `refunded` only grows, by conditional UPDATE, and
 * never past `amount`.
 */
export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id'),
    /** The order paid for; null for a wallet top-up. */
    orderId: text('order_id'),
    memberId: text('member_id'),
    purpose: text('purpose', { enum: ['order', 'topup'] }).notNull(),
    method: text('method', { enum: ['wechat', 'alipay', 'balance', 'points', 'sandbox'] }).notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('CNY'),
    status: text('status', { enum: ['pending', 'succeeded', 'failed', 'expired', 'review'] }).notNull(),
    providerTxnId: text('provider_txn_id'),
    refunded: integer('refunded').notNull().default(0),
    /** JSON: what the client needs to pay (wx.requestPayment params, a wap URL…). */
    clientParams: text('client_params').notNull().default('{}'),
    expiresAt: integer('expires_at').notNull(),
    createdAt: createdAt(),
    settledAt: integer('settled_at'),
  },
  (t) => [
    index('payments_order').on(t.orderId),
    index('payments_pending').on(t.status, t.createdAt),
    uniqueIndex('payments_provider_txn').on(t.method, t.providerTxnId),
  ],
);

/** Refunds to one tender; `id` is the provider's out_refund_no (idempotent there too). */
export const refunds = sqliteTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    orderId: text('order_id'),
    amount: integer('amount').notNull(),
    status: text('status', { enum: ['processing', 'succeeded', 'failed'] }).notNull(),
    reason: text('reason').notNull(),
    /** JSON [{ index, quantity }]: the order lines this refund pays back, when by line. */
    lines: text('lines').notNull().default('[]'),
    providerRefundId: text('provider_refund_id'),
    createdAt: createdAt(),
    settledAt: integer('settled_at'),
  },
  (t) => [index('refunds_payment').on(t.paymentId), index('refunds_order').on(t.orderId)],
);

/** What happened to payments that needs a human or an audit: refusals, mismatches, late callbacks. */
export const paymentEvents = sqliteTable(
  'payment_events',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id'),
    kind: text('kind').notNull(),
    detail: text('detail').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('payment_events_payment').on(t.paymentId), index('payment_events_kind').on(t.kind, t.createdAt)],
);

/** Stored value: the balance row is a cache of the ledger's sum, moved only with it. */
export const walletBalances = sqliteTable('wallet_balances', {
  memberId: text('member_id').primaryKey(),
  brandId: text('brand_id').notNull(),
  balance: integer('balance').notNull().default(0),
  updatedAt: updatedAt(),
});

/** Append-only wallet ledger; (kind, ref) is unique so a replay can never post twice. */
export const walletLedger = sqliteTable(
  'wallet_ledger',
  {
    id: text('id').primaryKey(),
    memberId: text('member_id').notNull(),
    brandId: text('brand_id').notNull(),
    kind: text('kind', { enum: ['topup', 'bonus', 'payment', 'refund', 'return'] }).notNull(),
    ref: text('ref').notNull(),
    amount: integer('amount').notNull(),
    balanceAfter: integer('balance_after').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('wallet_ledger_kind_ref').on(t.kind, t.ref),
    index('wallet_ledger_member').on(t.memberId, t.createdAt),
  ],
);

/** One row per reconciliation cron run. */
export const reconciliationRuns = sqliteTable('reconciliation_runs', {
  id: text('id').primaryKey(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at').notNull(),
  /** JSON: counts checked, settled, expired, failed, errors. */
  result: text('result').notNull(),
});

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

/**
 * Coupon templates: the pricing engine's coupon rule plus how it is issued. `issued`
 * only grows, by a conditional UPDATE that never passes `total_stock`.
 */
export const couponTemplates = sqliteTable(
  'coupon_templates',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    name: text('name').notNull(),
    /** JSON `HeldCoupon` without id/templateId/name. */
    rule: text('rule').notNull(),
    /** JSON: `{ days }` from issue, or `{ from, to }` fixed epoch ms. */
    validity: text('validity').notNull(),
    totalStock: integer('total_stock'),
    issued: integer('issued').notNull().default(0),
    perMemberLimit: integer('per_member_limit'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('coupon_templates_brand').on(t.brandId)],
);

/** Member ↔ inviter links; `invitee_id` is unique, so a member is referred at most once. */
export const referrals = sqliteTable(
  'referrals',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    inviterId: text('inviter_id').notNull(),
    inviteeId: text('invitee_id').notNull(),
    status: text('status', { enum: ['pending', 'rewarded'] }).notNull(),
    orderId: text('order_id'),
    createdAt: createdAt(),
    rewardedAt: integer('rewarded_at'),
  },
  (t) => [uniqueIndex('referrals_invitee').on(t.inviteeId), index('referrals_inviter').on(t.inviterId, t.status)],
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
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reviews_order').on(t.orderId), index('reviews_store').on(t.storeId, t.createdAt)],
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

/**
 * Pushes to members (WeChat subscribe messages), written before they are queued:
 * `key` is unique so a replayed trigger sends nothing twice, and the delivery result
 * stays on the row.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    storeId: text('store_id'),
    /** Transactional (order status, tier change) pushes are not capped; marketing ones are. */
    category: text('category', { enum: ['transactional', 'marketing'] }).notNull(),
    template: text('template').notNull(),
    /** JSON: template fields and the page to open. */
    data: text('data').notNull(),
    key: text('key').notNull(),
    campaignId: text('campaign_id'),
    status: text('status', { enum: ['queued', 'sending', 'sent', 'failed', 'suppressed'] }).notNull(),
    /** Why it failed or was suppressed (no consent, quiet hours, cap, provider code). */
    result: text('result'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('notifications_key').on(t.key),
    index('notifications_member').on(t.memberId, t.createdAt),
    index('notifications_campaign').on(t.campaignId),
  ],
);

/**
 * Marketing campaigns (brand data): what triggers them (`kind` + `config`), the coupon
 * template they issue, the push they send, and the share held out to measure lift.
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', {
      enum: [
        'manual',
        'drop',
        'partner',
        'recall',
        'weather',
        'night_owl',
        'geofence',
        'birthday',
        'member_day',
        'segment',
        'group_buy',
        'bargain',
      ],
    }).notNull(),
    status: text('status', { enum: ['active', 'paused', 'ended'] }).notNull(),
    templateId: text('template_id'),
    /** JSON: the kind's settings (recall steps, weather templates, drop quantity and time…). */
    config: text('config').notNull().default('{}'),
    /** JSON `{ template, fields, page }` of the marketing push, or null for none. */
    push: text('push'),
    holdoutPercent: integer('holdout_percent').notNull().default(0),
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('campaigns_brand').on(t.brandId, t.status)],
);

/**
 * Who a campaign reached, once per (campaign, member, period): the issuance record that
 * makes every rule idempotent, and the target/holdout split that measures the lift.
 */
export const campaignTargets = sqliteTable(
  'campaign_targets',
  {
    campaignId: text('campaign_id').notNull(),
    memberId: text('member_id').notNull(),
    /** The rule's period: a day, an inactivity episode, a year, a city-day. */
    period: text('period').notNull(),
    grp: text('grp', { enum: ['target', 'holdout'] }).notNull(),
    status: text('status', { enum: ['issued', 'held_out', 'refused'] }).notNull(),
    couponId: text('coupon_id'),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.memberId, t.period] }),
    index('campaign_targets_member').on(t.memberId),
    index('campaign_targets_period').on(t.campaignId, t.period),
  ],
);

/** Counters that cap issuance beyond a template's stock: a daily drop's quantity. */
export const issueCaps = sqliteTable('issue_caps', {
  key: text('key').primaryKey(),
  issued: integer('issued').notNull().default(0),
});

/** Partner exchange codes: stored as hashes, each redeemable once. */
export const partnerCodes = sqliteTable(
  'partner_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    brandId: text('brand_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    batchId: text('batch_id').notNull(),
    redeemedBy: text('redeemed_by'),
    couponId: text('coupon_id'),
    redeemedAt: integer('redeemed_at'),
    createdAt: createdAt(),
  },
  (t) => [index('partner_codes_campaign').on(t.campaignId)],
);

/** RFM scores and segment per member, recomputed nightly. */
export const memberSegments = sqliteTable(
  'member_segments',
  {
    memberId: text('member_id').primaryKey(),
    brandId: text('brand_id').notNull(),
    r: integer('r').notNull(),
    f: integer('f').notNull(),
    m: integer('m').notNull(),
    segment: text('segment').notNull(),
    lastOrderAt: integer('last_order_at'),
    orders: integer('orders').notNull(),
    spend: integer('spend').notNull(),
    computedAt: integer('computed_at').notNull(),
  },
  (t) => [index('member_segments_segment').on(t.brandId, t.segment)],
);

/** One weather check per city per day: the forecast and what it triggered. */
export const weatherChecks = sqliteTable(
  'weather_checks',
  {
    brandId: text('brand_id').notNull(),
    city: text('city').notNull(),
    day: text('day').notNull(),
    kind: text('kind'),
    forecast: text('forecast').notNull(),
    checkedAt: integer('checked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.city, t.day] })],
);

/** Each cron or admin run of a campaign: how many it targeted, held out, and queued. */
export const campaignRuns = sqliteTable(
  'campaign_runs',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    period: text('period').notNull(),
    targeted: integer('targeted').notNull(),
    messages: integer('messages').notNull(),
    startedAt: integer('started_at').notNull(),
    /** JSON: per-batch issued/refused counts and D1 rows written, filled by the consumer. */
    detail: text('detail').notNull().default('{}'),
  },
  (t) => [index('campaign_runs_campaign').on(t.campaignId, t.startedAt)],
);

/** Messages that exhausted their retries, kept for admins to read and re-drive. */
export const deadLetters = sqliteTable(
  'dead_letters',
  {
    id: text('id').primaryKey(),
    queue: text('queue').notNull(),
    body: text('body').notNull(),
    attempts: integer('attempts').notNull(),
    createdAt: createdAt(),
    redrivenAt: integer('redriven_at'),
  },
  (t) => [index('dead_letters_queue').on(t.queue, t.redrivenAt)],
);

/** Group buys: a leader opens, friends join within the time limit, the group fills or fails. */
export const groupBuys = sqliteTable(
  'group_buys',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    brandId: text('brand_id').notNull(),
    leaderId: text('leader_id').notNull(),
    size: integer('size').notNull(),
    joined: integer('joined').notNull().default(0),
    status: text('status', { enum: ['open', 'filled', 'failed'] }).notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: createdAt(),
    settledAt: integer('settled_at'),
  },
  (t) => [index('group_buys_open').on(t.status, t.expiresAt), index('group_buys_campaign').on(t.campaignId)],
);

export const groupMembers = sqliteTable(
  'group_members',
  {
    groupId: text('group_id').notNull(),
    memberId: text('member_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    /** The member's paid order for the group item: refunded in full if the group fails. */
    orderId: text('order_id').notNull(),
    deviceHash: text('device_hash'),
    joinedAt: integer('joined_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.memberId] }),
    uniqueIndex('group_members_order').on(t.orderId),
    index('group_members_member').on(t.memberId, t.campaignId),
  ],
);

/** Bargain ladders: a member shares, friends help, each rung reached issues its reward. */
export const bargains = sqliteTable(
  'bargains',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id').notNull(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    helpers: integer('helpers').notNull().default(0),
    status: text('status', { enum: ['open', 'done', 'expired'] }).notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('bargains_member').on(t.memberId, t.campaignId)],
);

export const bargainHelps = sqliteTable(
  'bargain_helps',
  {
    bargainId: text('bargain_id').notNull(),
    helperId: text('helper_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    deviceHash: text('device_hash'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.bargainId, t.helperId] }),
    index('bargain_helps_helper').on(t.helperId, t.campaignId),
  ],
);
