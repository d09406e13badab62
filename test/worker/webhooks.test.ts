import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobMessage } from '../../queues/messages';
import { deliverWebhook } from '../../worker/webhooks/deliveries.service';
import { openStore } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { completedOrder, holdJobs, runJobs } from '../support/invoices';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { webhookReceiver } from '../support/webhook-receiver';

/*
 * Issue #19: a partner subscribes an endpoint to a brand's events and receives each one,
 * signed as Standard Webhooks 1.0, verified by the reference library, retried on failure
 * with the same webhook-id, ordered per store by data.storeSeq.
 */

let admin: string;
let jobs: ReturnType<typeof holdJobs>;
let receiver: ReturnType<typeof webhookReceiver> | undefined;
beforeAll(async () => {
  admin = await tokenFor('admin');
});
beforeEach(() => {
  jobs = holdJobs();
});
afterEach(() => {
  jobs.release();
  receiver?.stop();
  receiver = undefined;
});

const subscribe = async (events: string[], url = 'https://partner.example.com/hooks') => {
  const res = await call('/v1/admin/webhooks', { method: 'POST', token: admin, body: { url, events } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; secret: string };
};
const deliveryJobs = () => jobs.take().filter((j: JobMessage) => j.job === 'webhooks.deliver');
const remove = (id: string) => call(`/v1/admin/webhooks/${id}`, { method: 'DELETE', token: admin });

describe('an admin subscribes an endpoint', () => {
  it('sees the whsec_ secret once; the list and the endpoint never show it again', async () => {
    const made = await subscribe(['order.created']);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const list = await call('/v1/admin/webhooks', { token: admin });
    const listed = list.json.items.find((e: { id: string }) => e.id === made.id);
    expect(listed).toMatchObject({ status: 'active', events: ['order.created'], disabledReason: null });
    expect(JSON.stringify(list.json)).not.toContain('whsec_');
    expect(JSON.stringify((await call(`/v1/admin/webhooks/${made.id}`, { token: admin })).json)).not.toContain(
      'whsec_',
    );
    await remove(made.id);
  });

  it('a URL that is not public https, an unknown event or a stray field is a 422 naming it, and nothing is stored', async () => {
    const before = (await call('/v1/admin/webhooks', { token: admin })).json.items.length;
    for (const [body, path] of [
      [{ url: 'http://partner.example.com/hooks', events: ['order.paid'] }, 'url'],
      [{ url: 'https://10.1.2.3/hooks', events: ['order.paid'] }, 'url'],
      [{ url: 'https://169.254.169.254/latest', events: ['order.paid'] }, 'url'],
      [{ url: 'https://partner.example.com/hooks', events: ['order.eaten'] }, 'events.0'],
      [{ url: 'https://partner.example.com/hooks', events: [] }, 'events'],
      [{ url: 'https://partner.example.com/hooks', events: ['order.paid'], secret: 'mine' }, 'secret'],
    ] as const) {
      const res = await call('/v1/admin/webhooks', { method: 'POST', token: admin, body });
      expect(res.status, res.text).toBe(422);
      // An unknown property is named in its error's message, at the body's root.
      expect(JSON.stringify(res.json.errors)).toContain(path);
    }
    expect((await call('/v1/admin/webhooks', { token: admin })).json.items).toHaveLength(before);
  });

  it('plain http to this machine is allowed for a local receiver (DEV_AUTH=1 here)', async () => {
    const made = await subscribe(['order.paid'], 'http://127.0.0.1:9911/hooks');
    await remove(made.id);
  });

  it('a clerk cannot see or make webhooks', async () => {
    const clerk = await tokenFor('staff', { subject: 'stf_hooks', storeId: 'sto_demo_peoplesq', staffRole: 'clerk' });
    expect((await call('/v1/admin/webhooks', { token: clerk })).status).toBe(403);
  });
});

describe("a partner's endpoint receives the brand's order events", () => {
  it('an order placed, paid and completed arrives as signed events, in store order, each once however often the outbox is replayed', async () => {
    const hook = await subscribe(['order.created', 'order.paid', 'order.status_changed']);
    receiver = webhookReceiver([hook.secret]);
    const { storeId, staff } = await openStore();
    const { orderId } = await completedOrder(storeId, staff);
    const outbox = await outboxMessages(storeId);
    await deliver(outbox);
    await deliver(outbox); // the queue may deliver a message twice
    await runJobs(deliveryJobs());

    const ours = [...receiver.processed.values()].filter(
      (r) => (r.body.data.order as { id: string } | undefined)?.id === orderId,
    );
    const types = ours.map((r) => r.type);
    expect(types[0]).toBe('order.created');
    expect(types).toContain('order.paid');
    expect(types.filter((t) => t === 'order.status_changed').length).toBeGreaterThanOrEqual(5);
    // Every attempt verified, none twice, storeSeq never going back within the store.
    expect(receiver.refused()).toBe(0);
    expect(receiver.attempts.length).toBe(receiver.processed.size);
    const seqs = ours.map((r) => r.storeSeq!);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(ours.every((r) => r.body.data.storeId === storeId)).toBe(true);
    expect(ours[0]!.body.timestamp).toMatch(/\+08:00$/);

    const log = await call(`/v1/admin/webhooks/${hook.id}/deliveries`, { token: admin });
    expect(log.json.items.length).toBe(ours.length);
    expect(
      log.json.items.every((d: { status: string; attempts: number }) => d.status === 'delivered' && d.attempts === 1),
    ).toBe(true);
    await remove(hook.id);
  });

  it('a receiver that fails twice then succeeds gets the event once, with the same webhook-id on all three attempts', async () => {
    const hook = await subscribe(['order.created']);
    receiver = webhookReceiver([hook.secret], { failFirst: 2 });
    const { storeId, staff } = await openStore();
    await completedOrder(storeId, staff);
    await deliver(await outboxMessages(storeId));
    const [first] = deliveryJobs();
    expect(first).toBeDefined();
    const t0 = Date.now();
    await runJobs([first!]);
    // The retry waits 5 s, then 5 min: run each when it is due (the receiver's clock moves too).
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(t0 + 6_000);
      await deliverWebhook(env, first!.deliveryId!);
      vi.setSystemTime(t0 + 6_000 + 5 * 60_000 + 1_000);
      const done = await deliverWebhook(env, first!.deliveryId!);
      expect(done?.status).toBe('delivered');
    } finally {
      vi.useRealTimers();
    }
    expect(receiver.attempts.map((a) => a.id)).toEqual(Array(3).fill(receiver.attempts[0]!.id));
    expect(new Set(receiver.attempts.map((a) => a.timestamp)).size).toBeGreaterThan(1);
    expect(receiver.processed.size).toBe(1);
    const [row] = (await call(`/v1/admin/webhooks/${hook.id}/deliveries`, { token: admin })).json.items;
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 204, nextAttemptAt: null });
    // Its endpoint is healthy again.
    expect((await call(`/v1/admin/webhooks/${hook.id}`, { token: admin })).json.failingSince).toBeNull();
    await remove(hook.id);
  });

  it('a receiver that answers 410 Gone has its endpoint disabled, until the admin enables it again', async () => {
    const hook = await subscribe(['order.created']);
    receiver = webhookReceiver([hook.secret], { status: 410 });
    const { storeId, staff } = await openStore();
    await completedOrder(storeId, staff);
    await deliver(await outboxMessages(storeId));
    await runJobs(deliveryJobs());
    const gone = (await call(`/v1/admin/webhooks/${hook.id}`, { token: admin })).json;
    expect(gone).toMatchObject({ status: 'disabled', disabledReason: 'gone' });
    const back = await call(`/v1/admin/webhooks/${hook.id}`, {
      method: 'PATCH',
      token: admin,
      body: { enabled: true },
    });
    expect(back.json).toMatchObject({ status: 'active', disabledReason: null });
    await remove(hook.id);
  });
});

