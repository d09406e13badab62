import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusalCount } from '../../worker/channels/refusals.service';
import { bind, channelOrders, kitchenTickets, platformCalls } from '../support/channels';
import { roomInHour } from '../support/clock-windows';
import { openStore, unique } from '../support/factories';
import { fakeMeituan, meituanPushBody } from '../support/fake-meituan';
import { call, tokenFor } from '../support/http';
import { runJobs } from '../support/invoices';

/*
 * Issue #19: a store bound to its Meituan Waimai shop takes the platform's orders into its
 * kitchen as paid delivery orders, and tells Meituan what its staff do with them.
 */

const SECRET = 'mt-secret-5c1f';
/** One Meituan app per test: the background queues may carry another test's calls to the fake. */
let APP: string;
let fake: ReturnType<typeof fakeMeituan>;
let platform: ReturnType<typeof platformCalls>;
beforeEach(() => {
  APP = unique('mt_app');
  fake = fakeMeituan({ appId: APP, secret: SECRET });
  platform = platformCalls(fake);
});
afterEach(() => platform.release());

const pushUrl = (type: string) => `${env.PUBLIC_BASE_URL}/v1/channels/meituan/${type}`;
const today = () => new Date().toISOString().slice(0, 10);

/**
 * A store bound to the fake shop. Every story reads its orders back from the staff list, which
 * holds only today's, or counts today's stock: it starts with room left in the hour the
 * business day turns on (04:00 in Shanghai), or a turnover mid-story would hide its order.
 */
async function boundStore(autoAccept = false, settings: Record<string, unknown> = {}) {
  await roomInHour();
  const s = await openStore(settings);
  const shop = unique('poi');
  await bind(s.admin, {
    storeId: s.storeId,
    channel: 'meituan',
    appId: APP,
    secret: SECRET,
    platformShopId: shop,
    autoAccept,
  });
  const manager = await tokenFor('staff', { storeId: s.storeId, subject: unique('mgr'), staffRole: 'manager' });
  return { ...s, shop, manager };
}

function newOrder(shop: string, orderId: string, extra: Record<string, string> = {}) {
  return {
    app_id: APP,
    timestamp: String(Math.floor(Date.now() / 1000)),
    app_poi_code: shop,
    order_id: orderId,
    day_seq: '7',
    wm_poi_name: 'People’s Square',
    total: '35.5',
    shipping_fee: '5',
    detail: JSON.stringify([
      { app_food_code: 'itm_potstickers', food_name: '锅贴(美团)', quantity: 2, price: 16, box_num: 1, box_price: 1 },
      { app_food_code: 'mt_cola', food_name: '可乐', quantity: 1, price: 3, box_num: 0, box_price: 0 },
    ]),
    recipient_name: '张先生',
    recipient_phone: '13812345678',
    recipient_address: '人民广场1号',
    latitude: '31.2304',
    longitude: '121.4737',
    caution: '少辣',
    ...extra,
  };
}

async function push(type: string, params: Record<string, string>, secret = SECRET) {
  return call(`/v1/channels/meituan/${type}`, {
    method: 'POST',
    raw: await meituanPushBody(pushUrl(type), params, secret),
    contentType: 'application/x-www-form-urlencoded',
  });
}

