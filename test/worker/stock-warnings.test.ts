import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemoryPushAdapter, memoryPushAdapter } from '../../worker/notify/push.adapter';
import { overridePushAdapter } from '../../worker/notify/push.registry';
import { managerOf, paidPickup } from '../support/alerts';
import { captureQueue, deliverTo } from '../support/campaigns';
import { roomInHour } from '../support/clock-windows';
import { newMember, openStore, potstickers } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { openDisplay } from '../support/kitchen-display';
import { deliver, outboxMessages } from '../support/outbox-delivery';

const ITEM = 'itm_potstickers';

/** A store with a manager who linked WeChat, potstickers counted and a low-stock level set. */
async function storeWithLevel(count: number, level: number) {
  const store = await openStore();
  const manager = await managerOf(store.admin, [store.storeId]);
  const openid = `o_${manager}`;
  await env.DB.prepare('INSERT INTO staff_push_targets (staff_id, brand_id, openid, created_at) VALUES (?, ?, ?, ?)')
    .bind(manager, 'brd_demo', openid, Date.now())
    .run();
  await setCount(store.storeId, store.staff, count);
  const res = await call(`/v1/admin/stores/${store.storeId}/stock/${ITEM}/low-level`, {
    method: 'PUT',
    token: store.admin,
    body: { level },
  });
  expect(res.status, res.text).toBe(200);
  return { ...store, manager, openid, level: res.json };
}

async function setCount(storeId: string, staff: string, count: number) {
  const res = await call(`/v1/stores/${storeId}/stock/${ITEM}`, { method: 'PUT', token: staff, body: { count } });
  expect(res.status, res.text).toBe(200);
}

const stockEvents = async (storeId: string) =>
  (await outboxMessages(storeId)).filter((m) => m.body.type === 'stock.low');

