import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * A store's own riders. A rider signs in with a personal key a manager made for them
 * (`rdk_…`, sent as a link): only its lookup hash (worker/lib/lookup-keys.ts, label
 * `rider-key`) is kept, and making a new one or deactivating the rider ends the old one.
 */
export const riders = sqliteTable(
  'riders',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    name: text('name').notNull(),
    phone: text('phone').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** HMAC of the rider's current sign-in key; null until one is made, and after deactivation. */
    keyHash: text('key_hash').unique(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('riders_store').on(t.storeId, t.createdAt)],
);

/**
 * Each time staff give a delivery order to an own rider: its id is the dispatch's
 * `trackingNo`. An assignment ends when the order is delivered, or when staff take it back
 * (reassign or unassign); at most one per order is open (`endedAt` null).
 */
export const riderAssignments = sqliteTable(
  'rider_assignments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id').notNull(),
    storeId: text('store_id').notNull(),
    riderId: text('rider_id').notNull(),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: integer('assigned_at').notNull(),
    endedAt: integer('ended_at'),
    /** `delivered`, `reassigned`, `unassigned`, or the order's end (`completed`, `cancelled`, `refunded`) without the rider's tap. */
    endedReason: text('ended_reason'),
  },
  (t) => [
    uniqueIndex('rider_assignments_open_order').on(t.orderId).where(sql`${t.endedAt} IS NULL`),
    index('rider_assignments_order').on(t.orderId),
    index('rider_assignments_rider').on(t.riderId, t.endedAt),
  ],
);

/**
 * Each delivery that arrived, against its promise: the on-time rate per store and courier.
 * Written by the events consumer from the `order.updated` (`change: 'delivery'`) event,
 * once per order (a replay changes nothing).
 */
export const deliveryOutcomes = sqliteTable(
  'delivery_outcomes',
  {
    orderId: text('order_id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    /** The order's business day. */
    day: text('day').notNull(),
    /** `own`, `dada`, `sf` or `wechat`. */
    provider: text('provider').notNull(),
    /** The store's own rider; null for a carrier. */
    riderId: text('rider_id'),
    riderName: text('rider_name'),
    promisedBy: integer('promised_by').notNull(),
    deliveredAt: integer('delivered_at').notNull(),
    onTime: integer('on_time', { mode: 'boolean' }).notNull(),
  },
  (t) => [index('delivery_outcomes_store_day').on(t.storeId, t.day)],
);
