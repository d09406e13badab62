import { and, desc, eq, sql } from 'drizzle-orm';
import type { PastOrder } from '../../domain/recommend/recommend';
import {
  type HourBand,
  type OrderItems,
  type Partner,
  POPULAR_PER_BAND,
  type Popular,
} from '../../domain/recommend/stats';
import { DAY } from '../../domain/time';
import { orderHistory as h, itemPairs, itemPopularity } from '../../schema/d1/tables';
import type { Db } from '../lib/db';

/** The guest's history is their latest completed orders: enough for habits, bounded per request. */
export const HISTORY_ORDERS = 40;

/** Dish lines of completed orders (json_each over the bodies, in D1), gifts left out. */
const lineItem = sql`json_extract(l.value, '$.itemId')`;
const notGift = sql`coalesce(json_extract(l.value, '$.gift'), 0) = 0`;

/** A member's latest completed orders across the brand, as the dishes in each. */
export async function memberHistory(d: Db, brandId: string, memberId: string): Promise<PastOrder[]> {
  const latest = d
    .select({ id: h.id, createdAt: h.createdAt, body: h.body })
    .from(h)
    .where(and(eq(h.brandId, brandId), eq(h.memberId, memberId), eq(h.status, 'completed')))
    .orderBy(desc(h.createdAt), desc(h.id))
    .limit(HISTORY_ORDERS)
    .as('latest');
  const rows = await d.all<{ id: string; at: number; item_id: string | null }>(
    sql`SELECT latest.id AS id, latest.created_at AS at, ${lineItem} AS item_id
        FROM ${latest}, json_each(latest.body, '$.lines') AS l WHERE ${notGift}`,
  );
  const orders = new Map<string, { at: number; itemIds: string[] }>();
  for (const r of rows) {
    if (!r.item_id) continue;
    let o = orders.get(r.id);
    if (!o) {
      o = { at: r.at, itemIds: [] };
      orders.set(r.id, o);
    }
    o.itemIds.push(r.item_id);
  }
  return [...orders.values()].sort((a, b) => a.at - b.at);
}

/** The dish lines of a store's completed orders since `since`: see `storeOrderItems`. */
export function storeOrderLines(storeId: string, since: number) {
  const fromDay = new Date(since - 2 * DAY).toISOString().slice(0, 10);
  return sql`SELECT ${h.id} AS id, ${h.storeId} AS store_id, ${h.localHour} AS hour, ${lineItem} AS item_id
      FROM ${h}, json_each(${h.body}, '$.lines') AS l
      WHERE ${h.storeId} = ${storeId} AND ${h.businessDay} >= ${fromDay} AND ${h.createdAt} >= ${since}
        AND ${h.status} = 'completed' AND ${h.localHour} IS NOT NULL AND ${notGift}`;
}

/**
 * Every completed order of a store since `since`, as local hour and dishes (the nightly job).
 * It reads through the store's business days (`order_history_store_day`): the history keeps no
 * index on (store, time), a page of every history write for this one nightly read (D1
 * migration 0022). No store's business day starts two days before its UTC date, and a row
 * with a local hour has its business day, so the bound only narrows the range read.
 */
export async function storeOrderItems(d: Db, storeId: string, since: number): Promise<OrderItems[]> {
  const rows = await d.all<{ id: string; store_id: string; hour: number; item_id: string | null }>(
    storeOrderLines(storeId, since),
  );
  const orders = new Map<string, { storeId: string; localHour: number; itemIds: string[] }>();
  for (const r of rows) {
    if (!r.item_id) continue;
    let o = orders.get(r.id);
    if (!o) {
      o = { storeId: r.store_id, localHour: r.hour, itemIds: [] };
      orders.set(r.id, o);
    }
    o.itemIds.push(r.item_id);
  }
  return [...orders.values()];
}

/** The brand's partners of these dishes (a few rows each). */
export async function partnersOf(d: Db, brandId: string): Promise<Map<string, Partner[]>> {
  const rows = await d
    .select({
      itemId: itemPairs.itemId,
      partnerId: itemPairs.partnerId,
      orders: itemPairs.orders,
      permille: itemPairs.permille,
    })
    .from(itemPairs)
    .where(eq(itemPairs.brandId, brandId))
    .orderBy(itemPairs.itemId, desc(itemPairs.orders), itemPairs.partnerId);
  const out = new Map<string, Partner[]>();
  for (const r of rows) {
    const list = out.get(r.itemId) ?? [];
    list.push({ partnerId: r.partnerId, orders: r.orders, permille: r.permille });
    out.set(r.itemId, list);
  }
  return out;
}

/**
 * A store's most ordered dishes in an hour band; a store with none yet (new, or quiet for a
 * month) borrows the brand's stores' together, so its guests do not get the bare menu order.
 */
export async function popularAt(d: Db, brandId: string, storeId: string, band: HourBand): Promise<Popular[]> {
  const own = await d
    .select({ itemId: itemPopularity.itemId, orders: itemPopularity.orders })
    .from(itemPopularity)
    .where(and(eq(itemPopularity.storeId, storeId), eq(itemPopularity.band, band)))
    .orderBy(desc(itemPopularity.orders), itemPopularity.itemId);
  if (own.length > 0) return own;
  const orders = sql<number>`sum(${itemPopularity.orders})`;
  return d
    .select({ itemId: itemPopularity.itemId, orders })
    .from(itemPopularity)
    .where(and(eq(itemPopularity.brandId, brandId), eq(itemPopularity.band, band)))
    .groupBy(itemPopularity.itemId)
    .orderBy(desc(orders), itemPopularity.itemId)
    .limit(POPULAR_PER_BAND);
}
