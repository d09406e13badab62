/*
 * Every queue's message body, as a zod schema the consumer parses with, and a typed helper
 * that sends it. `worker-env.d.ts` types each queue binding with its body (`Queue<…>`), so a
 * sender cannot put the wrong shape on a queue; a dead-letter queue carries its queue's body.
 */
import { z } from 'zod';

const StoreEventBase = {
  eventId: z.string(),
  storeId: z.string(),
  brandId: z.string(),
  seq: z.number().int().positive(),
  occurredAt: z.number().int(),
};

/** An order event from a store's outbox (`tiffin-events`). `seq` is per store and strictly increasing. */
export const OrderEventMessage = z.object({
  ...StoreEventBase,
  type: z.enum(['order.placed', 'order.status_changed', 'order.urged', 'order.updated']),
  /**
   * The store wrote this event's history row itself, with this seq (the guest's own
   * placement): the consumer's upsert would change nothing, so it is left out.
   */
  historyWritten: z.literal(true).optional(),
  /**
   * The action behind this event leaves the order's figures as they were (a kitchen step:
   * `actionMovesFigures`): the consumer re-derives no business day for it.
   */
  figuresUnchanged: z.literal(true).optional(),
  order: z
    .object({
      id: z.string(),
      memberId: z.string().nullable().optional(),
      ticketNo: z.string(),
      mode: z.string(),
      status: z.string(),
      total: z.number().int(),
      createdAt: z.string(),
    })
    .passthrough(),
});
export type OrderEventMessage = z.infer<typeof OrderEventMessage>;

/** A table seating as the store closed it: the source of table turnover (`table_seatings`). */
export const SessionClosedMessage = z.object({
  ...StoreEventBase,
  type: z.literal('session.closed'),
  session: z.object({
    sessionId: z.string(),
    tableId: z.string(),
    openedAt: z.number().int(),
    closedAt: z.number().int(),
    /** Distinct guests who ordered at the table (0 for a table merged into another's bill). */
    diners: z.number().int().min(0),
  }),
});
export type SessionClosedMessage = z.infer<typeof SessionClosedMessage>;

/**
 * A dish's count fell to its low-stock level (once per crossing; a restock above the level
 * re-arms it): the store's managers are pushed, once per event id.
 */
export const StockLowMessage = z.object({
  ...StoreEventBase,
  type: z.literal('stock.low'),
  stock: z.object({
    itemId: z.string(),
    name: z.string(),
    remaining: z.number().int(),
    level: z.number().int(),
    businessDay: z.string(),
    /** The order whose placement crossed the level; null for a staff count change. */
    orderId: z.string().nullable(),
  }),
});
export type StockLowMessage = z.infer<typeof StockLowMessage>;

/**
 * A dish's count changed in a way a partner acts on (a supplier, a delivery platform): staff or
 * a partner set it, an order sold it out, or a cancelled order gave a sold-out dish back.
 * Not every unit sold: those are in the orders.
 */
export const StockChangedMessage = z.object({
  ...StoreEventBase,
  type: z.literal('stock.changed'),
  stock: z.object({
    itemId: z.string(),
    name: z.string(),
    /** Units left today; null for no limit. */
    remaining: z.number().int().nullable(),
    reason: z.enum(['set', 'sold_out', 'released']),
    businessDay: z.string(),
  }),
});
export type StockChangedMessage = z.infer<typeof StockChangedMessage>;

/**
 * What a delivery platform must be told (`channels.call` jobs): our staff or the store moved
 * a platform order (accept → confirm, reject → cancel, ready, a refund request approved or
 * refused), a dish's count changed (pushed to every bound platform), or an admin asked for
 * the menu to be pushed.
 */
export const ChannelSync = z.discriminatedUnion('op', [
  z.object({
    op: z.enum(['confirm', 'cancel', 'ready', 'refund_agree', 'refund_reject']),
    channel: z.enum(['meituan', 'eleme']),
    externalId: z.string(),
    orderId: z.string(),
    reason: z.string().optional(),
  }),
  z.object({ op: z.literal('stock'), itemId: z.string(), remaining: z.number().int().nullable() }),
  z.object({ op: z.literal('menu') }),
]);
export type ChannelSync = z.infer<typeof ChannelSync>;

/** A platform call the store's change asks for, from its outbox (see `ChannelSync`). */
export const ChannelSyncMessage = z.object({
  ...StoreEventBase,
  type: z.literal('channel.sync'),
  sync: ChannelSync,
});
export type ChannelSyncMessage = z.infer<typeof ChannelSyncMessage>;

/** An event from a store's outbox (`tiffin-events`): an order's change, a closed table seating, a dish's stock, a platform call. */
export const StoreEventMessage = z.discriminatedUnion('type', [
  OrderEventMessage,
  SessionClosedMessage,
  StockLowMessage,
  StockChangedMessage,
  ChannelSyncMessage,
]);
export type StoreEventMessage = z.infer<typeof StoreEventMessage>;

