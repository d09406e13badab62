import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { orderDay } from '../../domain/analytics/days';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { dueJobs, FREQUENT } from '../../queues/crons';
import type { JobMessage } from '../../queues/messages';
import { rememberDerived } from '../../worker/analytics/rollup-pacing';
import { recomputeStoreDays } from '../../worker/analytics/rollups.service';
import worker from '../../worker/index';
import { roomInHour } from '../support/clock-windows';
import { newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { runJobs } from '../support/invoices';
import { paidOrder } from '../support/loyalty';
import { outboxMessages } from '../support/outbox-delivery';
import { referenceRollups, storedRollups } from '../support/rollups';

const SHANGHAI = { timeZone: 'Asia/Shanghai', dayStartsAt: '04:00' };
/** A lunch rush's worth of orders already in the day: 1,000 orders pace it 10 s. */
const BUSY = 1_000;

/**
 * A member's paid pickup at a store whose day already holds BUSY unpaid orders, once the store's
 * own outbox has gone out and the queue's consumer has had it (so nothing else touches the day).
 */
async function aPaidOrderOnABusyDay() {
  await roomInHour();
  const { storeId } = await openStore();
  const guest = await newMember();
  const order = await paidOrder(storeId, guest.token, [potstickers(2), teaEgg(1)]);
  const day = { brandId: 'brd_demo', storeId, day: orderDay(Date.now(), SHANGHAI).businessDay };
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${BUSY})
     INSERT INTO order_history (id, brand_id, store_id, member_id, ticket_no, mode, status, total, body, last_seq,
       created_at, updated_at, business_day, local_hour)
     SELECT h.id || '-' || n.i, h.brand_id, h.store_id, NULL, h.ticket_no, h.mode, 'pending_payment', h.total,
       json_remove(h.body, '$.paidAt'), 1, h.created_at, h.updated_at, h.business_day, h.local_hour
     FROM order_history AS h, n WHERE h.id = ?`,
  )
    .bind(order.id)
    .run();
  await sentAndConsumed(storeId);
  const paid = (await outboxMessages(storeId)).find(
    (m) => m.body.type === 'order.status_changed' && (m.body.order as { status: string }).status === 'paid',
  )!;
  return { storeId, order, day, paid };
}

/** The store's outbox sent, and the queue's batch timeout (1 s) past, so its consumer is done with it. */
async function sentAndConsumed(storeId: string) {
  for (let i = 0; i < 50; i++) {
    const unsent = await runInDurableObject(
      env.STORE.getByName(storeId),
      (_i: StoreDO, state) => state.storage.sql.exec('SELECT 1 FROM outbox WHERE sent_at IS NULL').toArray().length,
    );
    if (unsent === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1_500));
}

/** Hands messages to the events consumer with a jobs queue that records what it is sent. */
async function deliverRecordingJobs(messages: Awaited<ReturnType<typeof outboxMessages>>) {
  const jobs: { body: JobMessage; delaySeconds?: number }[] = [];
  const JOBS_QUEUE = {
    send: async (body: JobMessage, options?: { delaySeconds?: number }) => {
      jobs.push({ body, delaySeconds: options?.delaySeconds });
    },
    sendBatch: async (batch: Iterable<{ body: JobMessage; delaySeconds?: number }>) => {
      for (const m of batch) jobs.push(m);
    },
  };
  const batch = createMessageBatch('tiffin-events', messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, JOBS_QUEUE } as unknown as Env, ctx);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages).toEqual([]);
  return jobs.filter((j) => j.body.job === 'analytics.paced');
}

const dayRevenue = async (storeId: string, day: string) =>
  (await storedRollups(storeId, day)).find((r) => r.dim === 'day')?.revenue;

/** Sets the day's revenue to 0: only a re-derivation mends it. */
const tamper = (storeId: string) =>
  env.DB.prepare("UPDATE analytics_rollups SET revenue = 0 WHERE store_id = ? AND dim = 'day'").bind(storeId).run();

const pending = async (storeId: string) =>
  (await env.DB.prepare('SELECT day FROM analytics_pending_days WHERE store_id = ?').bind(storeId).all()).results;

describe("a busy day's figures are re-derived at a pace, not on every payment", () => {
  it('a payment inside the pace marks the day pending and queues one job for when the pace is out; the job counts it', async () => {
    const { storeId, order, day, paid } = await aPaidOrderOnABusyDay();
    rememberDerived([day], [BUSY + 1], Date.now());
    await tamper(storeId);

    const jobs = await deliverRecordingJobs([paid]);
    expect(await dayRevenue(storeId, day.day)).toBe(0);
    expect(await pending(storeId)).toEqual([{ day: day.day }]);
    expect(jobs).toHaveLength(1);
    // 1,001 orders at 10 ms each.
    expect(jobs[0]!.delaySeconds).toBeGreaterThanOrEqual(9);
    expect(jobs[0]!.delaySeconds).toBeLessThanOrEqual(11);

    // The same payment again (a replay), still inside the pace: the mark stands, no second job.
    expect(await deliverRecordingJobs([paid])).toHaveLength(0);
    expect(await pending(storeId)).toHaveLength(1);

    await runJobs([jobs[0]!.body]);
    expect(await dayRevenue(storeId, day.day)).toBe(order.total);
    expect(await pending(storeId)).toEqual([]);
    expect(await storedRollups(storeId, day.day)).toEqual(await referenceRollups(storeId, day.day));
  });

  it('once the pace is out, the next payment re-derives the day at once', async () => {
    const { storeId, order, day, paid } = await aPaidOrderOnABusyDay();
    rememberDerived([day], [BUSY + 1], Date.now() - 10_100);
    await tamper(storeId);
    expect(await deliverRecordingJobs([paid])).toHaveLength(0);
    expect(await dayRevenue(storeId, day.day)).toBe(order.total);
    expect(await pending(storeId)).toEqual([]);
  });

  it('a day of fewer than 200 orders is re-derived on every event, however recently it was', async () => {
    const { storeId, order, day, paid } = await aPaidOrderOnABusyDay();
    rememberDerived([day], [199], Date.now());
    await tamper(storeId);
    expect(await deliverRecordingJobs([paid])).toHaveLength(0);
    expect(await dayRevenue(storeId, day.day)).toBe(order.total);
  });

  it("any re-derivation of a pending day (the nightly one, say) takes its mark with it, and the day's job then finds nothing", async () => {
    const { storeId, order, day, paid } = await aPaidOrderOnABusyDay();
    rememberDerived([day], [BUSY + 1], Date.now());
    await tamper(storeId);
    const [job] = await deliverRecordingJobs([paid]);
    expect(await pending(storeId)).toHaveLength(1);
    await recomputeStoreDays(env, [day]);
    expect(await pending(storeId)).toEqual([]);
    expect(await dayRevenue(storeId, day.day)).toBe(order.total);
    await runJobs([job!.body]);
    expect(await dayRevenue(storeId, day.day)).toBe(order.total);
  });

  it('the five-minute cron runs the job too, for a mark whose own job was lost', async () => {
    expect(dueJobs(FREQUENT, 1).map((j) => j.job)).toContain('analytics.paced');
    const { storeId, order, day, paid } = await aPaidOrderOnABusyDay();
    rememberDerived([day], [BUSY + 1], Date.now());
    await tamper(storeId);
    await deliverRecordingJobs([paid]);
    await runJobs(dueJobs(FREQUENT, Date.now()).filter((j) => j.job === 'analytics.paced'));
    expect(await dayRevenue(storeId, day.day)).toBe(order.total);
    expect(await pending(storeId)).toEqual([]);
  });
});
