import { and, eq, type SQL, sql } from 'drizzle-orm';
import {
  analyticsMemberDays,
  analyticsPendingDays,
  analyticsRollups,
  diningTables,
  members,
  orderHistory,
  payments,
  refunds,
  tableSeatings,
} from '../../schema/d1/tables';
import type { Db } from '../lib/db';
import { windowInvalidation } from './member-windows';

/*
 * The statements that re-derive one store's business day from its sources: order history
 * (the full order bodies), payments, refunds, table seatings and the store's tables. Each
 * recomputes the whole day, so running it twice, late or out of order changes nothing; the
 * rules are `domain/analytics/rollup.ts`, which the property tests compare them against.
 */

export interface StoreDay {
  brandId: string;
  storeId: string;
  day: string;
}

const excluded = (column: { name: string }) => sql.raw(`excluded.${column.name}`);

/** The figure columns: rewritten only when one differs, so a replay writes nothing at all. */
const FIGURES = {
  orders: analyticsRollups.orders,
  cancelled: analyticsRollups.cancelled,
  quantity: analyticsRollups.quantity,
  revenue: analyticsRollups.revenue,
  refunds: analyticsRollups.refunds,
  refundQuantity: analyticsRollups.refundQuantity,
  discounts: analyticsRollups.discounts,
  guests: analyticsRollups.guests,
  seatings: analyticsRollups.seatings,
  turnMinutes: analyticsRollups.turnMinutes,
  tables: analyticsRollups.tables,
  memberOrders: analyticsRollups.memberOrders,
};

/**
 * What every order of the day brings: paid, cancelled, totals, its committed refunds (ours,
 * and a delivery platform's agreed partial refunds as the order's history carries them).
 */
function dayOrders(s: StoreDay): SQL {
  const h = orderHistory;
  return sql`o AS (
      SELECT ${h.id} AS id, ${h.memberId} AS member_id, ${h.mode} AS mode, ${h.localHour} AS hour,
        ${h.createdAt} AS created_at, ${h.body} AS body,
        (json_extract(${h.body}, '$.paidAt') IS NOT NULL) AS paid,
        (${h.status} IN ('cancelled', 'refunded')) AS cancelled,
        coalesce(json_extract(${h.body}, '$.total'), ${h.total}) AS total,
        coalesce(json_extract(${h.body}, '$.discountTotal'), 0) AS discounts,
        json_extract(${h.body}, '$.sessionId') AS session_id,
        json_extract(${h.body}, '$.addedBy') AS added_by,
        (SELECT coalesce(sum(json_extract(l.value, '$.quantity')), 0) FROM json_each(${h.body}, '$.lines') AS l) AS quantity
      FROM ${h} WHERE ${h.storeId} = ${s.storeId} AND ${h.businessDay} = ${s.day}),
    rf AS (
      SELECT ${refunds.orderId} AS order_id, ${refunds.paymentId} AS payment_id, ${refunds.amount} AS amount,
        ${refunds.lines} AS lines
      FROM ${refunds} WHERE ${refunds.orderId} IN (SELECT id FROM o) AND ${refunds.status} != 'failed'
      UNION ALL
      SELECT o.id, NULL, json_extract(pr.value, '$.amount'), json_extract(pr.value, '$.lines')
      FROM o, json_each(o.body, '$.channel.refunds') AS pr WHERE json_extract(pr.value, '$.status') = 'agreed'),
    ord AS (
      SELECT o.*, CASE WHEN o.paid THEN (SELECT coalesce(sum(rf.amount), 0) FROM rf WHERE rf.order_id = o.id) ELSE 0 END AS refunded
      FROM o)`;
}

/** Sums of a set of `ord` rows, the figures shared by the day, hour and mode rows. */
const orderSums = sql`count(CASE WHEN paid THEN 1 END) AS orders, coalesce(sum(cancelled), 0) AS cancelled,
  coalesce(sum(CASE WHEN paid THEN quantity ELSE 0 END), 0) AS quantity,
  coalesce(sum(CASE WHEN paid THEN total ELSE 0 END), 0) AS revenue, coalesce(sum(refunded), 0) AS refunds,
  0 AS refund_quantity, coalesce(sum(CASE WHEN paid THEN discounts ELSE 0 END), 0) AS discounts`;