/** A slice of a campaign run's members (`tiffin-coupons`); the consumer issues their coupons. */
export const IssueMessage = z.object({
  runId: z.string(),
  campaignId: z.string(),
  brandId: z.string(),
  /** The rule's period: with the campaign and member it keys the issuance. */
  period: z.string(),
  /** The template this slice gets (a recall step or a weather kind may differ from the campaign's). */
  templateId: z.string(),
  memberIds: z.array(z.string()).max(500),
  holdout: z.array(z.string()).max(500),
});
export type IssueMessage = z.infer<typeof IssueMessage>;

/**
 * A push to deliver (`tiffin-notify`): the notification row holds the rest and its status.
 * A member's push is a `notifications` row; an id starting `snt_` is a staff member's
 * (`staff_notifications`, e.g. a store alert).
 */
export const NotifyMessage = z.object({ notificationId: z.string() });
export type NotifyMessage = z.infer<typeof NotifyMessage>;

/** The jobs a cron can start; `queues/jobs.consumer.ts` runs each. */
export const JOB_NAMES = [
  'payments.reconcile',
  'group-buys.settle',
  'campaigns.hourly',
  'loyalty.nightly',
  'segments.recompute',
  'profiles.recompute',
  'retention.prune',
  'orders.archive',
  'recommend.stats',
  'alerts.check',
  'analytics.hourly',
  'analytics.nightly',
  'analytics.rebuild',
  'analytics.paced',
  'invoices.submit',
  'invoices.poll',
  'webhooks.deliver',
  'webhooks.fan_out',
  'channels.call',
  'channels.poll',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Business days `from`…`to` (inclusive) to re-derive, for one store or all (`analytics.rebuild`). */
export const RebuildRange = z.object({
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  storeId: z.string().optional(),
  /** The brand whose stores (and brand days) are rebuilt. */
  brandId: z.string(),
});
export type RebuildRange = z.infer<typeof RebuildRange>;

/** A due job (`tiffin-jobs`), with the cron's scheduled time as the job's clock. */
export const JobMessage = z.object({
  job: z.enum(JOB_NAMES),
  at: z.number().int(),
  range: RebuildRange.optional(),
  /** `invoices.submit`: the invoice to hand to the invoicing platform. */
  invoiceId: z.string().optional(),
  /** `webhooks.deliver`: the delivery to attempt. */
  deliveryId: z.string().optional(),
  /** `webhooks.fan_out`: a brand event (a new member, a review) for the subscribed endpoints. */
  event: z
    .object({
      type: z.enum(['member.created', 'review.created']),
      brandId: z.string(),
      key: z.string(),
      occurredAt: z.number().int(),
      storeId: z.string().optional(),
      data: z.record(z.string(), z.unknown()),
    })
    .optional(),
  /** `channels.call`: the platform call to make for a store (through one binding, or the store's one for its channel). */
  channelCall: z.object({ storeId: z.string(), bindingId: z.string().optional(), sync: ChannelSync }).optional(),
  /** `channels.poll`: the platform binding to poll; without it, one poll per binding is queued. */
  pollBindingId: z.string().optional(),
});
export type JobMessage = z.infer<typeof JobMessage>;

/** Queues take at most 100 messages per sendBatch. */
const MAX_BATCH_MESSAGES = 100;
// And at most 256 KB per batch; keep clear of it with room for envelopes.
const MAX_BATCH_BYTES = 200_000;

/** Sends bodies in batches within the Queues limits (100 messages and 256 KB, or `perBatch`). */
async function sendAll<T>(queue: Queue<T>, bodies: T[], perBatch = MAX_BATCH_MESSAGES) {
  let batch: T[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length) await queue.sendBatch(batch.map((body) => ({ body, contentType: 'json' as const })));
    batch = [];
    bytes = 0;
  };
  for (const body of bodies) {
    const size = JSON.stringify(body).length;
    if (batch.length >= perBatch || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) await flush();
    batch.push(body);
    bytes += size;
  }
  await flush();
}

/** Sends store events to the events queue, in order. */
export function enqueueStoreEvents(queue: Queue<StoreEventMessage>, events: StoreEventMessage[]) {
  return sendAll(queue, events);
}

/** Sends a campaign run's slices to the coupons queue, 50 a send. */
export function enqueueIssueSlices(queue: Queue<IssueMessage>, slices: IssueMessage[]) {
  return sendAll(queue, slices, 50);
}

/** Queues notification rows for delivery: one `send` for one push, batches for more. */
export async function enqueuePushes(queue: Queue<NotifyMessage>, notificationIds: string[]) {
  if (notificationIds.length === 1) {
    await queue.send({ notificationId: notificationIds[0]! }, { contentType: 'json' });
    return;
  }
  await sendAll(
    queue,
    notificationIds.map((notificationId) => ({ notificationId })),
  );
}

/** Queues due jobs; they run in the order given when they arrive in one batch. */
export function enqueueJobs(queue: Queue<JobMessage>, jobs: JobMessage[]) {
  return sendAll(queue, jobs);
}
