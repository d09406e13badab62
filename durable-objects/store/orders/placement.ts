import type { MenuSnapshot } from '../../../domain/menu';
import { type OrderStatus, openStatuses } from '../../../domain/orders/order-state';
import type { Quote } from '../../../domain/pricing';
import { StepTimes } from '../../../domain/step-times';
import { UNPAID_FLUSH_DELAY_MS } from '../jobs';
import { DoFailure, type DoResult, resultOrProblem } from '../result';
import { checkSeat } from '../sessions/seating';
import type { StoreParts } from '../store-parts';
import { lockCoupons, releaseCoupons } from './coupon-locks';
import { checkGuestHolds } from './guest-holds';
import type { Placed } from './idempotency';
import { announceLowStock } from './low-stock';
import { withMember } from './member-reads';
import { draftOrder, type OrderDraft, type PricedCart, priceCart } from './order-draft';
import type { OrderRow, OrderView, PlaceOrderInput, PlaceOrderRequest } from './order-types';
import { admissionCheck, estimateReadyAt, type KitchenLoad, nextTicket, orderView } from './orders';
import { claimPromotionUses, limitedPromotions, releasePromotionUses } from './promotion-uses';
import { announceStockChanges, givenBack, soldOutBy } from './stock-events';

/** How long a paid group-buy order may wait for a seat in a group before it is cancelled. */
export const HOLD_GRACE_MS = 30 * 60_000;

/**
 * Places an order: the Idempotency-Key → the member → admit → price → hold stock → lock
 * coupons and claim limited promotions → write → publish. An order with neither awaits
 * nothing after pricing, so hold, write and publish are one transaction; one with either
 * holds its stock in `placed` while D1 is asked, and is written to its first status after.
 */
export function placeOrder(
  parts: StoreParts,
  req: PlaceOrderRequest,
  now: number,
  steps = new StepTimes(() => performance.now()),
): Promise<DoResult<Placed>> {
  return parts.keys.once(req, () =>
    resultOrProblem(async () => {
      await parts.store.follow(req);
      // The member first: a revoked token replays nothing either.
      const input = await steps.time('member', () => member(parts, req));
      return parts.keys.replay(input) ?? (await place(parts, input, now, steps));
    }),
  );
}

/** Prices a cart against the live menu and stock without changing anything. */
export function quoteOrder(parts: StoreParts, req: PlaceOrderRequest, now: number): Promise<DoResult<Quote>> {
  return resultOrProblem(async () => {
    await parts.store.follow(req);
    const input = await member(parts, req);
    return priceCart(parts, input, await parts.menu.at(input.menuVersion), now).quote;
  });
}

/** The request with the member's coupons and tier, read from D1 with other orders in flight. */
async function member(parts: StoreParts, req: PlaceOrderRequest): Promise<PlaceOrderInput> {
  return withMember(req, req.member ? await parts.members.load(req.member.id) : undefined);
}

async function place(parts: StoreParts, input: PlaceOrderInput, now: number, steps: StepTimes): Promise<Placed> {
  checkSeat(parts.sessions, input);
  const load = admit(parts, input, now);
  const menu = await steps.time('menu', () => parts.menu.at(input.menuVersion));
  // Nothing awaits from pricing to the hold: the stock levels priced are the ones taken from.
  const priceStart = performance.now();
  const order = draftOrder(parts, input, price(parts, input, menu, now), load, now);
  steps.add('price', performance.now() - priceStart);
  checkGuestHolds(parts, order);
  const limited = limitedPromotions(
    input.promotions,
    order.body.discounts.filter((d) => d.source === 'promotion').map((d) => d.id),
  );
  if (limited.length > 0) order.body.promotionUses = limited.map((p) => p.id);
  if (order.body.couponIds.length === 0 && limited.length === 0) {
    const writeStart = performance.now();
    const view = parts.transact(() => publish(parts, order, write(parts, order, hold(parts, order, order.first)), now));
    steps.add('write', performance.now() - writeStart);
    // An unpaid order left every open order as it was: the load read before still holds.
    if (!openStatuses.includes(order.first)) parts.load.keep(load);
    return steps.time('arm+history', () => placed(parts, order, view, now));
  }
  const held = parts.transact(() => hold(parts, order, 'placed'));
  await lockCouponsOrUndo(parts, order, now);
  await claimPromotionsOrUndo(parts, order, now);
  let view: OrderView;
  try {
    view = parts.transact(() => publish(parts, order, write(parts, order, held), now));
  } catch (e) {
    // Cancelled while its coupons were being locked: give them back.
    await releaseCoupons(parts.d1, order.id, now);
    if (limited.length > 0) await releasePromotionUses(parts.d1, order.id);
    throw e;
  }
  return placed(parts, order, view, now);
}

