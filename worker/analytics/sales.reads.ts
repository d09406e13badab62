import { and, between, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { analyticsRollups as r } from '../../schema/d1/tables';
import type { Db } from '../lib/db';
import type { StoreScope } from './analytics-scope';

/*
 * Reads of the sales rollups. Every sum is done by D1 (GROUP BY over the brand/day index), so
 * a year of fifty stores costs one statement, not 18,000 rows shipped to the worker.
 */

/** `column` is one of the scope's stores; no condition at all when the scope is the whole brand. */
export function inStores(column: SQLiteColumn, scope: StoreScope): SQL {
  if (scope.all) return sql`1`;
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(scope.stores.map((s) => s.id))}))`;
}

const total = (column: SQLiteColumn) => sql<number>`COALESCE(SUM(${column}), 0)`;

/** The `SalesTotals` of the `day` rows selected. */
const salesColumns = {
  revenue: total(r.revenue),
  refunds: total(r.refunds),
  orders: total(r.orders),
  guests: total(r.guests),
  discounts: total(r.discounts),
  seatings: total(r.seatings),
  turnMinutes: total(r.turnMinutes),
  tableDays: total(r.tables),
};

type Dim = 'day' | 'hour' | 'item';

/**
 * The rows of one dimension. `dim` is written as a literal, not bound: SQLite uses a partial
 * index (`analytics_rollups_day_totals`) only when the query's own text implies its WHERE.
 */
const rowsOf = (dim: Dim, scope: StoreScope, from: string, to: string) =>
  and(
    eq(r.brandId, scope.brandId),
    sql`${r.dim} = ${sql.raw(`'${dim}'`)}`,
    between(r.day, from, to),
    inStores(r.storeId, scope),
  );

/** The period's sales totals over the scope's stores: one row. */
export const salesTotal = (d: Db, scope: StoreScope, from: string, to: string) =>
  d
    .select(salesColumns)
    .from(r)
    .where(rowsOf('day', scope, from, to));

/** Sales totals per store. */
export const salesByStore = (d: Db, scope: StoreScope, from: string, to: string) =>
  d
    .select({ storeId: r.storeId, ...salesColumns })
    .from(r)
    .where(rowsOf('day', scope, from, to))
    .groupBy(r.storeId);

/** Sales per store and day (a `day` row is already one store-day: no sums needed). */
export const salesByStoreDay = (d: Db, scope: StoreScope, from: string, to: string) =>
  d
    .select({
      storeId: r.storeId,
      day: r.day,
      revenue: r.revenue,
      refunds: r.refunds,
      orders: r.orders,
      guests: r.guests,
      discounts: r.discounts,
      seatings: r.seatings,
      turnMinutes: r.turnMinutes,
      tableDays: r.tables,
    })
    .from(r)
    .where(rowsOf('day', scope, from, to));

/** Dishes by revenue; the name is the one on the latest day sold (SQLite takes bare columns from the MAX row). */
export const itemSales = (d: Db, scope: StoreScope, from: string, to: string) =>
  d
    .select({
      itemId: r.key,
      name: r.name,
      lastDay: sql<string>`MAX(${r.day})`,
      quantity: total(r.quantity),
      revenue: total(r.revenue),
      refunds: total(r.refunds),
      refundQuantity: total(r.refundQuantity),
    })
    .from(r)
    .where(rowsOf('item', scope, from, to))
    .groupBy(r.key)
    .orderBy(desc(total(r.revenue)), desc(total(r.quantity)), r.key);

/** Orders and revenue by ISO weekday of the business day (SQLite's %w: 0 = Sunday) and hour. */
export function hourSales(d: Db, scope: StoreScope, from: string, to: string) {
  const weekday = sql<number>`(CAST(strftime('%w', ${r.day}) AS INTEGER) + 6) % 7 + 1`;
  const hour = sql<number>`CAST(${r.key} AS INTEGER)`;
  return d
    .select({ weekday, hour, orders: total(r.orders), revenue: total(r.revenue) })
    .from(r)
    .where(rowsOf('hour', scope, from, to))
    .groupBy(weekday, hour);
}

/** Each dish's units and revenue per business day, oldest day first (a partner's daily feed). */
export const itemSalesByDay = (d: Db, scope: StoreScope, from: string, to: string) =>
  d
    .select({
      day: r.day,
      itemId: r.key,
      name: sql<string | null>`MAX(${r.name})`,
      quantity: total(r.quantity),
      revenue: total(r.revenue),
      refunds: total(r.refunds),
      refundQuantity: total(r.refundQuantity),
    })
    .from(r)
    .where(rowsOf('item', scope, from, to))
    .groupBy(r.day, r.key)
    .orderBy(r.day, r.key);
