/*
 * KPI rollups, the reference model (issue #15). What one order contributes to each
 * dimension of its store's business day, and a day's rows as the sum of its orders plus the
 * day's seatings. The events consumer computes the same rows in SQL
 * (`worker/analytics/rollup-statements.ts`); property tests hold the two together.
 *
 * Rules:
 * - An order belongs to the business day it was placed. It counts (`orders`, `revenue`,
 *   `quantity`, `discounts`) once it took money (`paidAt` set), and keeps counting when later
 *   cancelled or refunded: its refunds net out of that same day, whenever they happen.
 * - `cancelled`: orders that ended cancelled or refunded in full, paid or not (item rows:
 *   paid ones, as item rows only see paid orders).
 * - A refund counts once committed (processing, succeeded, or awaiting review), not when
 *   failed. Item refunds: a line's refunded units take the line total's unit shares in order
 *   (`allocate`), every unit of a cancelled or fully refunded order.
 * - Guests: the diners of the day's seatings (distinct guests who ordered at the table), plus
 *   for a seating still open the distinct guests of its paid rounds, plus one per paid order
 *   without a table session (pickup, delivery).
 */

import type { OrderAction } from '../orders/order-state';

export type RollupDim = 'day' | 'hour' | 'item' | 'mode' | 'payment';

export interface RollupLine {
  index: number;
  itemId: string;
  name: string;
  quantity: number;
  total: number;
  discount: number;
}

/** An order of the day, as order history holds it. */
export interface RollupOrder {
  id: string;
  memberId: string | null;
  mode: string;
  status: string;
  /** Store-local hour it was placed. */
  localHour: number;
  createdAt: number;
  paid: boolean;
  total: number;
  discountTotal: number;
  sessionId: string | null;
  addedBy: string;
  lines: RollupLine[];
}

/** A succeeded payment of one of the day's orders. */
export interface RollupPayment {
  id: string;
  orderId: string;
  method: string;
  amount: number;
}

/** A refund that did not fail, with the order lines it pays back (when by line). */
export interface RollupRefund {
  orderId: string;
  paymentId: string;
  amount: number;
  lines: { index: number; quantity: number }[];
}

export interface RollupSeating {
  id: string;
  diners: number;
  openedAt: number;
  closedAt: number;
}

export interface RollupDay {
  orders: RollupOrder[];
  payments: RollupPayment[];
  refunds: RollupRefund[];
  /** Seatings opened this business day. */
  seatings: RollupSeating[];
  /** Every seating the store has reported, any day: a round of one of them counts its guests there. */
  reportedSessions: ReadonlySet<string>;
  tables: number;
}

export interface RollupFigures {
  orders: number;
  cancelled: number;
  quantity: number;
  revenue: number;
  refunds: number;
  refundQuantity: number;
  discounts: number;
  guests: number;
  seatings: number;
  turnMinutes: number;
  tables: number;
  memberOrders: number;
}

export interface RollupRow extends RollupFigures {
  dim: RollupDim;
  key: string;
  name: string | null;
}

export interface MemberDay {
  memberId: string;
  orders: number;
  revenue: number;
}

const zero = (): RollupFigures => ({
  orders: 0,
  cancelled: 0,
  quantity: 0,
  revenue: 0,
  refunds: 0,
  refundQuantity: 0,
  discounts: 0,
  guests: 0,
  seatings: 0,
  turnMinutes: 0,
  tables: 0,
  memberOrders: 0,
});

export const isCancelled = (status: string) => status === 'cancelled' || status === 'refunded';

/**
 * Whether an order, as one of its events shows it, can move its day's figures: every figure
 * but `cancelled` counts only orders that took money, and `cancelled` counts the cancelled and
 * refunded. A placed, unpaid order (most of a lunch rush's events) moves nothing, so its event
 * costs no recompute of the day; its zero hour and mode rows appear with the first event that does.
 */
export const movesFigures = (order: { status: string; paidAt?: unknown }) =>
  (order.paidAt !== undefined && order.paidAt !== null) || isCancelled(order.status);

/**
 * Actions after which an order counts in its day's figures exactly as it did before: the
 * kitchen's steps, the hand-over, and a cancellation asked for or turned down (only a granted
 * one counts). Each leaves money, lines and the paid and cancelled marks as they were. Every
 * other action, and any added later, is taken to move them. Across a region's stores each
 * event of an order reaches the events consumer in a batch of its own, and each re-derived
 * the whole day so far (`npm run bench:rollup-days`, SCALE.md).
 */
const KEEPS_FIGURES: ReadonlySet<OrderAction> = new Set<OrderAction>([
  'await_payment',
  'accept',
  'start',
  'ready',
  'serve',
  'pick_up',
  'dispatch',
  'complete',
  'request_cancel',
  'reject_cancel',
]);

/** Whether an order's event from `action` can move its day's figures (see `KEEPS_FIGURES`). */
export const actionMovesFigures = (action: OrderAction) => !KEEPS_FIGURES.has(action);

/** `k` units of a line refunded: the first `k` unit shares of its total (largest remainder, lower units first). */
export function lineRefund(total: number, quantity: number, k: number): number {
  if (quantity <= 0 || k <= 0) return 0;
  const units = Math.min(k, quantity);
  return units * Math.floor(total / quantity) + Math.min(units, total % quantity);
}

