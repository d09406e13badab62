import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect, vi } from 'vitest';
import type { StoreDO } from '../../durable-objects/store/store.do';
import type { JobMessage } from '../../queues/messages';
import { forgetElemeTokens } from '../../worker/channels/providers/eleme.client';
import { overridePlatformFetch } from '../../worker/channels/providers/platform';
import { call } from './http';
import { holdJobs, runJobs } from './invoices';
import { deliver, outboxMessages } from './outbox-delivery';

/*
 * Delivery platform stories: a store bound to a fake platform, pushes signed as the platform
 * signs them, and the platform calls the store's changes ask for carried the whole way:
 * outbox → events consumer → `channels.call` jobs → the fake platform.
 */

export async function bind(
  admin: string,
  body: {
    storeId: string;
    channel: 'meituan' | 'eleme';
    appId: string;
    secret: string;
    platformShopId: string;
    autoAccept?: boolean;
  },
) {
  const res = await call('/v1/admin/channel-bindings', { method: 'POST', token: admin, body });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; pushUrl: string };
}

/** The store's orders from platforms, as its staff list them. */
export async function channelOrders(storeId: string, staff: string) {
  const res = await call(`/v1/stores/${storeId}/orders`, { token: staff });
  expect(res.status, res.text).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
  return (res.json.items as any[]).filter((o) => o.channel);
}

export const kitchenTickets = (storeId: string, orderId: string) =>
  runInDurableObject(env.STORE.getByName(storeId), (_i: StoreDO, state) =>
    state.storage.sql.exec('SELECT station FROM kitchen_tickets WHERE order_id = ?', orderId).toArray(),
  );

/**
 * Routes every platform call to `fetch` (a fake platform) while the test runs; `release` restores.
 * The test carries the stores' events itself (`flush`): the queue takes what the stores' own
 * alarms send and delivers none of it, or its consumer would queue the same platform calls a
 * second time, a moment later, in the middle of a later step.
 */
export function platformCalls(fake: { fetch: (r: Request) => Promise<Response> }) {
  const jobs = holdJobs();
  const swallowed = [
    vi.spyOn(env.EVENTS_QUEUE, 'sendBatch').mockResolvedValue(undefined as never),
    vi.spyOn(env.EVENTS_QUEUE, 'send').mockResolvedValue(undefined as never),
  ];
  const sent = new Map<string, number>();
  overridePlatformFetch(fake.fetch);
  forgetElemeTokens();
  let last: JobMessage[] = [];
  return {
    jobs,
    /** The `channels.call` jobs the last flush ran (to run again, as the queue's retry would). */
    last: () => last,
    /** Carries the store's new outbox events to the platform; answers the jobs run. */
    async flush(storeId: string): Promise<JobMessage[]> {
      const all = await outboxMessages(storeId);
      const fresh = all.filter((m) => m.body.seq > (sent.get(storeId) ?? 0));
      if (fresh.length > 0) {
        sent.set(storeId, fresh.at(-1)!.body.seq);
        await deliver(fresh);
      }
      const calls = jobs.take().filter((j) => j.job === 'channels.call');
      last = calls;
      await runJobs(calls);
      return calls;
    },
    release() {
      for (const s of swallowed) s.mockRestore();
      jobs.release();
      overridePlatformFetch(undefined);
    },
  };
}
