import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreDO } from '../../../durable-objects/store/store.do';
import { overrideProvider } from '../../../worker/payments/providers/registry';
import { sandboxCallback, sandboxProvider } from '../../../worker/payments/providers/sandbox.provider';
import { postWallet } from '../../../worker/payments/wallet.service';
import { runCron } from '../../support/crons';
import { newMember, openStore, potstickers, teaEgg } from '../../support/factories';
import { call } from '../../support/http';
import { deliver, outboxMessages } from '../../support/outbox-delivery';

const SANDBOX_KEY = 'sandbox-test-key';

async function placeOrder(storeId: string, token: string, lines = [potstickers(1)]) {
  const res = await call(`/v1/stores/${storeId}/orders`, { method: 'POST', token, body: { mode: 'pickup', lines } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; total: number };
}

const pay = (orderId: string, token: string, body: Record<string, unknown>) =>
  call(`/v1/orders/${orderId}/payments`, { method: 'POST', token, body });

async function notify(notice: Parameters<typeof sandboxCallback>[1], key = SANDBOX_KEY) {
  const cb = await sandboxCallback(key, notice);
  return call('/v1/payments/sandbox/notify', {
    method: 'POST',
    raw: cb.body,
    contentType: 'application/json',
    headers: Object.fromEntries(cb.headers),
  });
}

const orderOf = (orderId: string, token: string) => call(`/v1/orders/${orderId}`, { token });

async function fund(memberId: string, amount: number) {
  await postWallet(
    env,
    { memberId, brandId: 'brd_demo' },
    'topup',
    `seed_${memberId}_${amount}_${Math.random()}`,
    amount,
  );
}

async function ledgerSum(memberId: string) {
  const r = await env.DB.prepare('SELECT coalesce(sum(amount), 0) AS s FROM wallet_ledger WHERE member_id = ?')
    .bind(memberId)
    .first<{ s: number }>();
  return r!.s;
}

/** Delivers a store's outbox to the events consumer, as the queue would. */
const deliverOutbox = async (storeId: string) => deliver(await outboxMessages(storeId));

async function expireNow(storeId: string, orderId: string) {
  const stub = env.STORE.getByName(storeId);
  await runInDurableObject(stub, (_i: StoreDO, state) => {
    state.storage.sql.exec('UPDATE orders SET expires_at = 1 WHERE id = ?', orderId);
    state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'sweep'");
  });
  await runDurableObjectAlarm(stub);
}

afterEach(() => overrideProvider('sandbox', undefined));

describe('paying with the sandbox provider, end to end', () => {
  it('a guest pays, the signed callback arrives, and the order is paid', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const order = await placeOrder(storeId, guest.token);
    const started = await pay(order.id, guest.token, { method: 'sandbox' });
    expect(started.status, started.text).toBe(201);
    expect(started.json.payments).toHaveLength(1);
    const payment = started.json.payments[0];
    expect(payment).toMatchObject({ method: 'sandbox', amount: order.total, status: 'pending' });
    expect(payment.clientParams.completeUrl).toContain(`/v1/payments/sandbox/${payment.id}/complete`);

    const done = await call(`/v1/payments/sandbox/${payment.id}/complete`, { method: 'POST' });
    expect(done.json.outcome).toBe('paid');
    const after = await orderOf(order.id, guest.token);
    expect(after.json).toMatchObject({ status: 'paid', paid: order.total });
  });

  it('a replayed callback changes nothing, and a paid order takes no second payment', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const order = await placeOrder(storeId, guest.token);
    const payment = (await pay(order.id, guest.token, { method: 'sandbox' })).json.payments[0];
    const notice = {
      kind: 'payment' as const,
      outTradeNo: payment.id,
      amount: order.total,
      status: 'success' as const,
      eventId: 'e1',
    };
    const results = await Promise.all([notify(notice), notify(notice), notify(notice)]);
    expect(results.every((r) => r.status === 204)).toBe(true);
    const after = await orderOf(order.id, guest.token);
    expect(after.json).toMatchObject({ status: 'paid', paid: order.total });
    const again = await pay(order.id, guest.token, { method: 'sandbox' });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('payment.not_payable');
  });

  it('a callback with the wrong amount is refused, kept for review, and never marks the order paid', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const order = await placeOrder(storeId, guest.token);
    const payment = (await pay(order.id, guest.token, { method: 'sandbox' })).json.payments[0];
    const res = await notify({ kind: 'payment', outTradeNo: payment.id, amount: 1, status: 'success', eventId: 'e2' });
    expect(res.status).toBe(400);
    const row = await env.DB.prepare('SELECT status FROM payments WHERE id = ?').bind(payment.id).first();
    expect(row).toMatchObject({ status: 'review' });
    const ev = await env.DB.prepare("SELECT kind FROM payment_events WHERE payment_id = ? AND kind = 'amount_mismatch'")
      .bind(payment.id)
      .first();
    expect(ev).toBeTruthy();
    expect((await orderOf(order.id, guest.token)).json.status).toBe('pending_payment');
  });

  it('a forged callback is refused and recorded', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const order = await placeOrder(storeId, guest.token);
    const payment = (await pay(order.id, guest.token, { method: 'sandbox' })).json.payments[0];
    const res = await notify(
      { kind: 'payment', outTradeNo: payment.id, amount: order.total, status: 'success', eventId: 'e3' },
      'wrong-key',
    );
    expect(res.status).toBe(400);
    expect((await orderOf(order.id, guest.token)).json.status).toBe('pending_payment');
  });
});