/**
 * Admit: the kitchen's open orders and the store's rate leave room for one more. The rate
 * counts orders the kitchen took (paid, or an open tab), not placements: unpaid orders
 * cost the kitchen nothing, and counting them let one guest's unpaid orders shut out
 * everyone else.
 */
function admit(parts: StoreParts, input: PlaceOrderInput, now: number): KitchenLoad {
  const load = parts.load.get();
  admissionCheck(load, input.settings, parts.rate, now);
  return load;
}

/** Price: the cart against the published menu (read once per order) and stock, keeping every coupon the guest picked. */
function price(parts: StoreParts, input: PlaceOrderInput, menu: MenuSnapshot, now: number): PricedCart {
  const priced = priceCart(parts, input, menu, now);
  // A guest who picked a coupon must not be charged more without being told.
  const refused = priced.quote.rejectedCoupons.filter((c) => input.couponIds?.includes(c.id));
  if (refused.length > 0) {
    throw new DoFailure({
      status: 409,
      code: 'coupon.unavailable',
      detail: refused.map((c) => c.message).join('; '),
      errors: refused.map((c) => ({ path: `couponIds.${input.couponIds!.indexOf(c.id)}`, message: c.message })),
    });
  }
  return priced;
}

/**
 * Hold, atomically: stock out, a ticket number, a seat in the table's session and the order
 * row in `status`. An unpaid order is expired by the sweep; one held in `placed` with no
 * expiry of its own (an open tab locking coupons) gets a job, so if the object dies before
 * it is written the job still frees the stock.
 */
