import {
  lineMatches,
  type PartialRefundNotice,
  refundMoves,
  type UrgeNotice,
} from '../../../domain/channels/platform-notices';
import { isFinal } from '../../../domain/orders/order-state';
import { eventPayload } from '../orders/actions';
import type { ChannelRefund, OrderBody, OrderRow, OrderView } from '../orders/order-types';
import { loadOrder, orderView } from '../orders/orders';
import { type DoResult, resultOrProblem } from '../result';
import type { StoreParts } from '../store-parts';
import { byExternalId } from './channel-orders';

/** A platform's notice about one of its orders that is not a move of the state machine. */
export type ChannelNotice = { channel: 'meituan' | 'eleme'; externalId: string } & (
  | { kind: 'partial_refund'; refund: PartialRefundNotice }
  | { kind: 'urge'; urge: UrgeNotice }
);

/** How many urge keys an order remembers: far more than any guest urges one order. */
const URGE_KEYS_KEPT = 20;

/**
 * A guest's partial refund or urge on the platform, applied once (by the platform's refund
 * id, or the urge's key): a replay, or an older step arriving after a newer one, changes
 * nothing. An order we never made is acknowledged as nothing (null).
 */
export function applyChannelNotice(
  parts: StoreParts,
  notice: ChannelNotice,
  now: number,
): Promise<DoResult<OrderView | null>> {
  return resultOrProblem(async () => {
    const row = byExternalId(parts, notice.channel, notice.externalId);
    if (!row) return null;
    const m = parts.store.require();
    const changed =
      notice.kind === 'partial_refund' ? partialRefund(parts, row, notice, now) : urge(parts, row, notice.urge, now);
    if (changed) await parts.jobs.arm();
    return orderView(loadOrder(parts.sql, row.id), m.storeId, m.timeZone, 'staff');
  });
}

/**
 * Records where a partial refund stands, with the lines it names and the platform's amount.
 * The order's status does not move (the rest of it is still cooked and delivered), nothing
 * of ours is refunded (the platform settles with its guest), and the order's event (`change:
 * 'refund'`) carries it to the history, the KPIs and the `order.refunded` webhook.
 */
function partialRefund(
  parts: StoreParts,
  row: OrderRow,
  notice: ChannelNotice & { kind: 'partial_refund' },
  now: number,
): boolean {
  const { refund } = notice;
  return parts.transact(() => {
    const current = loadOrder(parts.sql, row.id);
    const body = JSON.parse(current.body) as OrderBody;
    if (!body.channel) return false;
    const refunds = body.channel.refunds ?? [];
    const known = refunds.find((r) => r.id === refund.refundId);
    if (!refundMoves(known?.status, refund.step)) return false;
    // What the other agreed refunds left: together they never give back more than was paid.
    const left =
      current.total -
      refunds.filter((r) => r.id !== refund.refundId && r.status === 'agreed').reduce((s, r) => s + r.amount, 0);
    const entry: ChannelRefund = known
      ? { ...known, status: refund.step, at: now }
      : { id: refund.refundId, status: refund.step, ...refundedPart(body, notice, left), at: now };
    if (known && refund.amount > 0 && refund.step === 'agreed') entry.amount = Math.min(refund.amount, left);
    body.channel.refunds = known ? refunds.map((r) => (r.id === entry.id ? entry : r)) : [...refunds, entry];
    parts.sql.exec('UPDATE orders SET body = ?, updated_at = ? WHERE id = ?', JSON.stringify(body), now, row.id);
    const stored = loadOrder(parts.sql, row.id);
    const { at: _at, ...shown } = entry;
    parts.outbox.append(
      'order.updated',
      row.id,
      { ...eventPayload(parts, stored), change: 'refund', refund: shown },
      now,
    );
    parts.jobs.flushSoon(now);
    return true;
  });
}

/** The order's lines (and units) a refund names, and its amount (the platform's, else those units at its prices), within `left`. */
function refundedPart(body: OrderBody, notice: ChannelNotice & { kind: 'partial_refund' }, left: number) {
  const lines: ChannelRefund['lines'] = [];
  let priced = 0;
  for (const item of notice.refund.items) {
    const line = body.lines.find(
      (l) => lineMatches(notice.channel, l, item) && !lines.some((x) => x.index === l.index),
    );
    if (!line) continue;
    const quantity = Math.min(item.quantity, line.quantity);
    lines.push({ index: line.index, quantity });
    priced += (item.unitPrice || line.unitPrice) * quantity;
  }
  const amount = Math.max(0, Math.min(notice.refund.amount > 0 ? notice.refund.amount : priced, left));
  return { amount, lines, reason: notice.refund.reason };
}

/**
 * A guest's urge from the platform: counted on the order once per push and flagged on the
 * kitchen's tickets (`ticket.urged`), as our own guests' urges are. The platform keeps its
 * own limits, so no cooldown of ours applies; an order already finished is left alone.
 */
function urge(parts: StoreParts, row: OrderRow, notice: UrgeNotice, now: number): boolean {
  return parts.transact(() => {
    const current = loadOrder(parts.sql, row.id);
    const body = JSON.parse(current.body) as OrderBody;
    if (!body.channel || isFinal(current.status)) return false;
    const seen = body.channel.urgeIds ?? [];
    if (seen.includes(notice.urgeId)) return false;
    body.channel.urgeIds = [...seen, notice.urgeId].slice(-URGE_KEYS_KEPT);
    body.channel.urgeCount = (body.channel.urgeCount ?? 0) + 1;
    parts.sql.exec(
      'UPDATE orders SET body = ?, last_urged_at = ?, updated_at = ? WHERE id = ?',
      JSON.stringify(body),
      now,
      now,
      row.id,
    );
    const stored = loadOrder(parts.sql, row.id);
    parts.outbox.append('order.urged', row.id, eventPayload(parts, stored), now);
    parts.kitchen.onOrderEvent(row.id, 'ticket.urged', now);
    parts.jobs.flushSoon(now);
    return true;
  });
}
