import { z } from 'zod';

/** An event from a store's outbox. `seq` is per store and strictly increasing. */
export const StoreEventMessage = z.object({
  eventId: z.string(),
  storeId: z.string(),
  brandId: z.string(),
  seq: z.number().int().positive(),
  type: z.enum(['order.placed', 'order.status_changed', 'order.urged', 'order.updated']),
  occurredAt: z.number().int(),
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
export type StoreEventMessage = z.infer<typeof StoreEventMessage>;

const MAX_BATCH_MESSAGES = 100;
// Queues take at most 256 KB per batch; keep clear of it with room for envelopes.
const MAX_BATCH_BYTES = 200_000;

/** Sends store events in batches within the Queues limits (100 messages, 256 KB). */
export async function enqueueStoreEvents(queue: Queue, events: StoreEventMessage[]) {
  let batch: StoreEventMessage[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length) await queue.sendBatch(batch.map((body) => ({ body, contentType: 'json' as const })));
    batch = [];
    bytes = 0;
  };
  for (const e of events) {
    const size = JSON.stringify(e).length;
    if (batch.length >= MAX_BATCH_MESSAGES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) await flush();
    batch.push(e);
    bytes += size;
  }
  await flush();
}
