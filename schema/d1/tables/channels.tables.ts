import { integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * A store bound to a delivery platform (Meituan Waimai, Ele.me): the platform's app id, the
 * shop's id there, and the app secret sealed under DATA_KEY (we sign calls and check pushes
 * with it, so it cannot be a hash; it is never shown again). One binding per store and
 * channel; a platform shop belongs to one store.
 */
export const channelBindings = sqliteTable(
  'channel_bindings',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    channel: text('channel', { enum: ['meituan', 'eleme'] }).notNull(),
    appId: text('app_id').notNull(),
    secretSealed: text('secret_sealed').notNull(),
    platformShopId: text('platform_shop_id').notNull(),
    autoAccept: integer('auto_accept', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('channel_bindings_shop').on(t.channel, t.platformShopId),
    uniqueIndex('channel_bindings_store').on(t.storeId, t.channel),
  ],
);

/**
 * Refused pushes, counted (never stored): per channel, reason (`signature`, `stale`,
 * `unknown_shop`, `malformed`), UTC day and the store whose shop the push named (known for a
 * bad signature or a stale timestamp; '' when no binding was found).
 */
export const channelRefusals = sqliteTable(
  'channel_refusals',
  {
    channel: text('channel').notNull(),
    reason: text('reason').notNull(),
    day: text('day').notNull(),
    storeId: text('store_id').notNull().default(''),
    count: integer('count').notNull().default(0),
    /** The latest refusal counted here (null for counts made before it was kept). */
    lastAt: integer('last_at'),
  },
  (t) => [primaryKey({ columns: [t.channel, t.reason, t.day, t.storeId] })],
);

/**
 * Which store took a platform order: a push that names only the order (Meituan's cancel and
 * refund pushes may carry no `app_poi_code`) finds its store, and so its binding and secret.
 * Written once at intake; the store holds the order itself.
 */
export const channelOrders = sqliteTable(
  'channel_orders',
  {
    channel: text('channel', { enum: ['meituan', 'eleme'] }).notNull(),
    externalId: text('external_id').notNull(),
    storeId: text('store_id').notNull(),
    orderId: text('order_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.externalId] })],
);
