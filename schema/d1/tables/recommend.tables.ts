import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/*
 * What recommendations read instead of scanning order history on every request. Both are
 * DERIVED by the nightly `recommend.stats` job from a recent window of completed orders and
 * rewritten whole per brand (delete and insert in one batch), so a second run changes nothing
 * and a bad row heals the next night. Small on purpose: a few partners per dish, a dozen
 * dishes per store and hour band.
 */

/** Dishes bought in the same order, brand-wide: each dish's top partners (domain/recommend/stats.ts). */
export const itemPairs = sqliteTable(
  'item_pairs',
  {
    brandId: text('brand_id').notNull(),
    itemId: text('item_id').notNull(),
    partnerId: text('partner_id').notNull(),
    /** Orders in the window holding both. */
    orders: integer('orders').notNull(),
    /** Of the orders holding the dish, the share (‰) also holding the partner. */
    permille: integer('permille').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.itemId, t.partnerId] })],
);

/** A store's most ordered dishes per hour band (breakfast, lunch, afternoon, dinner, late night). */
export const itemPopularity = sqliteTable(
  'item_popularity',
  {
    storeId: text('store_id').notNull(),
    band: text('band').notNull(),
    itemId: text('item_id').notNull(),
    brandId: text('brand_id').notNull(),
    orders: integer('orders').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.band, t.itemId] }), index('item_popularity_brand').on(t.brandId)],
);