describe('a Meituan new-order push', () => {
  it('becomes one paid delivery order with an MT- ticket in the kitchen, at the platform’s prices', async () => {
    const s = await boundStore();
    await call(`/v1/stores/${s.storeId}/stock/itm_potstickers`, { method: 'PUT', token: s.staff, body: { count: 10 } });
    const res = await push('new-order', newOrder(s.shop, 'mt_1001'));
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ data: 'ok' });
    const [order, ...others] = await channelOrders(s.storeId, s.staff);
    expect(others).toHaveLength(0);
    expect(order).toMatchObject({
      mode: 'delivery',
      status: 'paid',
      ticketNo: 'MT-7',
      channel: { name: 'meituan', externalId: 'mt_1001', daySeq: '7' },
      itemsSubtotal: 3500,
      packingFee: 100,
      deliveryFee: 500,
      discountTotal: 550,
      total: 3550,
      paid: 3550,
      note: '少辣',
    });
    expect(
      order.lines.map((l: { itemId: string; name: string; unitPrice: number }) => [l.itemId, l.unitPrice]),
    ).toEqual([
      ['itm_potstickers', 1600],
      ['meituan:mt_cola', 300],
    ]);
    expect(order.lines[1].name).toBe('可乐');
    expect(order.delivery.contactPhone).toBe('138****5678');
    expect(order.delivery.address).toBe('人民广场1号');
    expect(await kitchenTickets(s.storeId, order.id)).not.toHaveLength(0);
    const stock = await call(`/v1/stores/${s.storeId}/stock`, { token: s.staff });
    expect(JSON.stringify(stock.json)).toContain('"remaining":8');
  });

  it('replayed, answers ok and creates nothing new', async () => {
    const s = await boundStore();
    const params = newOrder(s.shop, 'mt_1002');
    expect((await push('new-order', params)).json).toEqual({ data: 'ok' });
    expect((await push('new-order', params)).json).toEqual({ data: 'ok' });
    expect(await channelOrders(s.storeId, s.staff)).toHaveLength(1);
  });

  it('with a wrong signature, a stale timestamp or an unknown shop is refused in Meituan’s format, counted, nothing written', async () => {
    // Refusals are counted per UTC day, and the test compares today's before and after.
    await roomInHour();
    const s = await boundStore();
    const before = {
      signature: await refusalCount(env, 'meituan', 'signature', today()),
      stale: await refusalCount(env, 'meituan', 'stale', today()),
      unknown: await refusalCount(env, 'meituan', 'unknown_shop', today()),
    };
    const wrong = await push('new-order', newOrder(s.shop, 'mt_bad1'), 'not-the-secret');
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ data: 'ng', error: { code: 703 } });
    const old = String(Math.floor(Date.now() / 1000) - 11 * 60);
    const stale = await push('new-order', newOrder(s.shop, 'mt_bad2', { timestamp: old }));
    expect(stale.json).toMatchObject({ data: 'ng' });
    const unknown = await push('new-order', newOrder('poi_nobody', 'mt_bad3'));
    expect(unknown.json).toMatchObject({ data: 'ng', error: { code: 702 } });
    expect(await channelOrders(s.storeId, s.staff)).toHaveLength(0);
    expect(await refusalCount(env, 'meituan', 'signature', today())).toBe(before.signature + 1);
    expect(await refusalCount(env, 'meituan', 'stale', today())).toBe(before.stale + 1);
    expect(await refusalCount(env, 'meituan', 'unknown_shop', today())).toBe(before.unknown + 1);
  });

  it('sent twice at the same moment, still makes one order', async () => {
    const s = await boundStore();
    const params = newOrder(s.shop, 'mt_1003');
    const answers = await Promise.all([
      push('new-order', params),
      push('new-order', params),
      push('new-order', params),
    ]);
    expect(answers.map((a) => a.json)).toEqual([{ data: 'ok' }, { data: 'ok' }, { data: 'ok' }]);
    expect(await channelOrders(s.storeId, s.staff)).toHaveLength(1);
  });

  it('answers Meituan’s URL check (no parameters) with {"data":"ok"}', async () => {
    const res = await call('/v1/channels/meituan/new-order', { method: 'POST' });
    expect(res.json).toEqual({ data: 'ok' });
  });

  it('auto-accepted, confirms the order on Meituan with a signature the platform accepts', async () => {
    const s = await boundStore(true);
    await push('new-order', newOrder(s.shop, 'mt_2001'));
    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.status).toBe('accepted');
    await platform.flush(s.storeId);
    expect(fake.ok('order/confirm').map((c) => c.params.order_id)).toEqual(['mt_2001']);
    expect(fake.calls.every((c) => c.sigOk)).toBe(true);
  });

  it('is not auto-accepted while the kitchen is at its open-order cap: staff accept it, and Meituan is told then', async () => {
    const s = await boundStore(true, { maxOpenOrders: 1 });
    await push('new-order', newOrder(s.shop, 'mt_2101', { day_seq: '1' }));
    await push('new-order', newOrder(s.shop, 'mt_2102', { day_seq: '2' }));
    const byTicket = Object.fromEntries((await channelOrders(s.storeId, s.staff)).map((o) => [o.ticketNo, o] as const));
    expect([byTicket['MT-1'].status, byTicket['MT-2'].status]).toEqual(['accepted', 'paid']);
    const accepted = await call(`/v1/orders/${byTicket['MT-2'].id}/accept`, { method: 'POST', token: s.staff });
    expect(accepted.status, accepted.text).toBe(200);
    await platform.flush(s.storeId);
    expect(fake.ok('order/confirm').map((c) => c.params.order_id)).toEqual(['mt_2101', 'mt_2102']);
  });

  it('a sold-out dish rejects the order back to Meituan and writes nothing', async () => {
    const s = await boundStore();
    await call(`/v1/stores/${s.storeId}/stock/itm_potstickers`, { method: 'PUT', token: s.staff, body: { count: 1 } });
    expect((await push('new-order', newOrder(s.shop, 'mt_2002'))).json).toEqual({ data: 'ok' });
    expect(await channelOrders(s.storeId, s.staff)).toHaveLength(0);
    await platform.flush(s.storeId);
    expect(fake.ok('order/cancel').map((c) => c.params.order_id)).toEqual(['mt_2002']);
  });
});