describe('the admin tests, replays and rotates', () => {
  it('a test event is signed and answered at once; a replay sends the same event id again', async () => {
    const hook = await subscribe(['order.created']);
    receiver = webhookReceiver([hook.secret]);
    const test = await call(`/v1/admin/webhooks/${hook.id}/test`, { method: 'POST', token: admin });
    expect(test.status, test.text).toBe(200);
    expect(test.json).toMatchObject({ eventType: 'webhook.test', status: 'delivered', lastStatus: 204, attempts: 1 });
    const replay = await call(`/v1/admin/webhooks/${hook.id}/deliveries/${test.json.id}/replay`, {
      method: 'POST',
      token: admin,
    });
    expect(replay.status, replay.text).toBe(202);
    await runJobs(deliveryJobs());
    expect(receiver.attempts.map((a) => a.id)).toEqual([test.json.eventId, test.json.eventId]);
    const missing = await call(`/v1/admin/webhooks/${hook.id}/deliveries/whd_nope/replay`, {
      method: 'POST',
      token: admin,
    });
    expect(missing.status).toBe(404);
    await remove(hook.id);
  });

  it('during a rotation both secrets sign, so a receiver still on the old one keeps verifying', async () => {
    const hook = await subscribe(['order.created']);
    const rotated = await call(`/v1/admin/webhooks/${hook.id}/rotate-secret`, {
      method: 'POST',
      token: admin,
      body: { overlapHours: 24 },
    });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.secret).not.toBe(hook.secret);
    expect(rotated.json.previousValidUntil).toMatch(/\+08:00$/);
    for (const secret of [hook.secret, rotated.json.secret]) {
      receiver?.stop();
      receiver = webhookReceiver([secret]);
      const test = await call(`/v1/admin/webhooks/${hook.id}/test`, { method: 'POST', token: admin });
      expect(test.json.lastStatus).toBe(204);
    }
    // With no overlap the old secret stops at once.
    const again = await call(`/v1/admin/webhooks/${hook.id}/rotate-secret`, {
      method: 'POST',
      token: admin,
      body: { overlapHours: 0 },
    });
    receiver?.stop();
    receiver = webhookReceiver([rotated.json.secret]);
    const stale = await call(`/v1/admin/webhooks/${hook.id}/test`, { method: 'POST', token: admin });
    expect(stale.json).toMatchObject({ status: 'failed', lastStatus: 401 });
    expect(again.json.previousValidUntil).toBeNull();
    await remove(hook.id);
  });
});
