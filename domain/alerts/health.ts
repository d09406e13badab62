/*
 * What a store reports about its own health (the StoreDO's `health()`), in plain data the
 * alert rules judge. Times are epoch ms; the window is the last `windowMs` before `at`.
 */

/** How a placement ended, as far as the store's health goes (see `placementOutcome`). */
export type PlacementOutcome = 'ok' | 'failed' | 'turned_away' | 'guest_error';

export interface PlacementWindow {
  /** Placements in the window by outcome (replays of an Idempotency-Key are not counted). */
  ok: number;
  failed: number;
  turnedAway: number;
  guestErrors: number;
  /** 95th percentile of every counted placement's duration (ms), null without samples. */
  p95Ms: number | null;
}

export interface PrinterHealth {
  deviceId: string;
  /** When the printer last polled. */
  lastPollAt: number;
  /** Its last reported status, in words (`online`, `out of paper`, …). */
  status: string;
  /** Jobs not yet confirmed printed, and when the oldest of them was created. */
  waitingJobs: number;
  oldestWaitingAt: number | null;
  /** Waiting jobs the printer reported failing at least once. */
  failingJobs: number;
}

export interface LateTicket {
  orderId: string;
  ticketNo: string;
  promisedAt: number;
}

export interface StoreHealth {
  storeId: string;
  at: number;
  windowMs: number;
  placements: PlacementWindow;
  printers: PrinterHealth[];
  /** Orders in the kitchen past their promised time and not ready, oldest promise first (at most 20). */
  lateTickets: LateTicket[];
  lateTicketCount: number;
}

/**
 * Whose failure a placement was. The store's: anything it could not answer (a 5xx or a
 * thrown error: `failed`) and guests it turned away for its own capacity (503
 * `order.store_busy`, 429 `order.rate_limited`: `turned_away`). The guest's: everything else
 * a 4xx says about the request (sold out, invalid lines, a used coupon, the store closed,
 * a revoked token), which no manager could have prevented.
 */
export function placementOutcome(result: { ok: true } | { ok: false; status: number; code: string }): PlacementOutcome {
  if (result.ok) return 'ok';
  if (result.code === 'order.store_busy' || result.code === 'order.rate_limited') return 'turned_away';
  return result.status >= 500 ? 'failed' : 'guest_error';
}

/** Nearest-rank percentile (`q` in 0–1) of unsorted values; null when there are none. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * When the kitchen promised an order: the estimate made at placement, moved by the time the
 * order waited before the kitchen got it (an unpaid order's clock starts at payment), and
 * never before a pickup time the guest chose.
 */
export function promisedReadyAt(o: {
  createdAt: number;
  estimatedReadyAt: number | null;
  kitchenAt: number;
  pickupAt: number | null;
}): number | null {
  if (o.estimatedReadyAt === null) return o.pickupAt;
  const promised = o.kitchenAt + Math.max(0, o.estimatedReadyAt - o.createdAt);
  return o.pickupAt === null ? promised : Math.max(promised, o.pickupAt);
}
