import type { MenuSnapshot } from '../../../domain/menu';
import {
  type Actor,
  allowedActions,
  holdingStatuses,
  type OrderStatus,
  openStatuses,
  type StaffAuthority,
} from '../../../domain/orders/order-state';
import { type PricingInput, priceOrder } from '../../../domain/pricing';
import type { RateWindow } from '../../../domain/rate-window';
import { businessDay, type StoreSettings, ticketNumber } from '../../../domain/store-settings';
import { isoInZone } from '../../../domain/zoned-time';
import { DoFailure } from '../result';
import type { ChannelRef, ChannelView, OrderBody, OrderRow, OrderView, PlaceOrderInput } from './order-types';

const iso = (t: number | null, tz: string) => (t === null ? null : isoInZone(t, tz));

/** A delivery as the API shows it: the slot and the promise as store-local ISO times. */
/** A platform order's reference with its partial refunds (times in the store's zone) and urges; the urge keys stay inside. */
function channelView(c: ChannelRef, tz: string): ChannelView {
  const refunds = (c.refunds ?? []).map((r) => ({ ...r, at: isoInZone(r.at, tz) }));
  const refunded = refunds.filter((r) => r.status === 'agreed').reduce((s, r) => s + r.amount, 0);
  return { name: c.name, externalId: c.externalId, daySeq: c.daySeq, refunds, refunded, urgeCount: c.urgeCount ?? 0 };
}

function deliveryView(d: NonNullable<OrderBody['delivery']>, tz: string): NonNullable<OrderView['delivery']> {
  const { slot, promisedBy, careNote, ...rest } = d;
  return {
    ...rest,
    slot: slot
      ? { start: isoInZone(slot.start, tz), end: isoInZone(slot.end, tz), promisedBy: isoInZone(slot.end, tz) }
      : null,
    promisedBy: iso(promisedBy ?? null, tz),
    careNote: careNote ?? null,
  };
}

/** The client view of a stored order; `actor` decides which actions are offered. */
export function orderView(
  row: OrderRow,
  storeId: string,
  tz: string,
  actor: Actor = 'guest',
  body: OrderBody = JSON.parse(row.body),
  authority?: StaffAuthority,
): OrderView {
  const paid = (body.payments ?? []).reduce((sum, p) => sum + p.amount, 0);
  return {
    id: row.id,
    storeId,
    ticketNo: row.ticket_no,
    status: row.status,
    mode: row.mode,
    payLater: row.pay_later === 1,
    kitchenHold: body.kitchenHold === true,
    memberId: row.member_id,
    addedBy: row.placed_by,
    table: body.table,
    sessionId: row.session_id,
    lines: body.lines,
    discounts: body.discounts,
    itemsSubtotal: body.itemsSubtotal,
    discountTotal: body.discountTotal,
    packingFee: body.packingFee,
    deliveryFee: body.deliveryFee,
    total: row.total,
    couponIds: body.couponIds,
    note: body.note,
    invoice: body.invoice ?? null,
    paid,
    pickupAt: iso(body.pickupAt, tz),
    delivery: body.delivery ? deliveryView(body.delivery, tz) : null,
    createdAt: isoInZone(row.created_at, tz),
    updatedAt: isoInZone(row.updated_at, tz),
    expiresAt: iso(row.expires_at, tz),
    paidAt: iso(row.paid_at, tz),
    estimatedReadyAt: iso(row.ready_at_estimate, tz),
    lastUrgedAt: iso(row.last_urged_at, tz),
    channel: body.channel ? channelView(body.channel, tz) : null,
    allowedActions: allowedActions(
      { status: row.status, mode: row.mode, previousStatus: row.previous_status, payLater: row.pay_later === 1, paid },
      actor,
      authority,
    ),
  };
}

/** Builds the pricing input from a placement request and live stock. */
export function pricingInput(
  input: PlaceOrderInput,
  menu: MenuSnapshot,
  soldOut: Set<string>,
  now: number,
): PricingInput {
  const s = input.settings;
  return {
    menu,
    cart: input.lines,
    mode: input.mode,
    now,
    member: input.memberId ? { id: input.memberId, tierId: input.memberTierId } : undefined,
    // A per-guest limit needs a guest to count: without a member the promotion does not run.
    promotions: input.memberId ? input.promotions : input.promotions.filter((p) => p.limits?.perGuest === undefined),
    coupons: input.coupons,
    chosenCouponIds: input.couponIds,
    stacking: input.stacking,
    fees: { packingPerUnit: s.packingFeePerUnit, packingModes: s.packingModes, delivery: input.delivery?.fee ?? 0 },
    limits: { maxUnitsPerOrder: s.maxUnitsPerOrder },
    soldOutItemIds: soldOut,
    ...(input.kitchenHold ? { group: true } : {}),
    ...(input.openingHours ? { openingHours: input.openingHours } : {}),
  };
}

