import { inArray } from 'drizzle-orm';
import { log } from '../../domain/log';
import { cutoff, STORE_RETENTION as KEEP, PRUNE_CHUNK } from '../../domain/retention';
import { DAY } from '../../domain/time';
import { orderHistory } from '../../schema/d1/tables';
import { NOT_NEWEST } from './outbox';
import type { StoreParts } from './store-parts';

/** The store's retention job: daily, and again a second later while a round left more. */
export const RETENTION = { kind: 'retention', ref: 'prune' } as const;
const AGAIN_MS = 1_000;

/** Orders are checked against D1 this many at a time (a D1 statement binds at most 100 values). */
const ORDERS_PER_ROUND = 90;
/** Where the walk through old orders stopped (an order D1 lacks must not block the ones after it). */
const ORDERS_CURSOR = 'retention.orders';

/**
 * One bounded round of pruning (`domain/retention.ts`): at most `chunk` rows a table, so an
 * alarm never runs long. Returns when the job should run again.
 */
export async function pruneStore(parts: StoreParts, now: number, chunk = PRUNE_CHUNK): Promise<number> {
  const del = (statement: string, ...args: unknown[]) => parts.sql.exec(statement, ...args).toArray().length;
  const full = [
    del(
      `DELETE FROM kitchen_tickets WHERE rowid IN (SELECT rowid FROM kitchen_tickets
         WHERE status IN ('bumped', 'cancelled') AND created_at < ? LIMIT ?) RETURNING 1`,
      cutoff(now, KEEP.kitchenTickets),
      chunk,
    ),
    del(
      `DELETE FROM kitchen_events WHERE seq IN (SELECT seq FROM kitchen_events
         WHERE created_at < ? ORDER BY seq LIMIT ?) RETURNING 1`,
      cutoff(now, KEEP.kitchenEvents),
      chunk,
    ),
    del(
      'DELETE FROM printer_jobs WHERE rowid IN (SELECT rowid FROM printer_jobs WHERE created_at < ? LIMIT ?) RETURNING 1',
      cutoff(now, KEEP.printerJobs),
      chunk,
    ),
    del(
      `DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox
         WHERE sent_at IS NOT NULL AND sent_at < ? AND ${NOT_NEWEST} ORDER BY sent_at LIMIT ?) RETURNING 1`,
      cutoff(now, KEEP.outboxSent),
      chunk,
    ),
    del(
      `DELETE FROM table_sessions WHERE rowid IN (SELECT rowid FROM table_sessions s
         WHERE status != 'open' AND coalesce(closed_at, opened_at) < ?
           AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.session_id = s.id) LIMIT ?) RETURNING 1`,
      cutoff(now, KEEP.tableSessions),
      chunk,
    ),
  ].some((n) => n >= chunk);
  const ordersLeft = await pruneOrders(parts, now, Math.min(chunk, ORDERS_PER_ROUND));
  return full || ordersLeft ? now + AGAIN_MS : now + DAY;
}

/**
 * Finished orders past their time, with their tickets. The store's copy is deleted only
 * when it is not the only one: no event of the order waits in the outbox, and D1 history
 * holds the order with the same final status. An order D1 lacks stays (and is logged).
 * Returns whether more orders may be waiting.
 */
async function pruneOrders(parts: StoreParts, now: number, limit: number): Promise<boolean> {
  const sql = parts.sql;
  const after = sql.exec<{ value: number }>('SELECT value FROM counters WHERE name = ?', ORDERS_CURSOR).toArray()[0];
  const rows = sql
    .exec<{ rid: number; id: string; status: string }>(
      `SELECT rowid AS rid, id, status FROM orders o
       WHERE rowid > ? AND status IN ('completed', 'cancelled', 'refunded') AND updated_at < ?
         -- Through the unsent index: the outbox has no index on order_id (store migration 46).
         AND NOT EXISTS (SELECT 1 FROM outbox WHERE sent_at IS NULL AND order_id = o.id)
       ORDER BY rowid LIMIT ?`,
      after?.value ?? 0,
      cutoff(now, KEEP.orders),
      limit,
    )
    .toArray();
  if (rows.length === 0) {
    // The walk reached the end: the next round starts over (orders D1 lacked get another look).
    sql.exec('DELETE FROM counters WHERE name = ?', ORDERS_CURSOR);
    return false;
  }
  const history = await parts.d1
    .select({ id: orderHistory.id, status: orderHistory.status })
    .from(orderHistory)
    .where(
      inArray(
        orderHistory.id,
        rows.map((r) => r.id),
      ),
    );
  const inD1 = new Map(history.map((h) => [h.id, h.status]));
  const gone = rows.filter((r) => inD1.get(r.id) === r.status).map((r) => r.id);
  if (gone.length < rows.length) {
    log.warn('orders kept: D1 history lacks their final status', {
      storeId: parts.store.known?.storeId,
      orders: rows.filter((r) => !gone.includes(r.id)).map((r) => r.id),
    });
  }
  parts.transact(() => {
    for (const id of gone) {
      sql.exec('DELETE FROM kitchen_tickets WHERE order_id = ?', id);
      sql.exec('DELETE FROM orders WHERE id = ?', id);
    }
    sql.exec(
      'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
      ORDERS_CURSOR,
      rows.at(-1)!.rid,
    );
  });
  return rows.length === limit;
}
