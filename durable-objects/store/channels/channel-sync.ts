import type { OrderAction } from '../../../domain/orders/order-state';
import type { ChannelSync } from '../../../queues/messages';
import type { ActInput, OrderBody, OrderRow } from '../orders/order-types';
import type { StoreParts } from '../store-parts';

/** Which platform call each of our moves on a platform order asks for. */
const CALL_FOR: Partial<Record<OrderAction, Extract<ChannelSync, { externalId: string }>['op']>> = {
  accept: 'confirm',
  ready: 'ready',
  cancel: 'cancel',
  approve_cancel: 'refund_agree',
  reject_cancel: 'refund_reject',
};

/**
 * In the transaction of a status change: a platform order moved by our staff or the store
 * (not by the platform's own push) tells the platform, through the outbox, so the call is
 * made (and retried) by the jobs queue, never inside the kitchen's request.
 */
export function platformFollows(parts: StoreParts, row: OrderRow, input: ActInput, body: OrderBody, now: number) {
  if (!body.channel || input.fromPlatform || input.action === 'urge') return;
  const op = CALL_FOR[input.action];
  if (!op) return;
  parts.outbox.append(
    'channel.sync',
    row.id,
    {
      op,
      channel: body.channel.name,
      externalId: body.channel.externalId,
      orderId: row.id,
      ...(input.reason ? { reason: input.reason } : {}),
    },
    now,
  );
}

/**
 * In the transaction of a stock change: a dish's count (null = unlimited) for every bound
 * platform. Cheap when a store has no platform: the events consumer finds no binding.
 */
export function stockFollows(parts: StoreParts, itemId: string, remaining: number | null, now: number) {
  parts.outbox.append('channel.sync', null, { op: 'stock', itemId, remaining }, now);
  parts.jobs.flushSoon(now);
}
