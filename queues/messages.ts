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

/** Sends store events in batches of at most 100 (the Queues limit). */
export async function enqueueStoreEvents(queue: Queue, events: StoreEventMessage[]) {
  for (let i = 0; i < events.length; i += 100) {
    await queue.sendBatch(events.slice(i, i + 100).map((body) => ({ body, contentType: 'json' as const })));
  }
}