describe('both ways', () => {
  it('staff reject (cancel) → Meituan order/cancel; an outage is retried, not lost', async () => {
    const s = await boundStore();
    await push('new-order', newOrder(s.shop, 'mt_3001'));
    const [order] = await channelOrders(s.storeId, s.staff);
    const res = await call(`/v1/orders/${order.id}/cancel`, {
      method: 'POST',
      token: s.manager,
      body: { reason: 'kitchen closed early' },
    });
    expect(res.status, res.text).toBe(200);
    fake.failNext(1);
    await expect(platform.flush(s.storeId)).rejects.toThrow(/retried/);
    // The queue's retry of the same job reaches Meituan once it is back.
    await runJobs(platform.last());
    expect(fake.calls.map((c) => c.path)).toEqual(['order/cancel', 'order/cancel']);
    expect(fake.ok('order/cancel')[1]!.params).toMatchObject({ order_id: 'mt_3001', reason: 'kitchen closed early' });
  });

  it('staff ready → Meituan preparationMealComplete', async () => {
    const s = await boundStore(true);
    await push('new-order', newOrder(s.shop, 'mt_3002'));
    const [order] = await channelOrders(s.storeId, s.staff);
    expect((await call(`/v1/orders/${order.id}/ready`, { method: 'POST', token: s.staff })).status).toBe(200);
    await platform.flush(s.storeId);
    // This order's calls, a repeat collapsed: a channel call is a queued job, delivered at least
    // once, and Meituan takes a second confirm of the same order as the first. Calls for other
    // tests' stores may land in the same fake while this one runs.
    const paths = fake
      .ok()
      .filter((c) => c.params.order_id === 'mt_3002')
      .map((c) => c.path);
    expect(paths.filter((p, i) => p !== paths[i - 1])).toEqual(['order/confirm', 'order/preparationMealComplete']);
  });

  it('a Meituan cancel push cancels our order, gives the stock back and calls nothing back', async () => {
    const s = await boundStore();
    await call(`/v1/stores/${s.storeId}/stock/itm_potstickers`, { method: 'PUT', token: s.staff, body: { count: 5 } });
    await push('new-order', newOrder(s.shop, 'mt_4001'));
    await platform.flush(s.storeId);
    // Meituan's cancel push may name only the order: the store that took it is found from it.
    const cancel = {
      app_id: APP,
      timestamp: String(Math.floor(Date.now() / 1000)),
      order_id: 'mt_4001',
      reason: '用户取消',
    };
    expect((await push('cancelled', cancel)).json).toEqual({ data: 'ok' });
    expect((await push('cancelled', cancel)).json).toEqual({ data: 'ok' });
    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.status).toBe('cancelled');
    const stock = await call(`/v1/stores/${s.storeId}/stock`, { token: s.staff });
    expect(JSON.stringify(stock.json)).toContain('"remaining":5');
    await platform.flush(s.storeId);
    expect(fake.calls.filter((c) => c.path.startsWith('order/'))).toEqual([]);
  });

  it('a refund request → cancel_requested; the manager approves → Meituan refund/agree', async () => {
    const s = await boundStore(true);
    await push('new-order', newOrder(s.shop, 'mt_5001'));
    const ts = () => String(Math.floor(Date.now() / 1000));
    const apply = {
      app_id: APP,
      timestamp: ts(),
      app_poi_code: s.shop,
      order_id: 'mt_5001',
      notify_type: 'apply',
      reason: '不想要了',
    };
    expect((await push('refund', apply)).json).toEqual({ data: 'ok' });
    const [asked] = await channelOrders(s.storeId, s.staff);
    expect(asked.status).toBe('cancel_requested');
    const res = await call(`/v1/orders/${asked.id}/approve-cancel`, { method: 'POST', token: s.manager });
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe('cancelled');
    await platform.flush(s.storeId);
    expect(fake.ok().map((c) => c.path)).toEqual(['order/confirm', 'order/refund/agree']);
    // The platform's own "agreed" push after ours changes nothing.
    const agreed = { ...apply, notify_type: 'agree', timestamp: ts() };
    expect((await push('refund', agreed)).json).toEqual({ data: 'ok' });
    expect((await channelOrders(s.storeId, s.staff))[0].status).toBe('cancelled');
  });

  it('a completed push completes the order', async () => {
    const s = await boundStore(true);
    await push('new-order', newOrder(s.shop, 'mt_6001'));
    const done = {
      app_id: APP,
      timestamp: String(Math.floor(Date.now() / 1000)),
      app_poi_code: s.shop,
      order_id: 'mt_6001',
    };
    expect((await push('completed', done)).json).toEqual({ data: 'ok' });
    expect((await channelOrders(s.storeId, s.staff))[0].status).toBe('completed');
  });
});