const memberSum = sql`count(CASE WHEN paid AND member_id IS NOT NULL THEN 1 END) AS member_orders`;

/**
 * One statement: the day's rows for every dimension (day, hour, item, mode, payment), upserted
 * together; keys the day no longer has are set back to zero (they are selected with zeros).
 */
export function rollupStatement(d: Db, s: StoreDay, now: number) {
  const seat = tableSeatings;
  const t = analyticsRollups;
  const rows = sql`WITH ${dayOrders(s)},
    ln AS (
      SELECT ord.id AS order_id, ord.created_at AS created_at, ord.cancelled AS cancelled,
        json_extract(l.value, '$.index') AS idx, json_extract(l.value, '$.itemId') AS item_id,
        json_extract(l.value, '$.name') AS name, json_extract(l.value, '$.quantity') AS q,
        json_extract(l.value, '$.total') AS t, coalesce(json_extract(l.value, '$.discount'), 0) AS disc
      FROM ord, json_each(ord.body, '$.lines') AS l WHERE ord.paid),
    rl AS (
      SELECT rf.order_id AS order_id, json_extract(j.value, '$.index') AS idx, sum(json_extract(j.value, '$.quantity')) AS k
      FROM rf, json_each(rf.lines) AS j GROUP BY 1, 2),
    lk AS (
      SELECT ln.*, CASE WHEN ln.cancelled THEN ln.q ELSE min(ln.q, coalesce(rl.k, 0)) END AS k
      FROM ln LEFT JOIN rl ON rl.order_id = ln.order_id AND rl.idx = ln.idx),
    pm AS (
      SELECT ${payments.id} AS id, ${payments.method} AS method, ${payments.amount} AS amount, ord.id AS order_id,
        ord.cancelled AS cancelled
      FROM ${payments} JOIN ord ON ord.id = ${payments.orderId}
      WHERE ${payments.orderId} IN (SELECT id FROM o) AND ${payments.status} = 'succeeded' AND ord.paid),
    seated AS (
      SELECT count(*) AS n, coalesce(sum(${seat.diners}), 0) AS diners,
        coalesce(sum((${seat.closedAt} - ${seat.openedAt}) / 60000), 0) AS minutes
      FROM ${seat} WHERE ${seat.storeId} = ${s.storeId} AND ${seat.day} = ${s.day}),
    od AS (
      SELECT 'day' AS dim, '' AS key, ord.* FROM ord
      UNION ALL SELECT 'hour', printf('%02d', ord.hour), ord.* FROM ord WHERE ord.hour IS NOT NULL
      UNION ALL SELECT 'mode', ord.mode, ord.* FROM ord),
    whole AS (
      SELECT dim, key, NULL AS name, ${orderSums}, 0 AS guests, 0 AS seatings, 0 AS turn_minutes, 0 AS tables, ${memberSum}
      FROM od GROUP BY dim, key
      UNION ALL
      SELECT 'day', '', NULL, 0, 0, 0, 0, 0, 0, 0,
        (SELECT diners FROM seated)
          + (SELECT count(DISTINCT session_id || '|' || added_by) FROM ord WHERE paid AND session_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM ${seat} WHERE ${seat.id} = ord.session_id))
          + (SELECT count(*) FROM ord WHERE paid AND session_id IS NULL),
        (SELECT n FROM seated), (SELECT minutes FROM seated),
        (SELECT count(*) FROM ${diningTables} WHERE ${diningTables.storeId} = ${s.storeId}), 0),
    parts AS (
      SELECT 'item' AS dim, item_id AS key,
        (SELECT x.name FROM lk AS x WHERE x.item_id = lk.item_id ORDER BY x.created_at DESC, x.order_id DESC LIMIT 1) AS name,
        count(DISTINCT order_id) AS orders, count(DISTINCT CASE WHEN cancelled THEN order_id END) AS cancelled,
        sum(q) AS quantity, sum(t) AS revenue,
        sum(CASE WHEN q > 0 THEN k * (t / q) + min(k, t % q) ELSE 0 END) AS refunds, sum(k) AS refund_quantity,
        sum(disc) AS discounts, 0 AS guests, 0 AS seatings, 0 AS turn_minutes, 0 AS tables, 0 AS member_orders
      FROM lk GROUP BY item_id
      UNION ALL
      SELECT 'payment', method, NULL, count(DISTINCT order_id), count(DISTINCT CASE WHEN cancelled THEN order_id END),
        0, sum(amount), coalesce(sum((SELECT sum(rf.amount) FROM rf WHERE rf.payment_id = pm.id)), 0), 0, 0, 0, 0, 0, 0, 0
      FROM pm GROUP BY method),
    rows AS (
      SELECT * FROM whole
      UNION ALL SELECT * FROM parts
      UNION ALL SELECT ${t.dim}, ${t.key}, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM ${t} WHERE ${t.storeId} = ${s.storeId} AND ${t.day} = ${s.day})
    SELECT ${s.brandId}, ${s.storeId}, ${s.day}, dim, key, max(name), sum(orders), sum(cancelled), sum(quantity),
      sum(revenue), sum(refunds), sum(refund_quantity), sum(discounts), sum(guests), sum(seatings), sum(turn_minutes),
      sum(tables), sum(member_orders), ${now}
    FROM rows WHERE true GROUP BY dim, key`;
  return d
    .insert(t)
    .select(rows)
    .onConflictDoUpdate({
      target: [t.storeId, t.day, t.dim, t.key],
      set: {
        brandId: excluded(t.brandId),
        name: sql`coalesce(${excluded(t.name)}, ${t.name})`,
        ...Object.fromEntries(Object.entries(FIGURES).map(([k, c]) => [k, excluded(c)])),
        updatedAt: excluded(t.updatedAt),
      },
      setWhere: sql.join(
        [...Object.values(FIGURES), t.name].map((c) => sql`${excluded(c)} IS NOT ${c}`),
        sql` OR `,
      ),
    });
}