function hold(parts: StoreParts, order: OrderDraft, status: OrderStatus): OrderRow {
  const { input, now } = order;
  const left = parts.stock.reserve(order.reserved, order.day, now, order.names, order.levels);
  const low = parts.lowStock.afterReserve(order.levels, left, order.day, order.names);
  announceLowStock(parts, low, order.day, order.id, now);
  announceStockChanges(parts, soldOutBy(left, order.names), order.day, now);
  const t = nextTicket(parts.sql, input.settings, input, now);
  const session = input.table ? parts.sessions.joinOrOpen(input.table, order.payLater, order.addedBy, now) : undefined;
  const row: OrderRow = {
    id: order.id,
    ticket_no: t.ticketNo,
    business_day: t.day,
    mode: input.mode,
    status,
    previous_status: null,
    pay_later: order.payLater ? 1 : 0,
    table_id: input.table?.id ?? null,
    member_id: input.memberId ?? null,
    placed_by: order.addedBy,
    total: order.total,
    prep_seconds: order.prepSeconds,
    body: JSON.stringify(order.body),
    created_at: now,
    updated_at: now,
    expires_at: order.expiresAt,
    paid_at: null,
    last_urged_at: null,
    ready_at_estimate: estimateReadyAt(order.load, input.settings, order.slowestPrep, now),
    session_id: session?.id ?? null,
    // The key is recorded with the order it made, in the same write.
    idempotency_key: input.idempotencyKey ?? null,
    fingerprint: input.idempotencyKey ? input.fingerprint : null,
  };
  parts.sql.exec(
    `INSERT INTO orders (id, ticket_no, business_day, mode, status, pay_later, table_id, member_id, placed_by,
           total, prep_seconds, body, created_at, updated_at, expires_at, ready_at_estimate, session_id,
           idempotency_key, fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.id,
    row.ticket_no,
    row.business_day,
    row.mode,
    row.status,
    row.pay_later,
    row.table_id,
    row.member_id,
    row.placed_by,
    row.total,
    row.prep_seconds,
    row.body,
    row.created_at,
    row.updated_at,
    row.expires_at,
    row.ready_at_estimate,
    row.session_id,
    row.idempotency_key,
    row.fingerprint,
  );
  if (order.expiresAt !== null) parts.jobs.sweepBy(order.expiresAt);
  else if (status === 'placed') parts.jobs.add('expire', order.id, now + 15 * 60_000);
  // A group-buy order must not wait forever for a group it never joins.
  if (input.kitchenHold) parts.jobs.add('hold', order.id, (order.expiresAt ?? now) + HOLD_GRACE_MS);
  return row;
}

/** Lock coupons: they live in D1, shared by every store of the brand; if one is gone, the hold is undone. */
async function lockCouponsOrUndo(parts: StoreParts, order: OrderDraft, now: number) {
  const ids = order.body.couponIds;
  if (await lockCoupons(parts.d1, order.input.memberId ?? '', ids, order.id, now)) return;
  undoHold(parts, order, now);
  throw new DoFailure({
    status: 409,
    code: 'coupon.unavailable',
    detail: 'A coupon on this order was just used elsewhere or has expired; review the order and try again.',
  });
}

/**
 * Claim limited promotions: one use each, counted in D1 across the brand's stores. If one
 * is used up (or ended) meanwhile, the coupons and the hold are given back.
 */
async function claimPromotionsOrUndo(parts: StoreParts, order: OrderDraft, now: number) {
  const ids = order.body.promotionUses ?? [];
  if (ids.length === 0) return;
  const list = order.input.promotions.filter((p) => ids.includes(p.id));
  const claim = { orderId: order.id, storeId: parts.store.storeId, memberId: order.input.memberId ?? null, now };
  if (await claimPromotionUses(parts.d1, list, claim)) return;
  await releaseCoupons(parts.d1, order.id, now);
  undoHold(parts, order, now);
  throw new DoFailure({
    status: 409,
    code: 'promotion.unavailable',
    detail: 'A promotion on this order has just reached its limit or ended; review the order and try again.',
  });
}

/** Undoes a hold in `placed`: stock back, the row and its jobs gone. */
function undoHold(parts: StoreParts, order: OrderDraft, now: number) {
  parts.transact(() => {
    const back = parts.stock.release(order.body.reserved, order.day, now);
    announceStockChanges(parts, givenBack(back, order.body.lines), order.day, now);
    parts.sql.exec('DELETE FROM orders WHERE id = ?', order.id);
    parts.jobs.cancel('expire', order.id);
    parts.jobs.cancel('hold', order.id);
  });
}

/**
 * Write: the held order takes its first status. A row held in that status already (nothing
 * was awaited) is written; one that waited for its coupons may have been cancelled by staff.
 */
function write(parts: StoreParts, order: OrderDraft, held: OrderRow): OrderRow {
  if (held.status === order.first) return held;
  const still = parts.sql.exec<{ status: string }>('SELECT status FROM orders WHERE id = ?', order.id).toArray()[0];
  if (still?.status !== 'placed') {
    throw new DoFailure({
      status: 409,
      code: 'order.cancelled',
      detail: 'The order was cancelled while it was being placed.',
    });
  }
  parts.sql.exec('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?', order.first, order.now, order.id);
  if (order.expiresAt === null) parts.jobs.cancel('expire', order.id);
  return { ...held, status: order.first };
}

/** Publish: the order becomes visible, with its outbox event; an open tab goes to the kitchen at once. */
function publish(parts: StoreParts, order: OrderDraft, row: OrderRow, now: number): OrderView {
  const { input, body } = order;
  if (order.payLater) parts.kitchen.onOrderReady(row, body, order.menu, input.settings.stationRouting, now);
  const view = orderView(row, parts.store.storeId, input.timeZone, 'guest', body);
  const { allowedActions: _a, ...payload } = view;
  const eventSeq = parts.outbox.append('order.placed', order.id, payload, now);
  parts.jobs.flushSoon(now, openStatuses.includes(row.status) ? undefined : UNPAID_FLUSH_DELAY_MS);
  return { ...view, eventSeq };
}

async function placed(parts: StoreParts, order: OrderDraft, view: OrderView, now: number): Promise<Placed> {
  // An open tab goes to the kitchen now; an unpaid order counts when it is paid (actions.ts).
  if (openStatuses.includes(order.first)) parts.rate.add(now);
  const { input } = order;
  const clock = { timeZone: input.timeZone, dayStartsAt: input.settings.dayStartsAt };
  // The guest's own list shows it as soon as they have the answer (own-history.ts).
  await Promise.all([parts.jobs.arm(), parts.ownHistory.record(input.brandId, view, clock, now)]);
  return { ...view, replayed: false };
}