describe('stock and menu', () => {
  it('selling a dish out pushes stock 0 to Meituan; setting a count pushes it', async () => {
    const s = await boundStore();
    await call(`/v1/stores/${s.storeId}/stock/itm_teaegg`, { method: 'PUT', token: s.staff, body: { count: 0 } });
    await platform.flush(s.storeId);
    const pushed = fake.ok('food/sku/stock').map((c) => JSON.parse(c.params.food_data!));
    expect(pushed).toEqual([[{ app_food_code: 'itm_teaegg', skus: [{ sku_id: 'itm_teaegg', stock: '0' }] }]]);
    expect(fake.ok('food/sku/stock')[0]!.params.app_poi_code).toBe(s.shop);
    await call(`/v1/stores/${s.storeId}/stock/itm_potstickers`, { method: 'PUT', token: s.staff, body: { count: 2 } });
    await push('new-order', newOrder(s.shop, 'mt_7001'));
    await platform.flush(s.storeId);
    const last = fake.ok('food/sku/stock').map((c) => JSON.parse(c.params.food_data!)[0]);
    expect(
      last.map((f: { app_food_code: string; skus: { stock: string }[] }) => [f.app_food_code, f.skus[0]!.stock]),
    ).toEqual([
      ['itm_teaegg', '0'],
      ['itm_potstickers', '2'],
      ['itm_potstickers', '0'],
    ]);
  });

  it('an admin pushes the published menu, our item ids as Meituan’s food codes', async () => {
    const s = await boundStore();
    const list = await call(`/v1/admin/channel-bindings?storeId=${s.storeId}`, { token: s.admin });
    const binding = list.json.items[0];
    expect(JSON.stringify(list.json)).not.toContain(SECRET);
    const res = await call(`/v1/admin/channel-bindings/${binding.id}/push-menu`, { method: 'POST', token: s.admin });
    expect(res.status, res.text).toBe(202);
    await platform.flush(s.storeId);
    const [menu] = fake.ok('food/batchinitdata');
    const foods = JSON.parse(menu!.params.food_data!) as { app_food_code: string; price: string }[];
    expect(foods.find((f) => f.app_food_code === 'itm_potstickers')?.price).toBe('16.00');
  });
});