/**
 * The day's member purchase days: one row per member with a paid order at the store that
 * day (a visit; it stays when the order is later refunded), its paid orders and net revenue.
 * Erased members get none. Separate from `rollupStatement`: one statement writes one table.
 */
export function memberDaysStatement(d: Db, s: StoreDay) {
  const t = analyticsMemberDays;
  const rows = sql`WITH ${dayOrders(s)}
    SELECT ${s.brandId}, member_id, ${s.storeId}, ${s.day}, count(*), sum(total - refunded)
    FROM ord WHERE paid AND member_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM ${members} WHERE ${members.id} = ord.member_id AND ${members.deletedAt} IS NOT NULL)
    GROUP BY member_id`;
  return d
    .insert(t)
    .select(rows)
    .onConflictDoUpdate({
      target: [t.memberId, t.storeId, t.day],
      set: { orders: excluded(t.orders), revenue: excluded(t.revenue) },
      setWhere: sql`${excluded(t.orders)} IS NOT ${t.orders} OR ${excluded(t.revenue)} IS NOT ${t.revenue}`,
    });
}

/**
 * A store-day's statements, for a `d.batch`: its rollups, member days, the windows they may
 * move, and the day's pending mark (`rollup-pacing.ts`), taken in the same transaction as the
 * re-derivation that counts what the mark stood for.
 */
export const storeDayStatements = (d: Db, s: StoreDay, now: number) =>
  [
    rollupStatement(d, s, now),
    memberDaysStatement(d, s),
    windowInvalidation(d, s),
    d
      .delete(analyticsPendingDays)
      .where(and(eq(analyticsPendingDays.storeId, s.storeId), eq(analyticsPendingDays.day, s.day))),
  ] as const;
