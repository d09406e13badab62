import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect, vi } from 'vitest';
import { HOURLY } from '../../queues/crons';
import worker from '../../worker/index';
import { runCron } from './crons';
import { call, tokenFor } from './http';

let counter = 0;

/**
 * Captures what the worker sends to a queue instead of letting the local queue deliver it
 * in the background, so a test hands the messages to the consumer itself, as often as it likes.
 */
export function captureQueue(queue: Queue) {
  const sent: unknown[] = [];
  vi.spyOn(queue, 'sendBatch').mockImplementation(async (messages) => {
    for (const m of messages) sent.push(m.body);
    return undefined as never;
  });
  vi.spyOn(queue, 'send').mockImplementation(async (body) => {
    sent.push(body);
    return undefined as never;
  });
  return sent;
}

/** Hands bodies to a queue's consumer, as Queues would; returns acks and retries. */
export async function deliverTo(queue: string, bodies: unknown[], attempts = 1, ids?: string[]) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: ids?.[i] ?? `m${counter++}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

/** Runs the hourly campaign cron at `at`. */
export async function runHourly(at = Date.now()) {
  await runCron(HOURLY, at);
}

export async function couponTemplate(admin: string, name = 'Hot drink ¥5 off', body: Record<string, unknown> = {}) {
  const res = await call('/v1/admin/coupon-templates', {
    method: 'POST',
    token: admin,
    body: { name, rule: { kind: 'amount', threshold: 0, amountOff: 500 }, validity: { days: 7 }, ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

export async function campaign(admin: string, body: Record<string, unknown>) {
  const res = await call('/v1/admin/campaigns', {
    method: 'POST',
    token: admin,
    body: { name: 'Test campaign', ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

/** Many members at once, straight into D1, with member tokens (for load-style tests). */
export async function bulkMembers(brandId: string, n: number) {
  const now = Date.now();
  const ids = Array.from({ length: n }, (_, i) => `mem_bulk_${now.toString(36)}_${counter++}_${i}`);
  for (let i = 0; i < ids.length; i += 100) {
    await env.DB.batch(
      ids
        .slice(i, i + 100)
        .map((id) =>
          env.DB.prepare(
            'INSERT INTO members (id, brand_id, openid, created_at, last_login_at) VALUES (?, ?, ?, ?, ?)',
          ).bind(id, brandId, `o_${id}`, now, now),
        ),
    );
  }
  const tokens = await Promise.all(ids.map((subject) => tokenFor('member', { subject, brandId })));
  return ids.map((id, i) => ({ memberId: id, token: tokens[i]! }));
}

/** A completed order in history, as the events consumer would have written it. */
export async function pastOrder(
  m: { memberId: string; brandId: string },
  storeId: string,
  at: number,
  total = 2000,
  id = `ord_past_${counter++}_${Date.now().toString(36)}`,
) {
  await env.DB.prepare(
    `INSERT INTO order_history (id, brand_id, store_id, member_id, ticket_no, mode, status, total, body, last_seq, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'A001', 'pickup', 'completed', ?, '{}', 1, ?, ?)`,
  )
    .bind(id, m.brandId, storeId, m.memberId, total, at, at)
    .run();
  return id;
}

export const couponsOf = async (memberId: string) =>
  (
    await env.DB.prepare(
      'SELECT id, template_id, source, issue_key FROM member_coupons WHERE member_id = ? ORDER BY issued_at, id',
    )
      .bind(memberId)
      .all<{ id: string; template_id: string; source: string; issue_key: string }>()
  ).results;

export async function grantMarketing(token: string) {
  const res = await call('/v1/members/me/consents/marketing_push', {
    method: 'PUT',
    token,
    body: { granted: true, text: '我同意接收优惠推送' },
  });
  expect(res.status, res.text).toBe(200);
}
