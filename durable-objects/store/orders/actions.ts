import { eq } from 'drizzle-orm';
import { actionMovesFigures } from '../../../domain/analytics/rollup';
import { type OrderAction, transition } from '../../../domain/orders/order-state';
import { groupBuys, groupMembers } from '../../../schema/d1/tables';
import { platformFollows } from '../channels/channel-sync';
import { DoFailure } from '../result';
import type { StoreMeta } from '../store-identity';
import type { StoreParts } from '../store-parts';
import { consumeCoupons, releaseCoupons } from './coupon-locks';
import { recordLapse } from './guest-holds';
import type { ActInput, OrderBody, OrderRow, OrderView } from './order-types';
import { loadOrder, orderView } from './orders';
import { HOLD_GRACE_MS } from './placement';
import { releasePromotionUses } from './promotion-uses';
import { announceStockChanges, givenBack } from './stock-events';

/**
 * Applies one action to an order through the state machine, with its side effects:
 * stock and coupons come back on cancel/expiry, coupons are spent on payment.
 */
export async function actOnOrder(parts: StoreParts, requested: ActInput, now: number): Promise<OrderView> {
  const m = parts.store.require();
  const row = loadOrder(parts.sql, requested.orderId);
  const platformGuest = requested.fromPlatform === true && row.channel != null;
  if (requested.actor === 'guest' && !platformGuest && row.member_id !== requested.memberId) {
    throw new DoFailure({ status: 404, code: 'order.not_found', detail: `No order with id ${requested.orderId}.` });
  }
  if (requested.action === 'urge') return urge(parts, row, m, now);
  let input: ActInput & { action: OrderAction } = { ...requested, action: requested.action };
  const held = (JSON.parse(row.body) as OrderBody).kitchenHold === true;
  if (held && row.status === 'paid') {
    // A group-buy order waiting for its group: nothing is cooked, so the guest's request
    // to cancel is granted at once, and the kitchen cannot start it before it is released.
    if (input.action === 'request_cancel') input = { ...input, action: 'cancel', actor: 'system' };
    else if (input.action !== 'cancel' && input.action !== 'pay') {
      throw new DoFailure({
        status: 409,
        code: 'order.held_for_group',
        detail: 'This group-buy order goes to the kitchen when its group fills.',
        extra: { currentStatus: row.status },
      });
    }
  }
  const received = (JSON.parse(row.body) as OrderBody).payments ?? [];
  const result = transition(
    {
      status: row.status,
      mode: row.mode,
      previousStatus: row.previous_status,
      payLater: row.pay_later === 1,
      paid: received.reduce((s, p) => s + p.amount, 0),
    },
    input.action,
    input.actor,
    input.authority,
  );
  if (!result.ok) {
    throw new DoFailure({
      status: result.code === 'order.illegal_transition' ? 409 : 403,
      code: result.code,
      detail: result.message,
      extra: { currentStatus: row.status },
    });
  }
  const body = JSON.parse(row.body) as OrderBody;
  if (input.action === 'request_cancel') body.cancelRequest = { reason: input.reason ?? '', at: now };
  if (input.action === 'dispatch' && body.delivery) {
    if (!input.courier) {
      throw new DoFailure({
        status: 422,
        code: 'validation.failed',
        detail: 'Say who carries the delivery.',
        errors: [{ path: 'courier', message: 'required to dispatch a delivery' }],
      });
    }
    body.delivery.courier = input.courier;
  }
  let eventSeq = 0;
  const updated = parts.transact(() => {
    parts.sql.exec(
      `UPDATE orders SET status = ?, previous_status = ?, updated_at = ?, body = ?,
             paid_at = CASE WHEN ? = 'pay' THEN ? ELSE paid_at END,
             expires_at = CASE WHEN ? IN ('pay', 'cancel', 'expire') THEN NULL ELSE expires_at END
           WHERE id = ?`,
      result.status,
      result.previousStatus,
      now,
      JSON.stringify(body),
      input.action,
      now,
      input.action,
      row.id,
    );
    if (result.status === 'cancelled') {
      const back = parts.stock.release(body.reserved, row.business_day, now);
      announceStockChanges(parts, givenBack(back, body.lines), row.business_day, now);
      recordLapse(parts, row, body, input, now);
    }
    if (input.action === 'pay' || result.status === 'cancelled') parts.jobs.cancel('expire', row.id);
    const stored = parts.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', row.id).one();
    eventSeq = parts.outbox.append('order.status_changed', row.id, eventPayload(parts, stored), now, {
      figuresUnchanged: !actionMovesFigures(input.action),
    });
    // The guest waits on a completed order's points: its event leaves at once.
    parts.jobs.flushSoon(now, result.status === 'completed' ? 0 : undefined);
    kitchenFollows(parts, row, stored, body, now);
    platformFollows(parts, row, input, body, now);
    return stored;
  });
  // Paid: the kitchen takes it now, so it counts toward the store's rate from here (an
  // open tab paid after the meal was counted when it was placed).
  if (input.action === 'pay' && row.status === 'pending_payment') parts.rate.add(now);
  if (body.couponIds.length > 0) {
    if (input.action === 'pay') await consumeCoupons(parts.d1, row.id, now);
    else if (result.status === 'cancelled' || result.status === 'refunded') await releaseCoupons(parts.d1, row.id, now);
  }
  if (body.promotionUses?.length && (result.status === 'cancelled' || result.status === 'refunded')) {
    await releasePromotionUses(parts.d1, row.id);
  }
  await parts.jobs.arm();
  return { ...orderView(updated, m.storeId, m.timeZone, input.actor, undefined, input.authority), eventSeq };
}