describe('stock that warns', () => {
  let push: MemoryPushAdapter;
  let queued: unknown[];
  beforeAll(() => {
    push = memoryPushAdapter();
    overridePushAdapter(push);
    queued = captureQueue(env.NOTIFY_QUEUE);
  });
  afterAll(() => overridePushAdapter(undefined));
  const pushesTo = (openid: string) => push.sent.filter((m) => m.touser === openid);

  it('crossing the level sends one warning, not one per order; a restock above it re-arms', async () => {
    // The count is today's (the business day starts 04:00 in Shanghai): a turnover mid-test would restock it.
    await roomInHour();
    const { storeId, staff, openid, manager, level } = await storeWithLevel(10, 5);
    expect(level).toEqual({ itemId: ITEM, remaining: 10, dailyDefault: null, lowLevel: 5, low: false });
    const kitchen = await openDisplay(storeId, staff, 'kitchen');
    const guest = await newMember();

    await paidPickup(storeId, guest.token, [potstickers(3)]); // 7 left: above the level
    expect(await stockEvents(storeId)).toEqual([]);
    await paidPickup(storeId, guest.token, [potstickers(2)]); // 5 left: the crossing
    await paidPickup(storeId, guest.token, [potstickers(1)]); // 4 left: still low, nothing more
    await paidPickup(storeId, guest.token, [potstickers(2)]); // 2 left

    const warnings = await stockEvents(storeId);
    expect(warnings.map((w) => w.body.stock)).toMatchObject([{ itemId: ITEM, name: '煎锅贴', remaining: 5, level: 5 }]);
    const low = await kitchen.next((m) => m.type === 'event' && m.event.type === 'stock.low');
    expect(low.event).toMatchObject({ station: null, stock: { itemId: ITEM, name: '煎锅贴', remaining: 5, level: 5 } });

    // The events consumer pushes each manager once; a replayed message changes nothing.
    const all = await outboxMessages(storeId);
    await deliver(all);
    await deliver(all);
    await deliverTo('tiffin-notify', queued.splice(0));
    expect(pushesTo(openid)).toHaveLength(1);
    expect(pushesTo(openid)[0]).toMatchObject({
      template_id: 'stock_low',
      data: { item: { value: '煎锅贴' }, remaining: { value: '5' }, level: { value: '5' } },
    });
    const inbox = await env.DB.prepare('SELECT template, status FROM staff_notifications WHERE staff_id = ?')
      .bind(manager)
      .all();
    expect(inbox.results).toEqual([{ template: 'stock_low', status: 'sent' }]);
    expect(kitchen.events().filter((e) => e.type === 'stock.low')).toHaveLength(1);

    // Restocked above the level: the kitchen's banner comes down, and the next crossing warns again.
    await setCount(storeId, staff, 8);
    await kitchen.next((m) => m.type === 'event' && m.event.type === 'stock.recovered');
    await paidPickup(storeId, guest.token, [potstickers(3)]); // 5 left: a new crossing
    await paidPickup(storeId, guest.token, [potstickers(1)]);
    expect((await stockEvents(storeId)).map((w) => w.body.stock.remaining)).toEqual([5, 5]);
    await deliver(await outboxMessages(storeId));
    await deliverTo('tiffin-notify', queued.splice(0));
    expect(pushesTo(openid)).toHaveLength(2);
    await kitchen.next((m) => m.type === 'event' && m.event.type === 'stock.low' && m.event.seq > low.event.seq);
    expect(kitchen.events().filter((e) => e.type === 'stock.low')).toHaveLength(2);
  });

  it('a staff count at or below the level warns once; a display that connects later still sees it', async () => {
    // The count and its warning are today's: a turnover mid-test would restock and re-arm it.
    await roomInHour();
    const { storeId, staff, openid } = await storeWithLevel(20, 5);
    await setCount(storeId, staff, 3);
    await setCount(storeId, staff, 2);
    expect((await stockEvents(storeId)).map((w) => w.body.stock)).toMatchObject([
      { itemId: ITEM, remaining: 3, level: 5, orderId: null },
    ]);
    const expo = await openDisplay(storeId, staff, 'expo');
    const snapshot = await expo.next((m) => m.type === 'snapshot');
    expect(snapshot.lowStock).toEqual([{ itemId: ITEM, name: '煎锅贴', remaining: 2, level: 5 }]);
    await deliver(await outboxMessages(storeId));
    await deliverTo('tiffin-notify', queued.splice(0));
    expect(pushesTo(openid)).toHaveLength(1);

    const list = await call(`/v1/stores/${storeId}/stock`, { token: staff });
    expect(list.json.items).toEqual([{ itemId: ITEM, remaining: 2, dailyDefault: null, lowLevel: 5, low: true }]);
  });

  it('a level set above what is left warns at once', async () => {
    // The count is today's: a turnover before the level is set would restock it.
    await roomInHour();
    const { storeId, admin } = await openStore();
    await setCount(storeId, await tokenFor('staff', { storeId }), 4);
    const res = await call(`/v1/admin/stores/${storeId}/stock/${ITEM}/low-level`, {
      method: 'PUT',
      token: admin,
      body: { level: 6 },
    });
    expect(res.json).toMatchObject({ remaining: 4, lowLevel: 6, low: true });
    expect(await stockEvents(storeId)).toHaveLength(1);
  });

  it('bad input is 422 naming the field, and nothing is stored; clerks may not set levels', async () => {
    const { storeId, admin, staff } = await openStore();
    const put = (itemId: string, body: unknown, token = admin) =>
      call(`/v1/admin/stores/${storeId}/stock/${itemId}/low-level`, { method: 'PUT', token, body });
    const negative = await put(ITEM, { level: -1 });
    expect(negative.status).toBe(422);
    expect(negative.json.errors).toMatchObject([{ path: 'level' }]);
    const unknown = await put('itm_nope', { level: 3 });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors).toEqual([{ path: 'itemId', message: "not on this store's menu" }]);
    expect((await put(ITEM, { level: 3, extra: true })).status).toBe(422);
    const clerk = await tokenFor('staff', { storeId, staffRole: 'clerk' });
    expect((await put(ITEM, { level: 3 }, clerk)).status).toBe(403);
    expect((await call(`/v1/stores/${storeId}/stock`, { token: staff })).json.items).toEqual([]);

    const manager = await tokenFor('staff', { storeId, staffRole: 'manager' });
    expect((await put(ITEM, { level: 3 }, manager)).status).toBe(200);
  });
});
