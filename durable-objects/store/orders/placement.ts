import type { MenuSnapshot } from '../../../domain/menu';
import { newOrderId } from '../../../domain/orders/order-ids';
import { type OrderStatus, openStatuses, transition } from '../../../domain/orders/order-state';
import { DoFailure } from '../result';
import type { Desk } from '../store-parts';
import { lockCoupons, releaseCoupons } from './coupon-locks';
import type { OrderBody, OrderRow, OrderView, PlaceOrderInput } from './order-types';
import {
  admissionCheck,
  estimateReadyAt,
  nextTicket,
  orderView,
  priceOrFail,
  pricingInput,
  stockQuantities,
} from './orders';

/** How long a paid group-buy order may wait for a seat in a group before it is cancelled. */
export const HOLD_GRACE_MS = 30 * 60_000;

/**
 * Places an order whose idempotency key is new: admission → price against the published menu →
 * reserve stock → lock coupons in D1 (stock released if that fails) → ticket number →
 * order row and outbox event in one transaction.
 */
export async function placeOrder(
  desk: Desk,
  input: PlaceOrderInput,
  now: number,
): Promise<OrderView & { replayed: boolean }> {
  const s = input.settings;
  const load = desk.load.get();
  admissionCheck(load, s, desk.rate, now);
  const menu = await desk.menuAt(input.storeId, input.menuVersion);
  const day = desk.today(now);
  // Read once: nothing awaits between here and the reservation, so they cannot change.
  const levels = desk.stock.levels(day);
  const quote = priceOrFail(pricingInput(input, menu, desk.stock.soldOut(day, levels), now));

  // A guest who picked a coupon must not be charged more without being told.
  const refused = quote.rejectedCoupons.filter((c) => input.couponIds?.includes(c.id));
  if (refused.length > 0) {
    throw new DoFailure({
      status: 409,
      code: 'coupon.unavailable',
      detail: refused.map((c) => c.message).join('; '),
      errors: refused.map((c) => ({ path: `couponIds.${input.couponIds!.indexOf(c.id)}`, message: c.message })),
    });
  }
  const reserved = stockQuantities(quote.lines);
  const names = new Map<string, string>(quote.lines.map((l) => [l.itemId, l.name]));
  const orderId = newOrderId(input.storeId);
  const openSession = input.table ? desk.sessions.openAt(input.table.id) : undefined;
  const payLater = openSession
    ? openSession.pay_later === 1
    : input.mode === 'dine_in' && !!input.table && s.payLaterAreas.includes(input.table.area);
  const prepSeconds = quote.lines.reduce((sum, l) => sum + prepOf(menu, l.itemId) * l.quantity, 0);
  const slowest = quote.lines.reduce((m, l) => Math.max(m, prepOf(menu, l.itemId)), 0);
  const expiresAt = payLater ? null : now + s.unpaidExpiryMinutes * 60_000;
  const body: OrderBody = {
    lines: quote.lines,
    discounts: quote.discounts,
    itemsSubtotal: quote.itemsSubtotal,
    discountTotal: quote.discountTotal,
    packingFee: quote.packingFee,
    deliveryFee: quote.deliveryFee - quote.deliveryFeeWaived,
    deliveryFeeWaived: quote.deliveryFeeWaived,
    couponIds: quote.appliedCouponIds,
    note: input.note ?? null,
    invoice: input.invoice ?? null,
    ...(input.priority ? { priority: true } : {}),
    ...(input.kitchenHold ? { kitchenHold: true } : {}),
    pickupAt: input.pickupAt ?? null,
    table: input.table ?? null,
    delivery: input.delivery
      ? {
          sealedAddress: input.delivery.sealedAddress,
          sealedPhone: input.delivery.sealedPhone,
          distanceMetres: input.delivery.distanceMetres,
        }
      : null,
    reserved: Object.fromEntries(reserved),
    menuVersion: menu.version,
  };

  const addedBy = `${input.placedBy.role}:${input.placedBy.subject}`;
  const first = transition(
    { status: 'placed', mode: input.mode, payLater },
    payLater ? 'accept' : 'await_payment',
    'system',
  );
  if (!first.ok) throw new Error(first.message);

  // Step 1, atomically: stock out, ticket number, table session, the order row. An order
  // with coupons to lock waits in `placed`; one without goes straight to its first status.
  const hold = (status: OrderStatus): OrderRow => {
    desk.stock.reserve(reserved, day, now, names, levels);
    const t = nextTicket(desk.sql, s, input, now);
    const session = input.table ? desk.sessions.joinOrOpen(input.table, payLater, addedBy, now) : undefined;
    const row: OrderRow = {
      id: orderId,
      ticket_no: t.ticketNo,
      business_day: t.day,
      mode: input.mode,
      status,
      previous_status: null,
      pay_later: payLater ? 1 : 0,
      table_id: input.table?.id ?? null,
      member_id: input.memberId ?? null,
      placed_by: addedBy,
      total: quote.total,
      prep_seconds: prepSeconds,
      body: JSON.stringify(body),
      created_at: now,
      updated_at: now,
      expires_at: expiresAt,
      paid_at: null,
      last_urged_at: null,
      ready_at_estimate: estimateReadyAt(load, s, slowest, now),
      session_id: session?.id ?? null,
      // The key is recorded with the order it made, in the same write.
      idempotency_key: input.idempotencyKey ?? null,
      fingerprint: input.idempotencyKey ? input.fingerprint : null,
    };
    desk.sql.exec(
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
    // An unpaid order is expired by the sweep. One held in `placed` with no expiry of its
    // own (an open tab locking coupons) gets a job: if the object dies before step 3, the
    // job still frees the stock.
    if (expiresAt !== null) desk.jobs.sweepBy(expiresAt);
    else if (status === 'placed') desk.jobs.add('expire', orderId, now + 15 * 60_000);
    // A group-buy order must not wait forever for a group it never joins.
    if (input.kitchenHold) desk.jobs.add('hold', orderId, (expiresAt ?? now) + HOLD_GRACE_MS);
    return row;
  };

  // Step 3: the order becomes visible, with its outbox event.
  const publish = (row: OrderRow): OrderView => {
    // An open tab goes to the kitchen at once; it is paid after the meal.
    if (payLater) desk.kitchen.onOrderReady(row, body, menu, input.settings.stationRouting, now);
    const view = orderView(row, input.storeId, input.timeZone, 'guest', body);
    const { allowedActions: _a, ...payload } = view;
    desk.outbox.append('order.placed', orderId, payload, now);
    desk.jobs.flushSoon(now);
    return view;
  };

  if (quote.appliedCouponIds.length === 0) {
    // Nothing to await: the whole placement is one transaction.
    const view = desk.transact(() => publish(hold(first.status)));
    if (!openStatuses.includes(first.status)) desk.load.keep(load);
    desk.rate.add(now);
    await desk.jobs.arm();
    return { ...view, replayed: false };
  }

  const held = desk.transact(() => hold('placed'));
  // Step 2: coupons live in D1, shared by every store of the brand.
  const locked = await lockCoupons(desk.env.DB, input.memberId ?? '', quote.appliedCouponIds, orderId, now);
  if (!locked) {
    desk.transact(() => {
      desk.stock.release(body.reserved, day, now);
      desk.sql.exec('DELETE FROM orders WHERE id = ?', orderId);
      desk.jobs.cancel('expire', orderId);
      desk.jobs.cancel('hold', orderId);
    });
    throw new DoFailure({
      status: 409,
      code: 'coupon.unavailable',
      detail: 'A coupon on this order was just used elsewhere or has expired; review the order and try again.',
    });
  }

  let view: OrderView;
  try {
    view = desk.transact(() => {
      // While the coupons were being locked, staff may have cancelled the held order.
      const still = desk.sql.exec<{ status: string }>('SELECT status FROM orders WHERE id = ?', orderId).toArray()[0];
      if (still?.status !== 'placed') {
        throw new DoFailure({
          status: 409,
          code: 'order.cancelled',
          detail: 'The order was cancelled while it was being placed.',
        });
      }
      desk.sql.exec('UPDATE orders SET status = ?, updated_at = ? WHERE id = ?', first.status, now, orderId);
      if (expiresAt === null) desk.jobs.cancel('expire', orderId);
      return publish({ ...held, status: first.status });
    });
  } catch (e) {
    // Cancelled while its coupons were being locked: give them back.
    await releaseCoupons(desk.env.DB, orderId, now);
    throw e;
  }
  desk.rate.add(now);
  await desk.jobs.arm();
  return { ...view, replayed: false };
}

/** The first answer for a replayed Idempotency-Key, or undefined for a new key. */
export function storedReplay(
  desk: Desk,
  input: Pick<PlaceOrderInput, 'idempotencyKey' | 'fingerprint' | 'storeId' | 'timeZone'>,
): (OrderView & { replayed: boolean }) | undefined {
  if (!input.idempotencyKey) return undefined;
  const row = desk.sql
    .exec<OrderRow>('SELECT * FROM orders WHERE idempotency_key = ?', input.idempotencyKey)
    .toArray()[0];
  if (!row) return undefined;
  if (row.fingerprint !== input.fingerprint) throw new DoFailure(keyReused());
  // The key belongs to the order it made; the answer shows that order as it is now, so a
  // retrying client is not misled about its status.
  return { ...orderView(row, input.storeId, input.timeZone), replayed: true };
}

function prepOf(menu: MenuSnapshot, itemId: string): number {
  for (const c of menu.categories) for (const i of c.items) if (i.id === itemId) return i.prepSeconds;
  return 0;
}

export const keyReused = () => ({
  status: 422 as const,
  code: 'idempotency.key_reused',
  detail: 'This Idempotency-Key was already used for a different request.',
});