/** Units refunded per line index of one order (every unit when the order was cancelled or refunded in full). */
function refundedUnits(order: RollupOrder, refunds: RollupRefund[]): Map<number, number> {
  const units = new Map<number, number>();
  for (const l of order.lines) {
    if (isCancelled(order.status)) {
      units.set(l.index, l.quantity);
      continue;
    }
    let k = 0;
    for (const r of refunds) for (const x of r.lines) if (x.index === l.index) k += x.quantity;
    units.set(l.index, Math.min(l.quantity, k));
  }
  return units;
}

/**
 * What one order adds to its day's rows (guests: one for an order without a table session;
 * the rounds of a seating are counted by the day, see `rollupDay`).
 */
export function orderContribution(order: RollupOrder, payments: RollupPayment[], refunds: RollupRefund[]): RollupRow[] {
  const cancelled = isCancelled(order.status) ? 1 : 0;
  const paid = order.paid;
  const refunded = paid ? refunds.reduce((s, r) => s + r.amount, 0) : 0;
  const whole: RollupFigures = {
    ...zero(),
    orders: paid ? 1 : 0,
    cancelled,
    quantity: paid ? order.lines.reduce((s, l) => s + l.quantity, 0) : 0,
    revenue: paid ? order.total : 0,
    refunds: refunded,
    discounts: paid ? order.discountTotal : 0,
    memberOrders: paid && order.memberId ? 1 : 0,
  };
  const rows: RollupRow[] = [
    { dim: 'day', key: '', name: null, ...whole, guests: paid && !order.sessionId ? 1 : 0 },
    { dim: 'hour', key: String(order.localHour).padStart(2, '0'), name: null, ...whole },
    { dim: 'mode', key: order.mode, name: null, ...whole },
  ];
  if (!paid) return rows;
  const units = refundedUnits(order, refunds);
  const items = new Map<string, RollupRow>();
  for (const l of order.lines) {
    const row = items.get(l.itemId) ?? { dim: 'item', key: l.itemId, name: l.name, ...zero(), orders: 1, cancelled };
    const k = units.get(l.index) ?? 0;
    row.quantity += l.quantity;
    row.revenue += l.total;
    row.discounts += l.discount;
    row.refundQuantity += k;
    row.refunds += lineRefund(l.total, l.quantity, k);
    items.set(l.itemId, row);
  }
  rows.push(...items.values());
  const methods = new Map<string, RollupRow>();
  for (const p of payments) {
    const row = methods.get(p.method) ?? { dim: 'payment', key: p.method, name: null, ...zero(), orders: 1, cancelled };
    row.revenue += p.amount;
    row.refunds += refunds.filter((r) => r.paymentId === p.id).reduce((s, r) => s + r.amount, 0);
    methods.set(p.method, row);
  }
  rows.push(...methods.values());
  return rows;
}

const rowKey = (r: Pick<RollupRow, 'dim' | 'key'>) => `${r.dim}|${r.key}`;

const FIGURES = Object.keys(zero()) as (keyof RollupFigures)[];

function add(into: RollupFigures, from: RollupFigures) {
  for (const k of FIGURES) into[k] += from[k];
}

/** A day's rows: the sum of its orders' contributions, plus its seatings, guests at tables and tables. */
export function rollupDay(day: RollupDay): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  const lastSold = new Map<string, { at: number; id: string }>();
  rows.set('day|', { dim: 'day', key: '', name: null, ...zero() });
  for (const o of day.orders) {
    const contribution = orderContribution(
      o,
      day.payments.filter((p) => p.orderId === o.id),
      day.refunds.filter((r) => r.orderId === o.id),
    );
    for (const c of contribution) {
      const row = rows.get(rowKey(c));
      if (!row) {
        rows.set(rowKey(c), { ...c });
      } else {
        add(row, c);
      }
      if (c.dim === 'item') {
        // The name an item was last sold under (latest order; ties to the larger order id).
        const seen = lastSold.get(c.key);
        if (!seen || o.createdAt > seen.at || (o.createdAt === seen.at && o.id > seen.id)) {
          lastSold.set(c.key, { at: o.createdAt, id: o.id });
          rows.get(rowKey(c))!.name = c.name;
        }
      }
    }
  }
  const whole = rows.get('day|')!;
  whole.seatings = day.seatings.length;
  whole.turnMinutes = day.seatings.reduce((s, x) => s + Math.floor((x.closedAt - x.openedAt) / 60_000), 0);
  whole.tables = day.tables;
  const openRounds = new Set(
    day.orders
      .filter((o) => o.paid && o.sessionId && !day.reportedSessions.has(o.sessionId))
      .map((o) => `${o.sessionId}|${o.addedBy}`),
  );
  whole.guests += day.seatings.reduce((s, x) => s + x.diners, 0) + openRounds.size;
  return [...rows.values()];
}

/** Each member's purchase day at the store: paid orders and their net revenue (total − refunds). */
export function memberDays(day: Pick<RollupDay, 'orders' | 'refunds'>): MemberDay[] {
  const out = new Map<string, MemberDay>();
  for (const o of day.orders) {
    if (!o.paid || !o.memberId) continue;
    const refunded = day.refunds.filter((r) => r.orderId === o.id).reduce((s, r) => s + r.amount, 0);
    const m = out.get(o.memberId) ?? { memberId: o.memberId, orders: 0, revenue: 0 };
    m.orders += 1;
    m.revenue += o.total - refunded;
    out.set(o.memberId, m);
  }
  return [...out.values()];
}
