import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * Courier dispatch: each store's carrier accounts, every dispatch to a carrier, and the
 * count of refused carrier callbacks. Carrier secrets are sealed under DATA_KEY (we sign
 * with them, so they cannot be hashes) and never read back through the API.
 */

/** One carrier account of a store: its public settings as JSON, its secrets sealed as JSON. */
export const carrierAccounts = sqliteTable(
  'carrier_accounts',
  {
    storeId: text('store_id').notNull(),
    brandId: text('brand_id').notNull(),
    carrier: text('carrier', { enum: ['dada', 'sf', 'wechat'] }).notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    /** JSON of the non-secret fields (app key, source id, shop numbers, delivery ids …). */
    settings: text('settings').notNull(),
    /** `seal(JSON of the secret fields)`. */
    secretsSealed: text('secrets_sealed').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.carrier] }), index('carrier_accounts_brand').on(t.brandId)],
);

/**
 * One hand-over of an order to a carrier. Its id is the order number the carrier knows us
 * by (Dada `origin_id`, SF and WeChat `shop_order_id`), so a callback finds it; at most one
 * dispatch per order is `placing` or `live` (the partial unique index), which makes a
 * second dispatch call answer the first instead of calling a second rider.
 */
export const deliveryDispatches = sqliteTable(
  'delivery_dispatches',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    storeId: text('store_id').notNull(),
    brandId: text('brand_id').notNull(),
    carrier: text('carrier', { enum: ['dada', 'sf', 'wechat'] }).notNull(),
    /** The carrier's order number (Dada `deliveryNo`, SF `sf_order_id`, WeChat `waybill_id`); the tracking number. */
    trackingNo: text('tracking_no'),
    status: text('status', { enum: ['placing', 'live', 'cancelled', 'delivered', 'failed'] }).notNull(),
    /** What the carrier charges, in fen, as quoted when placing. */
    fee: integer('fee').notNull(),
    /** Minutes the carrier promised, as quoted when placing. */
    promisedMinutes: integer('promised_minutes').notNull(),
    /** For WeChat instant delivery: which carrier behind it (`SFTC`, `DADA` …). */
    subCarrier: text('sub_carrier'),
    /** The `Idempotency-Key` it was asked with: a retry with it answers this dispatch, even after a cancel. */
    idempotencyKey: text('idempotency_key'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('delivery_dispatches_one_live').on(t.orderId).where(sql`status in ('placing', 'live')`),
    index('delivery_dispatches_order').on(t.orderId, t.createdAt),
    index('delivery_dispatches_tracking').on(t.carrier, t.trackingNo),
  ],
);

/**
 * Refused carrier callbacks, counted per carrier, reason and day (Asia/Shanghai). A refused
 * callback is unverified, so it is never stored as itself: a flood moves a number.
 */
export const deliveryCallbackRefusals = sqliteTable(
  'delivery_callback_refusals',
  {
    carrier: text('carrier').notNull(),
    reason: text('reason').notNull(),
    day: text('day').notNull(),
    count: integer('count').notNull(),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.carrier, t.reason, t.day] })],
);
