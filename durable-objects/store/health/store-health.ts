import { type LateTicket, type PrinterHealth, promisedReadyAt, type StoreHealth } from '../../../domain/alerts/health';
import { EXPO } from '../kitchen/kitchen';
import { describeStatus, type PrinterRow } from '../printers/printers';
import type { StoreParts } from '../store-parts';
import { HEALTH_WINDOW_MS } from './placement-samples';

const LATE_LISTED = 20;
/**
 * Tickets the kitchen got longer ago than this are left out: an order never marked ready
 * after a whole service was served and forgotten, not still cooking, and would otherwise
 * keep the alert open for ever.
 */
export const LATE_LOOKBACK_MS = 6 * 3600_000;

/**
 * The store's health at `now`: placements in the window, each printer's last poll and
 * waiting jobs, and orders in the kitchen past their promised time. `printerIds` limits the
 * printers to those still enrolled (a revoked printer is not missed); without it, every
 * printer that ever polled here.
 */
export function storeHealth(parts: StoreParts, now: number, printerIds?: string[]): StoreHealth {
  const lateAll = lateTickets(parts.sql, now);
  return {
    storeId: parts.store.storeId,
    at: now,
    windowMs: HEALTH_WINDOW_MS,
    placements: parts.samples.window(now),
    printers: printers(parts.sql, printerIds),
    lateTickets: lateAll.slice(0, LATE_LISTED),
    lateTicketCount: lateAll.length,
  };
}

function printers(sql: SqlStorage, only?: string[]): PrinterHealth[] {
  const keep = only ? new Set(only) : undefined;
  const jobs = new Map(
    sql
      .exec<{ device_id: string; n: number; oldest: number | null; failing: number }>(
        `SELECT device_id, count(*) AS n, min(created_at) AS oldest, sum(attempts > 0) AS failing
         FROM printer_jobs WHERE confirmed_at IS NULL GROUP BY device_id`,
      )
      .toArray()
      .map((j) => [j.device_id, j]),
  );
  return sql
    .exec<PrinterRow>('SELECT * FROM printers ORDER BY device_id')
    .toArray()
    .filter((p) => !keep || keep.has(p.device_id))
    .map((p) => {
      const j = jobs.get(p.device_id);
      return {
        deviceId: p.device_id,
        lastPollAt: p.last_seen_at,
        status: describeStatus(p.status_code),
        waitingJobs: j?.n ?? 0,
        oldestWaitingAt: j?.oldest ?? null,
        failingJobs: j?.failing ?? 0,
      };
    });
}

/** Orders the kitchen has (an expeditor ticket, in the last 6 hours) not ready yet and past their promise. */
function lateTickets(sql: SqlStorage, now: number): LateTicket[] {
  return sql
    .exec<{
      id: string;
      ticket_no: string;
      created_at: number;
      ready_at_estimate: number | null;
      pickup_at: number | null;
      kitchen_at: number;
    }>(
      `SELECT o.id, o.ticket_no, o.created_at, o.ready_at_estimate,
              json_extract(o.body, '$.pickupAt') AS pickup_at, t.created_at AS kitchen_at
       FROM orders o JOIN kitchen_tickets t ON t.order_id = o.id AND t.station = ?
       WHERE o.status IN ('paid', 'accepted', 'preparing') AND t.status IN ('open', 'held') AND t.created_at > ?`,
      EXPO,
      now - LATE_LOOKBACK_MS,
    )
    .toArray()
    .map((r) => ({
      orderId: r.id,
      ticketNo: r.ticket_no,
      promisedAt: promisedReadyAt({
        createdAt: r.created_at,
        estimatedReadyAt: r.ready_at_estimate,
        kitchenAt: r.kitchen_at,
        pickupAt: r.pickup_at,
      }),
    }))
    .filter((l): l is LateTicket => l.promisedAt !== null && l.promisedAt < now)
    .sort((a, b) => a.promisedAt - b.promisedAt);
}
