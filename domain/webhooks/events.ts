import { isoInZone } from '../zoned-time';

/*
 * What a partner's endpoint receives, made from a store's outbox events: the Standard Webhooks
 * payload `{ type, timestamp, data }`, with `data.storeSeq` (the store's outbox sequence) so a
 * receiver can order one store's events even when retries deliver them out of order, and an
 * event id that stays the same on every retry (the `webhook-id`, the receiver's dedup key).
 */

export const WEBHOOK_EVENT_TYPES = [
  'order.created',
  'order.paid',
  'order.status_changed',
  'order.cancelled',
  'order.refunded',
  'order.delivery_updated',
  'stock.changed',
  'stock.low',
  'member.created',
  'review.created',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent {
  /** Stable across retries and replays; letters, digits, `_` and `-` only (it is signed). */
  id: string;
  type: WebhookEventType;
  brandId: string;
  /** Absent for brand-level events (a new member). */
  storeId?: string;
  /** When it happened, in the store's (or brand's) offset. */
  timestamp: string;
  data: Record<string, unknown>;
}

/** The outbox events a webhook can come from (the shapes of queues/messages.ts, structurally). */
export type OutboxEvent = {
  eventId: string;
  storeId: string;
  brandId: string;
  seq: number;
  occurredAt: number;
} & (
  | {
      type: 'order.placed' | 'order.status_changed' | 'order.urged' | 'order.updated';
      order: { id: string; status: string; previousStatus?: string } & Record<string, unknown>;
    }
  | { type: 'stock.low' | 'stock.changed'; stock: Record<string, unknown> }
  | { type: 'session.closed'; session: Record<string, unknown> }
);

/** The statuses whose arrival is an event of its own, besides `order.status_changed`. */
const NAMED_STATUSES: Partial<Record<string, WebhookEventType>> = {
  paid: 'order.paid',
  cancelled: 'order.cancelled',
  refunded: 'order.refunded',
};

const idFor = (eventId: string, type: WebhookEventType) =>
  `${eventId}_${type.replace('.', '_')}`.replace(/[^\w-]/g, '_');

/** The webhook events one outbox event makes (none for what partners are not told). */
export function webhookEventsOf(e: OutboxEvent, timeZone: string): WebhookEvent[] {
  const base = { brandId: e.brandId, storeId: e.storeId, timestamp: isoInZone(e.occurredAt, timeZone) };
  const make = (type: WebhookEventType, data: Record<string, unknown>): WebhookEvent => ({
    ...base,
    id: idFor(e.eventId, type),
    type,
    data: { ...data, storeId: e.storeId, storeSeq: e.seq },
  });
  switch (e.type) {
    case 'order.placed':
      return [make('order.created', { order: e.order })];
    case 'order.status_changed': {
      const named = NAMED_STATUSES[e.order.status];
      return [make('order.status_changed', { order: e.order }), ...(named ? [make(named, { order: e.order })] : [])];
    }
    case 'order.updated':
      // A rider's progress (assigned, at the store, picked up, delivered, a new position),
      // and a partial refund the delivery platform agreed (the order's status stays, so it
      // has no status change of its own); other edits are the store's own business.
      if (e.order.change === 'delivery') return [make('order.delivery_updated', { order: e.order })];
      return partialRefundOf(e.order) ? [make('order.refunded', partialRefundOf(e.order)!)] : [];
    case 'stock.low':
    case 'stock.changed':
      return [make(e.type, { stock: e.stock })];
    default:
      // Urges and table seatings are the store's own business.
      return [];
  }
}

/**
 * A platform's agreed partial refund, as `order.refunded` tells it: the order (its status
 * unchanged) and `refund: { id, amount, lines, partial: true }`. A withdrawn or merely
 * requested one is not a refund.
 */
function partialRefundOf(order: Record<string, unknown>) {
  const refund = order.refund as { status?: string } | undefined;
  if (order.change !== 'refund' || refund?.status !== 'agreed') return null;
  const { change: _c, refund: _r, ...rest } = order;
  return { order: rest, refund: { ...refund, partial: true } };
}

/** Events about the brand rather than one store's outbox: a member joined, a guest reviewed. */
export type BrandEventType = Extract<WebhookEventType, 'member.created' | 'review.created'>;

export interface BrandEvent {
  type: BrandEventType;
  brandId: string;
  /** The record it is about (`mem_…`, `rev_…`): with the type, the event's stable id. */
  key: string;
  occurredAt: number;
  /** The store it happened at, when there is one (a review is of one store's order). */
  storeId?: string;
  data: Record<string, unknown>;
}

/**
 * A brand event as partners receive it. It has no `storeSeq` (no store outbox orders it);
 * its id is made from the record, so announcing it twice delivers it once.
 */
export function brandWebhookEvent(e: BrandEvent, timeZone: string): WebhookEvent {
  return {
    id: idFor(e.key, e.type),
    type: e.type,
    brandId: e.brandId,
    ...(e.storeId ? { storeId: e.storeId } : {}),
    timestamp: isoInZone(e.occurredAt, timeZone),
    data: { ...e.data, ...(e.storeId ? { storeId: e.storeId } : {}) },
  };
}

/** The body every endpoint subscribed to this type receives, byte for byte (it is what is signed). */
export function webhookBody(e: WebhookEvent): string {
  return JSON.stringify({ type: e.type, timestamp: e.timestamp, data: e.data });
}
