import {
  applyDeliveryUpdate,
  type DeliveryTracking,
  type DeliveryUpdate,
  orderMovesFor,
} from '../../../domain/delivery/tracking';
import { Failure } from '../../../domain/failure';
import { DoFailure } from '../result';
import type { StoreParts } from '../store-parts';
import { actOnOrder, eventPayload } from './actions';
import type { Courier, OrderBody, OrderRow, OrderView } from './order-types';
import { loadOrder, orderView } from './orders';

const CARRIER_NAMES: Record<DeliveryTracking['provider'], string> = {
  own: 'Own rider',
  wechat: 'WeChat instant delivery',
  dada: 'Dada',
  sf: 'SF same-city',
};

/** Who the order says carries it, from the tracking (the dispatch action needs one). */
export function courierOf(t: DeliveryTracking): Courier {
  return {
    kind: t.provider === 'own' ? 'own' : 'third_party',
    name: t.rider?.name ?? CARRIER_NAMES[t.provider],
    ...(t.rider?.phone ? { phone: t.rider.phone } : {}),
    ...(t.trackingNo ? { trackingNo: t.trackingNo } : {}),
  };
}

/**
 * Records a carrier's callback or an own rider's tap on a delivery order. A repeat or a
 * stale callback changes nothing (`changed: false`). A pickup or a delivery also moves
 * the order, one state-machine action at a time, each with its own event; then the
 * tracking is stored with an `order.updated` event (`change: 'delivery'`) the guest's
 * history, webhooks and the pickup board follow.
 */
export async function trackDelivery(
  parts: StoreParts,
  orderId: string,
  update: DeliveryUpdate,
  now: number,
): Promise<{ order: OrderView; changed: boolean }> {
  const m = parts.store.require();
  const row = loadOrder(parts.sql, orderId);
  const body = JSON.parse(row.body) as OrderBody;
  if (row.mode !== 'delivery' || !body.delivery) {
    throw new DoFailure({
      status: 409,
      code: 'order.not_delivery',
      detail: `Order ${orderId} is not a delivery order.`,
      extra: { mode: row.mode },
    });
  }
  const applied = applyDeliveryUpdate(body.delivery.tracking, update);
  if (!applied.changed) return { order: orderView(row, m.storeId, m.timeZone, 'system'), changed: false };

  if (applied.statusChanged) {
    for (const action of orderMovesFor(row.status, applied.tracking.status)) {
      try {
        await actOnOrder(parts, { orderId, action, actor: 'system', courier: courierOf(applied.tracking) }, now);
      } catch (e) {
        // The order went elsewhere meanwhile (a cancel request, a cancel): the tracking is
        // still recorded and staff decide; the carrier's callback is not refused for it.
        if (e instanceof Failure && e.code === 'order.illegal_transition') break;
        throw e;
      }
    }
  }

  const current = loadOrder(parts.sql, orderId);
  const latest = JSON.parse(current.body) as OrderBody;
  if (!latest.delivery) throw new Error('a delivery order lost its delivery');
  latest.delivery.tracking = applied.tracking;
  latest.delivery.courier ??= courierOf(applied.tracking);
  const stored = parts.transact(() => {
    parts.sql.exec('UPDATE orders SET body = ?, updated_at = ? WHERE id = ?', JSON.stringify(latest), now, orderId);
    const after = parts.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', orderId).one();
    parts.outbox.append('order.updated', orderId, { ...eventPayload(parts, after), change: 'delivery' }, now);
    if (applied.statusChanged) {
      parts.kitchen.onDeliveryUpdate(
        orderId,
        {
          ticketNo: after.ticket_no,
          status: applied.tracking.status,
          provider: applied.tracking.provider,
          ...(applied.tracking.rider ? { riderName: applied.tracking.rider.name } : {}),
        },
        now,
      );
    }
    parts.jobs.flushSoon(now);
    return after;
  });
  await parts.jobs.arm();
  return { order: orderView(stored, m.storeId, m.timeZone, 'system'), changed: true };
}
