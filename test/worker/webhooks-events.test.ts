import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobMessage } from '../../queues/messages';
import { roomInHour } from '../support/clock-windows';
import { newMember, openStore, potstickers, wechatMember } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { completedOrder, holdJobs, runJobs } from '../support/invoices';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { webhookReceiver } from '../support/webhook-receiver';

/*
 * Issue #19: the events that are not an order's status — a dish's stock, a new member, a
 * review — reach the partners subscribed to them, signed like the rest and each once.
 */

let admin: string;
let jobs: ReturnType<typeof holdJobs>;
let receiver: ReturnType<typeof webhookReceiver> | undefined;
let hookId: string | undefined;
beforeAll(async () => {
  admin = await tokenFor('admin');
});
beforeEach(() => {
  jobs = holdJobs();
});
afterEach(async () => {
  jobs.release();
  receiver?.stop();
  receiver = undefined;
  if (hookId) await call(`/v1/admin/webhooks/${hookId}`, { method: 'DELETE', token: admin });
  hookId = undefined;
});

async function subscribe(events: string[]) {
  const res = await call('/v1/admin/webhooks', {
    method: 'POST',
    token: admin,
    body: { url: 'https://partner.example.com/hooks', events },
  });
  expect(res.status, res.text).toBe(201);
  hookId = res.json.id;
  receiver = webhookReceiver([res.json.secret]);
}

/**
 * Runs queued jobs until none are left: brand fan-outs (each `fanOutReplays` times, as a
 * queue may redeliver) queue deliveries, deliveries queue nothing.
 */
async function drainJobs(fanOutReplays = 1) {
  for (let round = 0; round < 3; round++) {
    const due = jobs.take().filter((j: JobMessage) => j.job.startsWith('webhooks.'));
    if (due.length === 0) return;
    await runJobs(
      due.filter((j) => j.job === 'webhooks.fan_out'),
      fanOutReplays,
    );
    await runJobs(due.filter((j) => j.job === 'webhooks.deliver'));
  }
}

const received = (type: string) => [...receiver!.processed.values()].filter((r) => r.type === type);

describe('a supplier hears when a dish is counted, sells out, or comes back', () => {
  it('staff count 1 bowl, a guest takes it, the guest cancels: set, sold_out, released, in store order', async () => {
    // Stock counts are the business day's (it starts 04:00 in Shanghai): a turnover mid-test would restock.
    await roomInHour();
    await subscribe(['stock.changed']);
    const { storeId, staff } = await openStore();
    const set = await call(`/v1/stores/${storeId}/stock/itm_potstickers`, {
      method: 'PUT',
      token: staff,
      body: { count: 1 },
    });
    expect(set.status, set.text).toBe(200);
    const guest = await newMember();
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    expect(placed.status, placed.text).toBe(201);
    const cancelled = await call(`/v1/orders/${placed.json.id}/cancel`, { method: 'POST', token: guest.token });
    expect(cancelled.status, cancelled.text).toBe(200);

    const outbox = await outboxMessages(storeId);
    await deliver(outbox);
    await deliver(outbox);
    await drainJobs();

    const stock = received('stock.changed');
    expect(stock.map((r) => (r.body.data.stock as { reason: string }).reason)).toEqual(['set', 'sold_out', 'released']);
    expect(stock.map((r) => (r.body.data.stock as { remaining: number }).remaining)).toEqual([1, 0, 1]);
    expect(stock[1]!.body.data.stock).toMatchObject({ itemId: 'itm_potstickers', name: expect.any(String) });
    const seqs = stock.map((r) => r.storeSeq!);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(receiver!.attempts.length).toBe(receiver!.processed.size);
    expect(receiver!.refused()).toBe(0);
  });
});

describe('a CRM hears about new members and reviews', () => {
  it('a first sign-in is member.created once, without the guest’s personal data; signing in again sends nothing', async () => {
    await subscribe(['member.created']);
    const m = await wechatMember();
    await drainJobs(2); // the queue may deliver the fan-out twice
    const created = received('member.created');
    expect(created).toHaveLength(1);
    expect(created[0]!.body.data).toEqual({
      member: { id: m.memberId, createdAt: expect.stringMatching(/\+08:00$/), via: 'wechat' },
    });
    expect(created[0]!.storeSeq).toBeUndefined();
    expect(receiver!.attempts).toHaveLength(1);

    await wechatMember({ openid: m.openid, unionid: m.unionid });
    await drainJobs();
    expect(received('member.created')).toHaveLength(1);
  });

  it('a guest’s review of their order is review.created with its rating and store', async () => {
    await subscribe(['review.created']);
    const { storeId, staff } = await openStore();
    const guest = await wechatMember();
    const { orderId } = await completedOrder(storeId, staff, guest);
    await deliver(await outboxMessages(storeId)); // the order's history says it was completed
    jobs.take();
    const review = await call('/v1/members/me/reviews', {
      method: 'POST',
      token: guest.token,
      body: { orderId, rating: 2, text: '面有点凉' },
    });
    expect(review.status, review.text).toBe(201);
    await drainJobs();
    const [got, ...more] = received('review.created');
    expect(more).toEqual([]);
    expect(got!.body.data).toMatchObject({
      storeId,
      review: { id: review.json.id, orderId, memberId: guest.memberId, rating: 2, text: '面有点凉' },
    });
  });

  it('nobody subscribed: a new member queues a fan-out that delivers nothing', async () => {
    await wechatMember();
    const fanOuts = jobs.take().filter((j: JobMessage) => j.job === 'webhooks.fan_out');
    expect(fanOuts).toHaveLength(1);
    await runJobs(fanOuts);
    expect(jobs.take().filter((j: JobMessage) => j.job === 'webhooks.deliver')).toEqual([]);
  });
});
