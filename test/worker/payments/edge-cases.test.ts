import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { overrideProvider } from '../../../worker/payments/providers/registry';
import { sandboxProvider } from '../../../worker/payments/providers/sandbox.provider';
import { postWallet } from '../../../worker/payments/wallet.service';
import { newMember, openStore, potstickers } from '../../support/factories';
import { enrolledDevice } from '../../support/fixtures';
import { call, tokenFor } from '../../support/http';

async function order(storeId: string, token: string) {
  const res = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    body: { mode: 'pickup', lines: [potstickers(2)] },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; total: number };
}
const pay = (orderId: string, token: string, body: unknown) =>
  call(`/v1/orders/${orderId}/payments`, { method: 'POST', token, body });
const complete = (paymentId: string) => call(`/v1/payments/sandbox/${paymentId}/complete`, { method: 'POST' });

afterEach(() => overrideProvider('sandbox', undefined));

describe('money edge cases', () => {
  it('two payments racing past the total: the order is paid once and the excess goes back', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const o = await order(storeId, guest.token);
    const full = (await pay(o.id, guest.token, { method: 'sandbox' })).json.payments[0];
    const part = (await pay(o.id, guest.token, { method: 'sandbox', amount: 500 })).json.payments[0];
    await complete(part.id);
    await complete(full.id);
    const after = await call(`/v1/orders/${o.id}`, { token: guest.token });
    expect(after.json.status).toBe('paid');
    const refunds = await env.DB.prepare('SELECT amount FROM refunds WHERE payment_id = ?').bind(full.id).all();
    expect(refunds.results).toEqual([{ amount: 500 }]);
  });

  it('when the provider cannot start, the balance part stays on the order and the rest is still due', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    await postWallet(env, { memberId: guest.memberId, brandId: 'brd_demo' }, 'topup', `t_${guest.memberId}`, 1000);
    const o = await order(storeId, guest.token);
    overrideProvider('sandbox', {
      ...sandboxProvider('k', 'http://x'),
      create: async () => {
        throw Object.assign(new Error('down'), { code: 'payment.provider_unavailable' });
      },
    });
    expect((await pay(o.id, guest.token, { method: 'sandbox', balance: 1000 })).status).toBe(503);
    overrideProvider('sandbox', undefined);
    const now = await call(`/v1/orders/${o.id}`, { token: guest.token });
    expect(now.json).toMatchObject({ status: 'pending_payment', paid: 1000 });
    const rest = await pay(o.id, guest.token, { method: 'sandbox' });
    expect(rest.json.payments[0].amount).toBe(o.total - 1000);
  });

  it('a display token cannot act on orders; staff of another store cannot charge a guest', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const o = await order(storeId, guest.token);
    const { token: display } = await enrolledDevice(await tokenFor('admin'), storeId);
    expect((await call(`/v1/orders/${o.id}/cancel`, { method: 'POST', token: display })).status).toBe(403);
    const otherStaff = await tokenFor('staff', { storeId: 'sto_demo_jingan' });
    expect((await pay(o.id, otherStaff, { method: 'sandbox' })).status).toBe(404);
    const ownStaff = await tokenFor('staff', { storeId });
    expect((await pay(o.id, ownStaff, { method: 'balance' })).status).toBe(403);
  });
});

describe('printers send odd status codes', () => {
  it('a stray % or a null body never breaks the printer routes', async () => {
    const { storeId, admin, staff } = await openStore();
    const dev = await call(`/v1/admin/stores/${storeId}/devices`, {
      method: 'POST',
      token: admin,
      body: { kind: 'printer', name: 'P', stations: ['receipt'] },
    });
    const auth = { Authorization: `Basic ${btoa(`${dev.json.id}:${dev.json.secret}`)}` };
    expect(
      (
        await call('/v1/devices/cloudprnt', {
          method: 'POST',
          headers: auth,
          raw: 'null',
          contentType: 'application/json',
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('/v1/devices/cloudprnt', { method: 'POST', headers: auth, body: { statusCode: '50%' } })).status,
    ).toBe(200);
    expect((await call(`/v1/stores/${storeId}/printers`, { token: staff })).status).toBe(200);
  });
});
