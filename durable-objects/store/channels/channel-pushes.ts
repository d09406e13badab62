import type { ChannelPushEvent } from '../../../domain/channels/channel-order';
import { log } from '../../../domain/log';
import { isFinal, type OrderAction, transition } from '../../../domain/orders/order-state';
import { actOnOrder } from '../orders/actions';
import type { ActInput, OrderRow, OrderView } from '../orders/order-types';
import { loadOrder, orderView } from '../orders/orders';
import { type DoResult, resultOrProblem } from '../result';
import type { StoreParts } from '../store-parts';
import { byExternalId } from './channel-orders';

export interface ChannelPush {
  channel: 'meituan' | 'eleme';
  externalId: string;
  event: ChannelPushEvent;
  reason?: string;
}

type Move = Pick<ActInput, 'action' | 'actor' | 'authority'> & { action: OrderAction };

/*
 * Who makes each move the platform tells us of. The platform decides its own orders: a
 * cancel it pushes is applied as a manager would (it already gave the guest's money back),
 * a guest's refund request as the guest, completion as the system. Every move still goes
 * through the state machine; one it refuses is logged and the push acknowledged.
 */
const MANAGER = { actor: 'staff', authority: 'manager' } as const;

function movesFor(event: ChannelPushEvent, row: OrderRow): Move[] {
  switch (event) {
    case 'cancel':
    case 'refund_agree':
      return row.status === 'cancel_requested'
        ? [{ action: 'approve_cancel', ...MANAGER }]
        : [{ action: 'cancel', ...MANAGER }];
    case 'refund_apply':
      return [{ action: 'request_cancel', actor: 'guest' }];
    case 'refund_reject':
      return row.status === 'cancel_requested' ? [{ action: 'reject_cancel', ...MANAGER }] : [];
    case 'complete':
      return (['accept', 'ready', 'complete'] as const).map((action) => ({ action, actor: 'system' }));
  }
}

/**
 * A platform's push about an order it sent before: cancelled, a guest's refund request and
 * its outcome, completed. Idempotent: an order already where the push would take it is left
 * alone, and an order we never made (rejected as sold out) is acknowledged as nothing.
 */
export function applyChannelPush(
  parts: StoreParts,
  push: ChannelPush,
  now: number,
): Promise<DoResult<OrderView | null>> {
  return resultOrProblem(async () => {
    const row = byExternalId(parts, push.channel, push.externalId);
    if (!row) return null;
    const m = parts.store.require();
    for (const move of movesFor(push.event, row)) {
      const current = loadOrder(parts.sql, row.id);
      if (isFinal(current.status)) break;
      const state = { status: current.status, mode: current.mode, previousStatus: current.previous_status };
      if (!transition({ ...state, paid: current.total }, move.action, move.actor, move.authority).ok) {
        if (push.event !== 'complete')
          log.info('platform push left the order as it is', { ...push, status: current.status });
        continue;
      }
      const reason = push.reason ? `${push.channel}: ${push.reason}` : push.channel;
      await actOnOrder(parts, { orderId: row.id, ...move, reason, fromPlatform: true }, now);
    }
    return orderView(loadOrder(parts.sql, row.id), m.storeId, m.timeZone, 'staff');
  });
}
