import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { StoreDO } from '../../durable-objects/store/store.do';
import worker from '../../worker/index';

/** A message as the events consumer gets it: the event, its payload under its kind's key. */
interface Delivered {
  id: string;
  timestamp: number;
  attempts: number;
  body: {
    // biome-ignore lint/suspicious/noExplicitAny: the payload's key and shape depend on the event's type
    [key: string]: any;
    eventId: string;
    storeId: string;
    brandId: string;
    seq: number;
    type: string;
    occurredAt: number;
    figuresUnchanged?: true;
  };
}

/** A store's outbox as the `events` queue would carry it. */
export async function outboxMessages(storeId: string) {
  const rows = await runInDurableObject(env.STORE.getByName(storeId), (_i: StoreDO, state) =>
    state.storage.sql
      .exec<{ seq: number; type: string; payload: string; created_at: number; figures_unchanged: number }>(
        'SELECT * FROM outbox ORDER BY seq',
      )
      .toArray(),
  );
  return rows.map(
    (e): Delivered => ({
      id: `m${e.seq}`,
      timestamp: Date.now(),
      attempts: 1,
      body: {
        eventId: `${storeId}:${e.seq}`,
        storeId,
        brandId: 'brd_demo',
        seq: e.seq,
        type: e.type,
        occurredAt: e.created_at,
        // A closed seating carries the session, a low dish its stock, a platform call its sync; every other event the order.
        [payloadKey(e.type)]: JSON.parse(e.payload),
        // As the outbox's flush marks a kitchen step's event.
        ...(e.figures_unchanged === 1 ? { figuresUnchanged: true as const } : {}),
      },
    }),
  );
}

const payloadKey = (type: string) =>
  type === 'session.closed'
    ? 'session'
    : type.startsWith('stock.')
      ? 'stock'
      : type === 'channel.sync'
        ? 'sync'
        : 'order';

/** Hands messages to the events consumer, as the queue would; returns acks and retries. */
export async function deliver(messages: Awaited<ReturnType<typeof outboxMessages>>) {
  const batch = createMessageBatch('tiffin-events', messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}
