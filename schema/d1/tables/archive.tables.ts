import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The order-history months moved to R2 (`ARCHIVE`): one row per store and business month,
 * written in the same D1 batch that deletes the month's rows from `order_history`, so a row
 * here means the object holds them (worker/orders/archive/).
 */
export const orderArchives = sqliteTable(
  'order_archives',
  {
    storeId: text('store_id').notNull(),
    /** Business month `YYYY-MM` (the store's business days, as the rollups count them). */
    month: text('month').notNull(),
    brandId: text('brand_id').notNull(),
    /** R2 key: `orders/<storeId>/<month>.ndjson`. */
    key: text('key').notNull(),
    orders: integer('orders').notNull(),
    bytes: integer('bytes').notNull(),
    archivedAt: integer('archived_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.month] })],
);

/**
 * Where a member's archived orders sit: one row per member, store and month, with each
 * order's place in the month object (`[[createdAt, id, offset, length], ...]`, newest
 * first), so the member's list reads only their own lines, by range, and only of the months
 * they ordered in. Rewritten with the month object (a re-archive, an erasure).
 */
export const orderArchiveMembers = sqliteTable(
  'order_archive_members',
  {
    memberId: text('member_id').notNull(),
    storeId: text('store_id').notNull(),
    month: text('month').notNull(),
    brandId: text('brand_id').notNull(),
    /** The oldest and newest `created_at` among the refs: a page skips months past its cursor. */
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
    refs: text('refs').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.storeId, t.month] })],
);
