import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/*
 * Uses of promotions that have limits (per guest, in all): one row per order that took the
 * offer, claimed at placement by a conditional insert (so two stores can never both take
 * the last use) and deleted when the order is cancelled or refunded.
 */
export const promotionUses = sqliteTable(
  'promotion_uses',
  {
    promotionId: text('promotion_id').notNull(),
    orderId: text('order_id').notNull(),
    /** The signed-in guest; null for a staff-placed order of a promotion without a per-guest limit. */
    memberId: text('member_id'),
    storeId: text('store_id').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.promotionId, t.orderId] }),
    index('promotion_uses_member').on(t.promotionId, t.memberId),
    index('promotion_uses_order').on(t.orderId),
  ],
);