/**
 * What the kitchen sees of a status change, in the same transaction: a paid order's
 * tickets, a cancellation, and the pickup board's "ready" and "gone".
 */
function kitchenFollows(parts: StoreParts, before: OrderRow, after: OrderRow, body: OrderBody, now: number) {
  const k = parts.kitchen;
  if (after.status === 'paid' && before.status !== 'paid' && !body.kitchenHold) {
    k.onOrderReady(after, body, parts.menu.current, parts.store.require().settings.stationRouting, now);
  } else if (after.status === 'cancelled' && before.status !== 'cancelled') {
    k.onOrderEvent(after.id, 'ticket.cancelled', now);
  } else if (after.status === 'ready' && before.status !== 'ready') {
    k.onOrderReadyForPickup(after.id, after.ticket_no, now);
  } else if (before.status === 'ready' && ['served', 'picked_up', 'delivering', 'completed'].includes(after.status)) {
    k.onOrderGone(after.id, after.ticket_no, now);
  }
}

/** A guest's reminder to the kitchen, at most once per cooldown. */
function urge(parts: StoreParts, row: OrderRow, m: StoreMeta, now: number): OrderView {
  if (!['paid', 'accepted', 'preparing'].includes(row.status) && !(row.pay_later === 1 && row.status === 'accepted')) {
    throw new DoFailure({
      status: 409,
      code: 'order.illegal_transition',
      detail: `An order that is ${row.status.replace('_', ' ')} cannot be urged.`,
      extra: { currentStatus: row.status },
    });
  }
  const cooldown = m.settings.urgeCooldownMinutes * 60_000;
  if (row.last_urged_at !== null && now - row.last_urged_at < cooldown) {
    const retry = Math.ceil((row.last_urged_at + cooldown - now) / 1000);
    throw new DoFailure({
      status: 429,
      code: 'order.urge_too_soon',
      detail: `The kitchen already has your reminder; you can urge again in ${Math.ceil(retry / 60)} min.`,
      headers: { 'Retry-After': String(retry) },
    });
  }
  const updated = parts.transact(() => {
    parts.sql.exec('UPDATE orders SET last_urged_at = ?, updated_at = ? WHERE id = ?', now, now, row.id);
    const stored = parts.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', row.id).one();
    parts.outbox.append('order.urged', row.id, eventPayload(parts, stored), now);
    parts.kitchen.onOrderEvent(row.id, 'ticket.urged', now);
    parts.jobs.flushSoon(now);
    return stored;
  });
  void parts.jobs.arm();
  return orderView(updated, m.storeId, m.timeZone, 'guest');
}

/** The order as outbox events carry it. */
export function eventPayload(parts: StoreParts, row: OrderRow) {
  const m = parts.store.require();
  const v = orderView(row, m.storeId, m.timeZone, 'system');
  const { allowedActions: _a, ...rest } = v;
  return rest;
}

export type SettleOutcome = 'paid' | 'partial' | 'duplicate' | 'rejected';

/**
 * Records money received for an order. The order turns paid only when the payments add
 * up to its total; a payment arriving for an order that can no longer take money
 * (expired, cancelled) is `rejected` so the caller refunds it. Replays are `duplicate`.
 */
