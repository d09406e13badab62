import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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
    /** Store business day the order was placed (`YYYY-MM-DD`, its zone and `dayStartsAt`): its KPI day. */
    businessDay: text('business_day'),
    /** Store-local hour the order was placed, 0–23. */
    localHour: integer('local_hour'),
  },
  (t) => [
    // KPI rollups recompute a store-day from its orders; null days are found for the backfill.
    // A store's orders by time are read through it too (D1 migration 0022 dropped (store, time)).
    index('order_history_store_day').on(t.storeId, t.businessDay),
    index('order_history_member').on(t.memberId, t.createdAt),
    // A partner's feed of a store's orders, in order of change.
    index('order_history_store_changed').on(t.storeId, t.updatedAt, t.id),
    // Campaign rules read a brand's completed orders by time (recall, night owls, weather).
    index('order_history_brand').on(t.brandId, t.status, t.createdAt),
  ],
);
