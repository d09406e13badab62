import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { lotExpiresAt } from '../../domain/loyalty/points';
import type { LoyaltyRules } from '../../domain/loyalty/rules';
import { defaultLoyaltyRules } from '../../domain/loyalty/rules';
import { NIGHTLY } from '../../queues/crons';
import worker from '../../worker/index';
import { clearLoyaltyRulesCache } from '../../worker/loyalty/loyalty-rules.service';
import { creditPoints } from '../../worker/loyalty/points.service';
import { runCron } from './crons';
import { call } from './http';
import { deliver, outboxMessages } from './outbox-delivery';

const DAY = 86_400_000;

/** Places an order and pays it through the sandbox provider. */
export async function paidOrder(storeId: string, token: string, lines: unknown[], extra: Record<string, unknown> = {}) {
  const placed = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    body: { mode: 'pickup', lines, ...extra },
  });
  expect(placed.status, placed.text).toBe(201);
  const start = await call(`/v1/orders/${placed.json.id}/payments`, {
    method: 'POST',
    token,
    body: { method: 'sandbox' },
  });
  expect(start.status, start.text).toBe(201);
  for (const p of start.json.payments as { id: string; method: string }[]) {
    if (p.method === 'sandbox') await call(`/v1/payments/sandbox/${p.id}/complete`, { method: 'POST' });
  }
  return placed.json as { id: string; total: number; lines: { index: number; total: number; quantity: number }[] };
}

/** Staff take a paid pickup order through the kitchen to completed. */
export async function completeOrder(orderId: string, staff: string) {
  for (const action of ['accept', 'start', 'ready', 'pick-up', 'complete']) {
    const res = await call(`/v1/orders/${orderId}/${action}`, { method: 'POST', token: staff });
    expect(res.status, `${action}: ${res.text}`).toBe(200);
  }
}

/** Runs the store's outbox through the events consumer, as the queue would (`times` replays). */
export async function flushEvents(storeId: string, times = 1) {
  const messages = await outboxMessages(storeId);
  for (let i = 0; i < times; i++) await deliver(messages);
}

/** A paid, completed order whose events reached the consumer. */
export async function completedOrder(storeId: string, staff: string, token: string, lines: unknown[]) {
  const order = await paidOrder(storeId, token, lines);
  await completeOrder(order.id, staff);
  await flushEvents(storeId);
  return order;
}

/** Saves rules for a brand (use a test brand from `newBrand()`), clearing this isolate's cache. */
export async function useRules(brandId: string, patch: Partial<LoyaltyRules>) {
  const rules = { ...defaultLoyaltyRules, ...patch };
  await env.DB.prepare(
    `INSERT INTO loyalty_rules (brand_id, rules, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(brand_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at`,
  )
    .bind(brandId, JSON.stringify(rules), Date.now())
    .run();
  clearLoyaltyRulesCache();
  return rules;
}

/** Gives a member spendable points now (as a check-in would), expiring with the normal period. */
export async function givePoints(
  m: { memberId: string; brandId?: string },
  amount: number,
  opts: { expiresAt?: number; ref?: string } = {},
) {
  const now = Date.now();
  return creditPoints(
    env,
    { id: m.memberId, brandId: m.brandId ?? 'brd_demo' },
    {
      kind: 'adjust',
      ref: opts.ref ?? crypto.randomUUID(),
      amount,
      lot: { availableAt: now - 1, expiresAt: opts.expiresAt ?? lotExpiresAt(now, 'Asia/Shanghai', 12) },
    },
  );
}

/** Runs the nightly cron at `at`, as Cron Triggers would. */
export async function runNightly(at = Date.now()) {
  await runCron(NIGHTLY, at);
}

/** Delivers the queued pushes of these notification ids through the notify consumer. */
export async function deliverPushes(ids: string[]) {
  const batch = createMessageBatch(
    'tiffin-notify',
    ids.map((notificationId, i) => ({ id: `n${i}`, timestamp: new Date(), attempts: 1, body: { notificationId } })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

export const ledgerOf = async (memberId: string) =>
  (
    await env.DB.prepare(
      'SELECT kind, ref, amount, order_id, detail FROM points_ledger WHERE member_id = ? ORDER BY created_at, id',
    )
      .bind(memberId)
      .all<{ kind: string; ref: string; amount: number; order_id: string | null; detail: string }>()
  ).results;

export const pointsOf = async (token: string) => (await call('/v1/members/me/points', { token })).json.balance;

export { DAY };
