import { and, between, eq, inArray, sql } from 'drizzle-orm';
import { orderHistory as h, analyticsRollups as r } from '../../schema/d1/tables';
import type { Db } from '../lib/db';

/*
 * What the forecast reads from D1: units per dish per business day from the KPI rollups
 * (`item` rows: paid orders' quantities), and for velocity the paid orders' lines of a few
 * days with the instant each was placed (order history).
 */

/** Units sold per dish and day from `from` to `to`, and the days the store sold anything. */
export async function dailyItemUnits(d: Db, storeId: string, from: string, to: string) {
  const rows = await d
    .select({ day: r.day, dim: r.dim, key: r.key, name: r.name, quantity: r.quantity, orders: r.orders })
    .from(r)
    .where(and(eq(r.storeId, storeId), between(r.day, from, to), inArray(r.dim, ['day', 'item'])));
  const items = new Map<string, { name: string; units: Map<string, number> }>();
  const tradingDays: string[] = [];
  for (const row of rows) {
    if (row.dim === 'day') {
      if (row.orders > 0) tradingDays.push(row.day);
      continue;
    }
    const item = items.get(row.key) ?? { name: row.name ?? row.key, units: new Map() };
    item.units.set(row.day, row.quantity);
    items.set(row.key, item);
  }
  return { items, firstDay: tradingDays.sort()[0] ?? null };
}

/** One dish line of a paid order: its day, when it was placed, the units. */
export interface SoldLine {
  day: string;
  at: number;
  itemId: string;
  name: string;
  quantity: number;
}

/** Paid orders' lines on these business days (json_each over the history bodies, in D1). */
export async function soldLines(d: Db, storeId: string, days: string[]): Promise<SoldLine[]> {
  const lines = await d.all<{ day: string; at: number; item_id: string; name: string | null; quantity: number }>(
    sql`SELECT ${h.businessDay} AS day, ${h.createdAt} AS at, json_extract(l.value, '$.itemId') AS item_id,
          json_extract(l.value, '$.name') AS name, json_extract(l.value, '$.quantity') AS quantity
        FROM ${h}, json_each(${h.body}, '$.lines') AS l
        WHERE ${h.storeId} = ${storeId}
          AND ${h.businessDay} IN (SELECT value FROM json_each(${JSON.stringify(days)}))
          AND json_extract(${h.body}, '$.paidAt') IS NOT NULL`,
  );
  return lines.map((l) => ({
    day: l.day,
    at: l.at,
    itemId: l.item_id,
    name: l.name ?? l.item_id,
    quantity: l.quantity,
  }));
}
