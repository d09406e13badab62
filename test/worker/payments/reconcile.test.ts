/*
 * The reconciliation job finishes what dying requests and lost callbacks left behind, and
 * a provider outage costs it one short run, not the expiry of stale payments.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { storeOfOrder } from '../../../domain/orders/order-ids';
import { balanceFaults } from '../../../worker/payments/payments.service';
import { overrideProvider } from '../../../worker/payments/providers/registry';
import { sandboxProvider } from '../../../worker/payments/providers/sandbox.provider';
import { reconcilePayments } from '../../../worker/payments/reconcile.service';
import { postWallet, walletBalance } from '../../../worker/payments/wallet.service';
import { newMember, openStore, potstickers, unique } from '../../support/factories';
import { call } from '../../support/http';

afterEach(() => {
  balanceFaults.afterDebit = undefined;
  overrideProvider('alipay', undefined);
});

const MINUTE = 60_000;

async function memberOrder() {
  const { storeId } = await openStore();
  const guest = await newMember();
  await postWallet(env, { memberId: guest.memberId, brandId: 'brd_demo' }, 'topup', unique('top'), 10_000);
  const placed = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: guest.token,
    body: { mode: 'pickup', lines: [potstickers(2)] },
  });
  expect(placed.status, placed.text).toBe(201);
  return { guest, order: placed.json as { id: string; total: number } };
}

const orderOf = async (orderId: string, token: string) => (await call(`/v1/orders/${orderId}`, { token })).json;
const paymentRow = (id: string) =>
  env.DB.prepare('SELECT status, settled_at FROM payments WHERE id = ?')
    .bind(id)
    .first<{ status: string; settled_at: number | null }>();

/** A payment row as a request would have written it, `ageMs` ago. */
async function insertPayment(p: {
  id?: string;
  method: string;
  orderId?: string;
  memberId?: string;
  amount: number;
  ageMs: number;
  expiresInMs: number;
}) {
  const id = p.id ?? `pay_${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const at = Date.now() - p.ageMs;
  await env.DB.prepare(
    `INSERT INTO payments (id, brand_id, store_id, order_id, member_id, purpose, method, amount, currency, status,
       refunded, client_params, expires_at, created_at) VALUES (?, 'brd_demo', ?, ?, ?, 'order', ?, ?, 'CNY', 'pending', 0, '{}', ?, ?)`,
  )
    .bind(
      id,
      p.orderId ? storeOfOrder(p.orderId) : null,
      p.orderId ?? null,
      p.memberId ?? null,
      p.method,
      p.amount,
      Date.now() + p.expiresInMs,
      at,
    )
    .run();
  return id;
}

describe('a balance payment whose request dies half way', () => {
  it('dies right after the debit: the money is not lost, and reconciliation pays the order with it', async () => {
    const { guest, order } = await memberOrder();
    balanceFaults.afterDebit = () => {
      throw new Error('the isolate died here');
    };
    const res = await call(`/v1/orders/${order.id}/payments`, {
      method: 'POST',
      token: guest.token,
      body: { method: 'balance' },
    });
    expect(res.status).toBe(500);
    balanceFaults.afterDebit = undefined;
    expect(await walletBalance(env, guest.memberId)).toBe(10_000 - order.total);
    const { id } = (await env.DB.prepare("SELECT id FROM payments WHERE order_id = ? AND method = 'balance'")
      .bind(order.id)
      .first<{ id: string }>())!;
    // The debit and the payment moved together; only the store has not heard yet.
    expect(await paymentRow(id)).toMatchObject({ status: 'succeeded', settled_at: null });
    expect((await orderOf(order.id, guest.token)).status).toBe('pending_payment');

    await reconcilePayments(env, Date.now() + 2 * MINUTE);
    expect(await orderOf(order.id, guest.token)).toMatchObject({ status: 'paid', paid: order.total });
    expect((await paymentRow(id))!.settled_at).not.toBeNull();
    expect(await walletBalance(env, guest.memberId)).toBe(10_000 - order.total);
  });

  it('left pending after its debit (as the two-step code could): completed; left pending without one: failed', async () => {
    const { guest, order } = await memberOrder();
    const debited = await insertPayment({
      method: 'balance',
      orderId: order.id,
      memberId: guest.memberId,
      amount: order.total,
      ageMs: 2 * MINUTE,
      expiresInMs: 10 * MINUTE,
    });
    await postWallet(env, { memberId: guest.memberId, brandId: 'brd_demo' }, 'payment', debited, -order.total);
    const never = await insertPayment({
      method: 'balance',
      orderId: order.id,
      memberId: guest.memberId,
      amount: 100,
      ageMs: 2 * MINUTE,
      expiresInMs: 10 * MINUTE,
    });

    await reconcilePayments(env);
    expect(await paymentRow(debited)).toMatchObject({ status: 'succeeded' });
    expect(await paymentRow(never)).toMatchObject({ status: 'failed' });
    expect(await orderOf(order.id, guest.token)).toMatchObject({ status: 'paid', paid: order.total });
    expect(await walletBalance(env, guest.memberId)).toBe(10_000 - order.total);
  });
});

describe('reconciliation during a provider outage', () => {
  async function outage(query: () => Promise<never>) {
    const waiting = await Promise.all(
      Array.from({ length: 20 }, () =>
        insertPayment({ method: 'alipay', amount: 100, ageMs: 3 * MINUTE, expiresInMs: 10 * MINUTE }),
      ),
    );
    const stale = await Promise.all(
      Array.from({ length: 3 }, () =>
        insertPayment({ method: 'alipay', amount: 100, ageMs: 40 * MINUTE, expiresInMs: -20 * MINUTE }),
      ),
    );
    let queries = 0;
    overrideProvider('alipay', {
      ...sandboxProvider('k', 'http://x'),
      query: () => {
        queries++;
        return query();
      },
    });
    return { waiting, stale, queries: () => queries };
  }

  it('queries that hang: a few time out, the breaker skips the rest, and stale payments still expire', async () => {
    const { waiting, stale, queries } = await outage(() => new Promise<never>(() => {}));
    const result = await reconcilePayments(env, Date.now(), { sleep: async () => {}, concurrency: 4, breakerAfter: 3 });
    expect(queries()).toBeLessThanOrEqual(4 + 2);
    expect(result.unavailable).toEqual(['alipay']);
    expect(result.deferred).toBeGreaterThan(10);
    for (const id of stale) expect(await paymentRow(id)).toMatchObject({ status: 'expired' });
    for (const id of waiting) expect(await paymentRow(id)).toMatchObject({ status: 'pending' });
    const run = await env.DB.prepare('SELECT result FROM reconciliation_runs ORDER BY finished_at DESC LIMIT 1').first<{
      result: string;
    }>();
    expect(JSON.parse(run!.result)).toMatchObject({ expired: result.expired, unavailable: ['alipay'] });
  });

  it('a slow provider: the run stops at its time budget and still expires stale payments', async () => {
    let clock = 0;
    const { stale, queries } = await outage(async () => {
      clock += 10_000;
      return { status: 'pending' } as never;
    });
    const result = await reconcilePayments(env, Date.now(), {
      clock: () => clock,
      budgetMs: 25_000,
      sleep: () => new Promise(() => {}),
    });
    expect(queries()).toBeLessThan(20);
    expect(result.deferred).toBeGreaterThan(0);
    for (const id of stale) expect(await paymentRow(id)).toMatchObject({ status: 'expired' });
  });
});
