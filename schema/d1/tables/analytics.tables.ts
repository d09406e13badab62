import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/*
 * KPI rollups (issue #15). Exact money figures live here, not in Analytics Engine (sampled).
 * Every row is DERIVED: the events consumer recomputes a touched store-day from its sources
 * (order_history, payments, refunds, table_seatings) and a nightly job re-derives any day, so a
 * replayed or late event changes nothing and a bug is healed by a rebuild. Days are the store's
 * business day (`YYYY-MM-DD`, its time zone and `dayStartsAt`); an order belongs to the day it
 * was placed, and its refunds and cancellations net out of that same day.
 */

/**
 * One row per store, business day, dimension and key. `dim` is what the row breaks down:
 * - `day`: key `''`, the whole day (the only dim carrying guests/seatings/turnMinutes/tables)
 * - `hour`: key `'00'`…`'23'`, store-local hour the order was placed
 * - `item`: key = item id (`name` = its name when sold), quantities and line revenue
 * - `mode`: key = `dine_in` | `pickup` | `delivery`
 * - `payment`: key = `wechat` | `alipay` | `balance` | `sandbox` | …, amounts paid by that method
 * Counts and sums cover orders that took money (paid), cancellations included in `cancelled`.
 */
export const analyticsRollups = sqliteTable(
  'analytics_rollups',
  {
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    day: text('day').notNull(),
    dim: text('dim').notNull(),
    key: text('key').notNull(),
    /** Display name for `item` rows (the name when last sold). */
    name: text('name'),
    /** Paid orders (for `item`: orders containing the item). */
    orders: integer('orders').notNull().default(0),
    /** Orders cancelled or refunded in full (counted in `orders` too if they had been paid). */
    cancelled: integer('cancelled').notNull().default(0),
    /** Item units sold (`item`); lines' quantities summed for `day`. */
    quantity: integer('quantity').notNull().default(0),
    /** Gross revenue after discounts, before refunds (cents): order totals; line totals for `item`; paid amounts for `payment`. */
    revenue: integer('revenue').notNull().default(0),
    /** Refunded (cents), attributed to the order's own day. */
    refunds: integer('refunds').notNull().default(0),
    /** Units refunded (`item`). */
    refundQuantity: integer('refund_quantity').notNull().default(0),
    /** Discounts given (cents): promotions, coupons, member prices. */
    discounts: integer('discounts').notNull().default(0),
    /** Covers: diners at dine-in seatings plus one per other paid order (`day` only). */
    guests: integer('guests').notNull().default(0),
    /** Table seatings opened this day (`day` only). */
    seatings: integer('seatings').notNull().default(0),
    /** Sum of seatings' open→close minutes (`day` only; average = turnMinutes / seatings). */
    turnMinutes: integer('turn_minutes').notNull().default(0),
    /** Tables the store had (`day` only; the denominator of turns). */
    tables: integer('tables').notNull().default(0),
    /** Orders by members (day-level), for member share. */
    memberOrders: integer('member_orders').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.storeId, t.day, t.dim, t.key] }),
    index('analytics_rollups_brand_day').on(t.brandId, t.dim, t.day),
    // The KPI summary sums a brand's `day` rows over up to a year: covering, so D1 reads the
    // index alone; partial, so it holds only the day rows (queries must say dim = 'day' literally).
    index('analytics_rollups_day_totals')
      .on(
        t.brandId,
        t.dim,
        t.day,
        t.storeId,
        t.revenue,
        t.refunds,
        t.orders,
        t.guests,
        t.discounts,
        t.seatings,
        t.turnMinutes,
        t.tables,
      )
      .where(sql`dim = 'day'`),
  ],
);

/**
 * A member's purchase days (day-dedup: several orders on one day are one visit), per store.
 * Repurchase and member activity are computed from these; erased members' rows are deleted.
 */
export const analyticsMemberDays = sqliteTable(
  'analytics_member_days',
  {
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    storeId: text('store_id').notNull(),
    day: text('day').notNull(),
    orders: integer('orders').notNull().default(0),
    revenue: integer('revenue').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.storeId, t.day] }),
    index('analytics_member_days_brand_day').on(t.brandId, t.day, t.memberId),
    index('analytics_member_days_store_day').on(t.storeId, t.day, t.memberId),
  ],
);

/**
 * Brand-wide figures per day (brand time zone, Asia/Shanghai by default): points and coupons
 * are a brand's currency, so they are not split by store.
 */
export const analyticsBrandDays = sqliteTable(
  'analytics_brand_days',
  {
    brandId: text('brand_id').notNull(),
    day: text('day').notNull(),
    newMembers: integer('new_members').notNull().default(0),
    pointsIssued: integer('points_issued').notNull().default(0),
    pointsUsed: integer('points_used').notNull().default(0),
    pointsExpired: integer('points_expired').notNull().default(0),
    couponsIssued: integer('coupons_issued').notNull().default(0),
    couponsUsed: integer('coupons_used').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.day] })],
);

/**
 * A table seating (session) as the store reported it when it closed: the source of
 * table turnover. Written by the events consumer from `session.closed` events.
 */
export const tableSeatings = sqliteTable(
  'table_seatings',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    tableId: text('table_id').notNull(),
    day: text('day').notNull(),
    diners: integer('diners').notNull(),
    openedAt: integer('opened_at').notNull(),
    closedAt: integer('closed_at').notNull(),
  },
  (t) => [index('table_seatings_store_day').on(t.storeId, t.day)],
);

/**
 * The 30-day member window ending `day`, precomputed (derived from `analytics_member_days`) so
 * the KPI summary of the whole brand or of one store reads one row instead of grouping ~60,000
 * member days. `store_id` is `''` for the whole brand. Buyers: members with a purchase day in
 * the window; repeaters: ≥ 2 distinct days; regulars: ≥ 3 (the brand row's is the activity
 * figure). Only closed days are written (by the jobs); any change to member days deletes the
 * windows it touches, so a row that exists is current and a missing one is computed live.
 */
export const analyticsMemberWindows = sqliteTable(
  'analytics_member_windows',
  {
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    day: text('day').notNull(),
    buyers: integer('buyers').notNull().default(0),
    repeaters: integer('repeaters').notNull().default(0),
    regulars: integer('regulars').notNull().default(0),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.storeId, t.day] })],
);

/**
 * A busy store-day whose figures an event moved while the day waited out its pace
 * (`domain/analytics/rollup-pace.ts`): the `analytics.paced` job re-derives it, and any
 * re-derivation of the day deletes the row in the same transaction, so what the row stands for
 * is always counted. `since` is the first event's time; one row per day however many came.
 */
export const analyticsPendingDays = sqliteTable(
  'analytics_pending_days',
  {
    storeId: text('store_id').notNull(),
    day: text('day').notNull(),
    brandId: text('brand_id').notNull(),
    since: integer('since').notNull(),
  },
  (t) => [primaryKey({ columns: [t.storeId, t.day] }), index('analytics_pending_days_since').on(t.since)],
);