export async function settlePayment(
  parts: StoreParts,
  p: { orderId: string; paymentId: string; amount: number },
  now: number,
): Promise<{ outcome: SettleOutcome; order: OrderView; paid: number; excess: number }> {
  const m = parts.store.require();
  const row = loadOrder(parts.sql, p.orderId);
  const body = JSON.parse(row.body) as OrderBody;
  const received = body.payments ?? [];
  const sum = (list: { amount: number }[]) => list.reduce((s, x) => s + x.amount, 0);
  if (received.some((x) => x.id === p.paymentId)) {
    return {
      outcome: 'duplicate',
      order: orderView(row, m.storeId, m.timeZone, 'system'),
      paid: sum(received),
      excess: 0,
    };
  }
  // Money is taken exactly when the state machine would let the order be paid.
  const open = row.paid_at === null && transition(stateOf(row), 'pay', 'system').ok;
  if (!open) {
    return {
      outcome: 'rejected',
      order: orderView(row, m.storeId, m.timeZone, 'system'),
      paid: sum(received),
      excess: 0,
    };
  }
  body.payments = [...received, { id: p.paymentId, amount: p.amount, at: now }];
  const paid = sum(body.payments);
  // Two payments racing for the same balance due: whatever passes the total goes back.
  const excess = Math.max(0, paid - Math.max(row.total, sum(received)));
  parts.transact(() => {
    parts.sql.exec('UPDATE orders SET body = ?, updated_at = ? WHERE id = ?', JSON.stringify(body), now, row.id);
  });
  if (paid < row.total) {
    return {
      outcome: 'partial',
      order: orderView(loadOrder(parts.sql, row.id), m.storeId, m.timeZone, 'system'),
      paid,
      excess: 0,
    };
  }
  const order = await actOnOrder(parts, { orderId: row.id, action: 'pay', actor: 'system' }, now);
  return { outcome: 'paid', order, paid, excess };
}

const stateOf = (row: OrderRow) => ({
  status: row.status,
  mode: row.mode,
  previousStatus: row.previous_status,
  payLater: row.pay_later === 1,
});

/**
 * Sends a held order to the kitchen (its group filled): the hold is cleared and, if the
 * order is paid, its tickets are made now. Idempotent: a second release changes nothing.
 */
export function releaseKitchenHold(parts: StoreParts, orderId: string, now: number): OrderView {
  const m = parts.store.require();
  const row = loadOrder(parts.sql, orderId);
  const body = JSON.parse(row.body) as OrderBody;
  if (!body.kitchenHold) return orderView(row, m.storeId, m.timeZone, 'system');
  const stored = parts.transact(() => {
    const released = { ...body, kitchenHold: false };
    parts.sql.exec('UPDATE orders SET body = ?, updated_at = ? WHERE id = ?', JSON.stringify(released), now, orderId);
    if (['paid', 'accepted', 'preparing'].includes(row.status)) {
      parts.kitchen.onOrderReady(row, released, parts.menu.current, m.settings.stationRouting, now);
    }
    const after = parts.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', orderId).one();
    parts.outbox.append('order.updated', orderId, eventPayload(parts, after), now);
    parts.jobs.flushSoon(now);
    return after;
  });
  return orderView(stored, m.storeId, m.timeZone, 'system');
}

/**
 * The hold check of a group-buy order (a store job): seated in an open group, it waits
 * for that group's end; in a filled group, it goes to the kitchen; with no seat, or in a
 * group that failed, it is cancelled by the system (nothing was cooked) and the events
 * consumer refunds it. An order already released, cancelled or refunded is left alone.
 */
export async function checkKitchenHold(parts: StoreParts, orderId: string, now: number) {
  const row = parts.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', orderId).toArray()[0];
  if (!row || !(JSON.parse(row.body) as OrderBody).kitchenHold) return;
  if (row.status === 'placed' || row.status === 'pending_payment') {
    // Unpaid: the expiry job takes care of it; look again after it would have run.
    await parts.jobs.schedule('hold', orderId, (row.expires_at ?? now) + HOLD_GRACE_MS);
    return;
  }
  if (row.status !== 'paid') return;
  const seat = await parts.d1
    .select({ status: groupBuys.status, expiresAt: groupBuys.expiresAt })
    .from(groupMembers)
    .innerJoin(groupBuys, eq(groupBuys.id, groupMembers.groupId))
    .where(eq(groupMembers.orderId, orderId))
    .get();
  if (seat?.status === 'open' && seat.expiresAt > now - HOLD_GRACE_MS) {
    // The group's own settlement decides; this is only the safety net behind it.
    await parts.jobs.schedule('hold', orderId, Math.max(seat.expiresAt, now) + HOLD_GRACE_MS);
    return;
  }
  if (seat?.status === 'filled') {
    releaseKitchenHold(parts, orderId, now);
    return;
  }
  await actOnOrder(parts, { orderId, action: 'cancel', actor: 'system', reason: 'group buy without a group' }, now);
}
