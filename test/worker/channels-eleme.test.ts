import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusalCount } from '../../worker/channels/refusals.service';
import { elemeOrderMessage } from '../support/channel-stores';
import { bind, channelOrders, kitchenTickets, platformCalls } from '../support/channels';
import { roomInHour } from '../support/clock-windows';
import { openStore, unique } from '../support/factories';
import { elemePushBody, fakeEleme } from '../support/fake-eleme';
import { call, tokenFor } from '../support/http';

/*
 * Issue #19: a store bound to its Ele.me shop takes the platform's orders (NOP pushes) into
 * its kitchen and answers the platform through signed NOP calls.
 */

const SECRET = 'ele-secret-91ab';
/** One Ele.me app per test: the background queues may carry another test's calls. */
let APP: number;
let fake: ReturnType<typeof fakeEleme>;
let platform: ReturnType<typeof platformCalls>;
beforeEach(() => {
  APP = 10_000_000 + Math.floor(Math.random() * 89_000_000);
  fake = fakeEleme({ appKey: String(APP), secret: SECRET });
  platform = platformCalls(fake);
});
afterEach(() => platform.release());
const today = () => new Date().toISOString().slice(0, 10);

/**
 * A store bound to the fake shop. Every story reads its orders back from the staff list, which
 * holds only today's: it starts with room left in the hour the business day turns on (04:00
 * in Shanghai), or a turnover mid-story would hide its order.
 */
async function boundStore(autoAccept = true) {
  await roomInHour();
  const s = await openStore();
  const shop = 100_000 + Math.floor(Math.random() * 900_000_000);
  await bind(s.admin, {
    storeId: s.storeId,
    channel: 'eleme',
    appId: String(APP),
    secret: SECRET,
    platformShopId: String(shop),
    autoAccept,
  });
  const manager = await tokenFor('staff', { storeId: s.storeId, subject: unique('mgr'), staffRole: 'manager' });
  return { ...s, shop, manager };
}

async function push(shop: number, type: number, message: string, opts: { secret?: string; timestamp?: number } = {}) {
  const body = await elemePushBody(
    {
      requestId: crypto.randomUUID(),
      type,
      appId: APP,
      message,
      shopId: shop,
      timestamp: opts.timestamp ?? Date.now(),
      userId: 42,
    },
    opts.secret ?? SECRET,
  );
  return call('/v1/channels/eleme', { method: 'POST', raw: body, contentType: 'application/json' });
}

describe('an Ele.me new-order push (type 10)', () => {
  it('becomes one paid delivery order with an ELE- ticket, confirmed on Ele.me; a replay creates nothing', async () => {
    const s = await boundStore();
    const first = await push(s.shop, 10, elemeOrderMessage('ele_9001'));
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ message: 'ok' });
    expect((await push(s.shop, 10, elemeOrderMessage('ele_9001'))).json).toEqual({ message: 'ok' });
    const orders = await channelOrders(s.storeId, s.staff);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      ticketNo: 'ELE-12',
      status: 'accepted',
      mode: 'delivery',
      total: 3550,
      channel: { name: 'eleme', externalId: 'ele_9001', daySeq: '12' },
    });
    expect(orders[0].delivery.contactPhone).toBe('139****5678');
    expect(await kitchenTickets(s.storeId, orders[0].id)).not.toHaveLength(0);
    await platform.flush(s.storeId);
    expect(fake.ok('eleme.order.confirmOrderLite').map((c) => c.params.orderId)).toEqual(['ele_9001']);
    expect(fake.calls.every((c) => c.signatureOk)).toBe(true);
  });

  it('with a wrong signature, a stale timestamp or an unknown shop is refused in Ele.me’s format, counted, nothing written', async () => {
    // Refusals are counted per UTC day, and the test compares today's before and after.
    await roomInHour();
    const s = await boundStore();
    const count = (r: 'signature' | 'stale' | 'unknown_shop') => refusalCount(env, 'eleme', r, today());
    const before = [await count('signature'), await count('stale'), await count('unknown_shop')];
    const wrong = await push(s.shop, 10, elemeOrderMessage('ele_bad1'), { secret: 'nope' });
    expect([wrong.status, wrong.json]).toEqual([400, { message: 'INVALID_SIGNATURE' }]);
    const stale = await push(s.shop, 10, elemeOrderMessage('ele_bad2'), { timestamp: Date.now() - 11 * 60_000 });
    expect(stale.json).toEqual({ message: 'INVALID_TIMESTAMP' });
    const unknown = await push(1, 10, elemeOrderMessage('ele_bad3'));
    expect(unknown.json).toEqual({ message: 'UNAUTHORIZED' });
    expect(await channelOrders(s.storeId, s.staff)).toHaveLength(0);
    expect([await count('signature'), await count('stale'), await count('unknown_shop')]).toEqual(
      before.map((n) => n + 1),
    );
  });

  it('answers the URL check ({}) with {"message":"ok"}', async () => {
    const res = await call('/v1/channels/eleme', { method: 'POST', body: {} });
    expect(res.json).toEqual({ message: 'ok' });
  });
});

describe('both ways with Ele.me', () => {
  it('ready → the meal-prepared call; a refund request refused by the manager → disagreeRefundLite', async () => {
    const s = await boundStore();
    await push(s.shop, 10, elemeOrderMessage('ele_9101'));
    const [order] = await channelOrders(s.storeId, s.staff);
    expect((await push(s.shop, 30, JSON.stringify({ orderId: 'ele_9101', reason: '太慢' }))).json).toEqual({
      message: 'ok',
    });
    expect((await channelOrders(s.storeId, s.staff))[0].status).toBe('cancel_requested');
    const kept = await call(`/v1/orders/${order.id}/reject-cancel`, {
      method: 'POST',
      token: s.manager,
      body: { reason: 'already cooking' },
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.json.status).toBe('accepted');
    expect((await call(`/v1/orders/${order.id}/ready`, { method: 'POST', token: s.staff })).status).toBe(200);
    await platform.flush(s.storeId);
    expect(fake.ok().map((c) => c.action)).toEqual([
      'eleme.order.confirmOrderLite',
      'eleme.order.disagreeRefundLite',
      'eleme.order.setOrderPrepared',
    ]);
    expect(fake.ok('eleme.order.disagreeRefundLite')[0]!.params).toEqual({
      orderId: 'ele_9101',
      reason: 'already cooking',
    });
    expect(fake.tokensIssued).toBe(1);
  });

  it('a cancel push (type 14) cancels our order; nothing is refunded by us or called back', async () => {
    const s = await boundStore(false);
    await push(s.shop, 10, elemeOrderMessage('ele_9201'));
    expect((await push(s.shop, 14, JSON.stringify({ orderId: 'ele_9201' }))).json).toEqual({ message: 'ok' });
    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.status).toBe('cancelled');
    await platform.flush(s.storeId);
    expect(fake.calls.filter((c) => c.action.startsWith('eleme.order'))).toEqual([]);
    const refunds = await call(`/v1/orders/${order.id}`, { token: s.staff });
    expect(refunds.json.status).toBe('cancelled');
  });

  it('a dish set to 0 pushes its stock to Ele.me by our extend code', async () => {
    const s = await boundStore();
    await call(`/v1/stores/${s.storeId}/stock/itm_teaegg`, { method: 'PUT', token: s.staff, body: { count: 0 } });
    await platform.flush(s.storeId);
    const [stock] = fake.ok('eleme.product.item.batchUpdateStockByExtendCode');
    expect(stock!.params).toEqual({ shopId: s.shop, stocks: [{ extendCode: 'itm_teaegg', stock: 0 }] });
  });
});