describe('stored value', () => {
  it('50 orders pay from a balance that covers 10: exactly 10 succeed and the balance never goes negative', async () => {
    const { storeId } = await openStore({ maxOrdersPerMinute: 1000, maxUnpaidOrdersPerGuest: 50 });
    const guest = await newMember();
    const orders = [];
    for (let i = 0; i < 50; i++) orders.push(await placeOrder(storeId, guest.token, [teaEgg(1)]));
    const price = orders[0]!.total;
    await fund(guest.memberId, price * 10);
    const results = await Promise.all(orders.map((o) => pay(o.id, guest.token, { method: 'balance' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(40);
    expect(refused.every((r) => r.json.code === 'wallet.insufficient')).toBe(true);
    const wallet = await call('/v1/members/me/wallet', { token: guest.token });
    expect(wallet.json.balance).toBe(0);
    expect(await ledgerSum(guest.memberId)).toBe(0);
  });

  it('a top-up of ¥200 through the sandbox credits ¥220 with the bonus, once', async () => {
    const guest = await newMember();
    const top = await call('/v1/members/me/wallet/topups', {
      method: 'POST',
      token: guest.token,
      body: { amount: 20_000, method: 'sandbox' },
    });
    expect(top.status, top.text).toBe(201);
    expect(top.json.bonus).toBe(2_000);
    await call(`/v1/payments/sandbox/${top.json.id}/complete`, { method: 'POST' });
    await call(`/v1/payments/sandbox/${top.json.id}/complete`, { method: 'POST' });
    const wallet = await call('/v1/members/me/wallet', { token: guest.token });
    expect(wallet.json.balance).toBe(22_000);
    expect(wallet.json.entries.map((e: { kind: string }) => e.kind).sort()).toEqual(['bonus', 'topup']);
  });

  it('part balance, part sandbox: when the external part expires, the balance comes back', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    await fund(guest.memberId, 500);
    const order = await placeOrder(storeId, guest.token);
    const started = await pay(order.id, guest.token, { method: 'sandbox', balance: 500 });
    expect(started.status, started.text).toBe(201);
    expect(started.json).toMatchObject({ paid: 500, due: order.total - 500 });
    expect((await call('/v1/members/me/wallet', { token: guest.token })).json.balance).toBe(0);

    await expireNow(storeId, order.id);
    expect((await orderOf(order.id, guest.token)).json.status).toBe('cancelled');
    await deliverOutbox(storeId);
    expect((await call('/v1/members/me/wallet', { token: guest.token })).json.balance).toBe(500);
    expect(await ledgerSum(guest.memberId)).toBe(500);
    // Delivering the same events again returns nothing twice.
    await deliverOutbox(storeId);
    expect((await call('/v1/members/me/wallet', { token: guest.token })).json.balance).toBe(500);
  });

  it('money that arrives after the order expired is refunded automatically and recorded', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const order = await placeOrder(storeId, guest.token);
    const payment = (await pay(order.id, guest.token, { method: 'sandbox' })).json.payments[0];
    await expireNow(storeId, order.id);
    const late = await call(`/v1/payments/sandbox/${payment.id}/complete`, { method: 'POST' });
    expect(late.status).toBe(200);
    const refunds = await env.DB.prepare('SELECT amount, status FROM refunds WHERE payment_id = ?')
      .bind(payment.id)
      .all();
    expect(refunds.results).toEqual([{ amount: order.total, status: 'succeeded' }]);
    const ev = await env.DB.prepare(
      "SELECT 1 FROM payment_events WHERE payment_id = ? AND kind = 'late_payment_refunded'",
    )
      .bind(payment.id)
      .first();
    expect(ev).toBeTruthy();
  });
});

describe('refunds', () => {
  it('a manager refunds one line exactly, and concurrent refunds never exceed what was paid', async () => {
    const { storeId, admin } = await openStore();
    const guest = await newMember();
    const order = await placeOrder(storeId, guest.token, [potstickers(1), teaEgg(3)]);
    const payment = (await pay(order.id, guest.token, { method: 'sandbox' })).json.payments[0];
    await call(`/v1/payments/sandbox/${payment.id}/complete`, { method: 'POST' });
    const one = await call(`/v1/orders/${order.id}/refunds`, {
      method: 'POST',
      token: admin,
      body: { lines: [{ index: 1, quantity: 1 }], reason: 'egg was cold' },
    });
    expect(one.status, one.text).toBe(201);
    expect(one.json.amount).toBe(300);
    const many = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(`/v1/orders/${order.id}/refunds`, { method: 'POST', token: admin, body: { reason: 'closing early' } }),
      ),
    );
    const refunded = await env.DB.prepare(
      "SELECT coalesce(sum(amount), 0) AS s FROM refunds WHERE order_id = ? AND status != 'failed'",
    )
      .bind(order.id)
      .first<{ s: number }>();
    expect(refunded!.s).toBe(order.total);
    expect(many.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    const row = await env.DB.prepare('SELECT refunded, amount FROM payments WHERE id = ?').bind(payment.id).first();
    expect(row).toMatchObject({ refunded: order.total, amount: order.total });
  });

  it('a clerk may not refund; the line must exist', async () => {
    const { storeId, admin, staff } = await openStore();
    const clerk = await (await import('../../support/http')).tokenFor('staff', {
      storeId,
      staffRole: 'clerk',
    } as never);
    const guest = await newMember();
    const order = await placeOrder(storeId, guest.token);
    const payment = (await pay(order.id, guest.token, { method: 'sandbox' })).json.payments[0];
    await call(`/v1/payments/sandbox/${payment.id}/complete`, { method: 'POST' });
    expect(
      (await call(`/v1/orders/${order.id}/refunds`, { method: 'POST', token: clerk, body: { reason: 'x' } })).status,
    ).toBe(403);
    const bad = await call(`/v1/orders/${order.id}/refunds`, {
      method: 'POST',
      token: admin,
      body: { lines: [{ index: 9 }], reason: 'x' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe('lines.0.index');
    void staff;
  });
});

describe('reconciliation', () => {
  it('a payment whose callback was lost is settled by the cron job, and the run is stored', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const order = await placeOrder(storeId, guest.token);
    const payment = (await pay(order.id, guest.token, { method: 'sandbox' })).json.payments[0];
    await env.DB.prepare('UPDATE payments SET created_at = created_at - 120000 WHERE id = ?').bind(payment.id).run();
    const base = sandboxProvider(SANDBOX_KEY, 'http://x');
    overrideProvider('sandbox', {
      ...base,
      query: async (id) =>
        id === payment.id
          ? { status: 'success', providerTxnId: 'sbx_lost', amount: order.total, currency: 'CNY' }
          : { status: 'pending' },
    });
    await runCron('*/5 * * * *', Date.now());
    expect((await orderOf(order.id, guest.token)).json.status).toBe('paid');
    const run = await env.DB.prepare('SELECT result FROM reconciliation_runs ORDER BY started_at DESC LIMIT 1').first<{
      result: string;
    }>();
    expect(JSON.parse(run!.result).settled).toBeGreaterThanOrEqual(1);
  });
});