/** Prices a cart or fails with every line error, as the quote route and placement share. */
export function priceOrFail(input: PricingInput) {
  const result = priceOrder(input);
  if (!result.ok) {
    const soldOut = result.errors.filter((e) => e.code === 'order.sold_out');
    const code =
      soldOut.length > 0 && soldOut.length === result.errors.length ? 'order.sold_out' : 'order.invalid_lines';
    throw new DoFailure({
      status: code === 'order.sold_out' ? 409 : 422,
      code,
      detail: result.errors.map((e) => (e.line >= 0 ? `line ${e.line + 1}: ${e.message}` : e.message)).join('; '),
      errors: result.errors.map((e) => ({
        path: e.line >= 0 ? `lines.${e.line}.${e.field}` : e.field,
        message: e.message,
        code: e.code,
      })) as never,
    });
  }
  return result;
}

/** Units per item an order takes from stock (gift lines included: they leave the kitchen too). */
export function stockQuantities(lines: { itemId: string; quantity: number }[]): Map<string, number> {
  const q = new Map<string, number>();
  for (const l of lines) q.set(l.itemId, (q.get(l.itemId) ?? 0) + l.quantity);
  return q;
}

/** Open orders and the kitchen seconds they hold, in one query. */
export interface KitchenLoad {
  open: number;
  prepSeconds: number;
}

const openList = openStatuses.map((s) => `'${s}'`).join(',');

export function kitchenLoad(sql: SqlStorage): KitchenLoad {
  const r = sql
    .exec<{ n: number; t: number | null }>(
      `SELECT count(*) AS n, sum(prep_seconds) AS t FROM orders WHERE status IN (${openList})`,
    )
    .one();
  return { open: r.n, prepSeconds: r.t ?? 0 };
}

/**
 * The kitchen load, remembered between placements: every transaction may change order
 * statuses, so each one forgets it, and a placement whose new order is not open (unpaid)
 * puts back the value it read, which that order did not change.
 */
export class KitchenLoadMemo {
  private value: KitchenLoad | undefined;

  constructor(private readonly sql: SqlStorage) {}

  get(): KitchenLoad {
    this.value ??= kitchenLoad(this.sql);
    return this.value;
  }

  forget() {
    this.value = undefined;
  }

  /** Only for a value read before a transaction that left every open order as it was. */
  keep(value: KitchenLoad) {
    this.value = value;
  }
}

/**
 * Peak protection: refuse with a clear wait instead of a timeout. Past the open-order cap
 * the guest learns their queue position and the estimated wait; past the per-minute
 * rate, when to retry. The rate window lives in memory: after an eviction it starts
 * empty, which only ever admits a little more, never less.
 */
export function admissionCheck(load: KitchenLoad, s: StoreSettings, rate: RateWindow, now: number) {
  if (load.open >= s.maxOpenOrders) {
    // The guest would be behind every open order: that is their place in the kitchen's line.
    const position = load.open + 1;
    const waitSeconds = Math.ceil(load.prepSeconds / Math.max(1, s.kitchenParallelism)) + 60;
    throw new DoFailure({
      status: 503,
      code: 'order.store_busy',
      detail: `The kitchen is at capacity: you would be number ${position} in line, about ${Math.ceil(waitSeconds / 60)} min. Try again shortly.`,
      headers: { 'Retry-After': String(Math.min(300, waitSeconds)) },
      extra: { queuePosition: position, estimatedWaitSeconds: waitSeconds },
    });
  }
  const recent = rate.count(now);
  if (recent.n >= s.maxOrdersPerMinute) {
    const retry = Math.max(1, Math.ceil(((recent.freesAt ?? now + 1000) - now) / 1000));
    throw new DoFailure({
      status: 429,
      code: 'order.rate_limited',
      detail: `This store is taking ${s.maxOrdersPerMinute} orders a minute; try again in ${retry} s.`,
      headers: { 'Retry-After': String(retry) },
      extra: { queuePosition: recent.n - s.maxOrdersPerMinute + 1, estimatedWaitSeconds: retry },
    });
  }
}

/** When a new order should be ready: the kitchen's queue ahead plus this order's slowest dish. */
export function estimateReadyAt(load: KitchenLoad, s: StoreSettings, slowestPrep: number, now: number): number {
  return now + Math.round((load.prepSeconds / Math.max(1, s.kitchenParallelism) + slowestPrep) * 1000);
}

/** Next ticket number for the business day and mode: one counter row per (day, prefix). */
export function nextTicket(sql: SqlStorage, s: StoreSettings, input: PlaceOrderInput, now: number) {
  const day = businessDay(now, input.timeZone, s.dayStartsAt);
  const prefix = s.ticketPrefixes[input.mode];
  const n = sql
    .exec<{ value: number }>(
      `INSERT INTO counters (name, value) VALUES (?, 1)
       ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`,
      `ticket:${day}:${prefix}`,
    )
    .one().value;
  return { day, ticketNo: ticketNumber(prefix, n) };
}

export function loadOrder(sql: SqlStorage, orderId: string): OrderRow {
  const row = sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', orderId).toArray()[0];
  if (!row) throw new DoFailure({ status: 404, code: 'order.not_found', detail: `No order with id ${orderId}.` });
  return row;
}

export const isHolding = (s: OrderStatus) => holdingStatuses.includes(s);
