import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OutboxEvent, webhookEventsOf } from '../../domain/webhooks/events';
import {
  ELEME_SECRET,
  elemeOrderMessage,
  elemePush,
  elemeStore,
  MEITUAN_SECRET,
  meituanOrderParams,
  meituanPush,
  meituanStore,
  nowSeconds,
} from '../support/channel-stores';
import { channelOrders, platformCalls } from '../support/channels';
import { unique } from '../support/factories';
import { fakeEleme } from '../support/fake-eleme';
import { fakeMeituan } from '../support/fake-meituan';
import { call } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { referenceRollups, storedRollups } from '../support/rollups';

/*
 * A guest gets part of a platform order back on the platform (some dishes, or an amount):
 * the platform pays them; the store records it on the order, tells partners once
 * (`order.refunded`), counts it in its KPIs, and keeps cooking the rest.
 */

let APP: string;
let fake: ReturnType<typeof fakeMeituan>;
let platform: ReturnType<typeof platformCalls>;
beforeEach(() => {
  APP = unique('mt_app');
  fake = fakeMeituan({ appId: APP, secret: MEITUAN_SECRET });
  platform = platformCalls(fake);
});
afterEach(() => platform.release());

const colaBack = (orderId: string, notifyType: string, extra: Record<string, string> = {}) => ({
  app_id: APP,
  timestamp: nowSeconds(),
  order_id: orderId,
  notify_type: notifyType,
  refund_id: `rf_${orderId}`,
  money: '3',
  reason: '可乐撒了',
  food: JSON.stringify([{ app_food_code: 'mt_cola', food_name: '可乐', count: 1, refund_price: 3 }]),
  ...extra,
});

/** The `order.refunded` webhooks a store's outbox makes. */
async function refundedWebhooks(storeId: string) {
  const messages = await outboxMessages(storeId);
  return messages
    .flatMap((m) => webhookEventsOf(m.body as unknown as OutboxEvent, 'Asia/Shanghai'))
    .filter((w) => w.type === 'order.refunded');
}

const ourRefunds = async (orderId: string) =>
  (await env.DB.prepare('SELECT id FROM refunds WHERE order_id = ?').bind(orderId).all()).results;

describe('a Meituan partial refund', () => {
  it('one of two dishes back: the order keeps cooking the other, shows the refund, one order.refunded; a replay changes nothing', async () => {
    const s = await meituanStore(APP);
    await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_p1'));
    const push = colaBack('mt_p1', 'agree');
    const res = await meituanPush('partial-refund', push);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ data: 'ok' });

    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.status).toBe('paid');
    expect(order.total).toBe(3550);
    expect(order.channel).toMatchObject({
      refunded: 300,
      refunds: [
        { id: 'rf_mt_p1', status: 'agreed', amount: 300, lines: [{ index: 1, quantity: 1 }], reason: '可乐撒了' },
      ],
    });
    // The potstickers are still the kitchen's to cook.
    const accepted = await call(`/v1/orders/${order.id}/accept`, { method: 'POST', token: s.staff, body: {} });
    expect(accepted.status, accepted.text).toBe(200);

    const events = await refundedWebhooks(s.storeId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({
      order: { id: order.id, status: 'paid' },
      refund: { id: 'rf_mt_p1', amount: 300, partial: true },
    });

    const outboxBefore = (await outboxMessages(s.storeId)).length;
    expect((await meituanPush('partial-refund', { ...push, timestamp: nowSeconds() })).json).toEqual({ data: 'ok' });
    expect((await outboxMessages(s.storeId)).length).toBe(outboxBefore);
    expect((await channelOrders(s.storeId, s.staff))[0].channel.refunds).toHaveLength(1);

    // The platform settles with its guest: nothing of ours is refunded, nothing is called back.
    await platform.flush(s.storeId);
    expect(await ourRefunds(order.id)).toEqual([]);
    expect(fake.calls.filter((c) => c.path.includes('refund'))).toEqual([]);
  });

  it('counts in the day’s KPIs: refunds 3.00 on the day and on the cola', async () => {
    const s = await meituanStore(APP);
    await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_p2'));
    await meituanPush('partial-refund', colaBack('mt_p2', 'agree'));
    await deliver(await outboxMessages(s.storeId));
    const day = (await env.DB.prepare('SELECT business_day AS d FROM order_history WHERE store_id = ?')
      .bind(s.storeId)
      .first<{ d: string }>())!.d;
    const rows = await storedRollups(s.storeId, day);
    expect(rows.find((r) => r.dim === 'day')).toMatchObject({ revenue: 3550, refunds: 300, cancelled: 0 });
    expect(rows.find((r) => r.dim === 'item' && r.key === 'meituan:mt_cola')).toMatchObject({
      refunds: 300,
      refundQuantity: 1,
    });
    expect(rows).toEqual(await referenceRollups(s.storeId, day));
  });

  it('asked, then withdrawn by the guest: shown as withdrawn, nothing refunded, no order.refunded', async () => {
    const s = await meituanStore(APP);
    await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_p3'));
    await meituanPush('partial-refund', colaBack('mt_p3', 'apply'));
    expect((await channelOrders(s.storeId, s.staff))[0].channel).toMatchObject({
      refunded: 0,
      refunds: [{ status: 'requested', amount: 300 }],
    });
    await meituanPush('partial-refund', colaBack('mt_p3', 'cancelRefund'));
    // An "apply" arriving late does not bring it back.
    await meituanPush('partial-refund', colaBack('mt_p3', 'apply', { timestamp: nowSeconds() }));
    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.status).toBe('paid');
    expect(order.channel).toMatchObject({ refunded: 0, refunds: [{ status: 'withdrawn' }] });
    expect(await refundedWebhooks(s.storeId)).toEqual([]);
  });

  it('agreed, then cancelled by the platform: the refund no longer counts', async () => {
    const s = await meituanStore(APP);
    await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_p4'));
    await meituanPush('partial-refund', colaBack('mt_p4', 'agree'));
    await meituanPush('partial-refund', colaBack('mt_p4', 'cancelRefundComplaint'));
    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.channel).toMatchObject({ refunded: 0, refunds: [{ status: 'withdrawn', amount: 300 }] });
    expect(await refundedWebhooks(s.storeId)).toHaveLength(1);
  });
  it('two refunds together never give back more than the guest paid', async () => {
    const s = await meituanStore(APP);
    await meituanPush('new-order', meituanOrderParams(APP, s.shop, 'mt_p5'));
    await meituanPush('partial-refund', colaBack('mt_p5', 'agree', { refund_id: 'rf_a', money: '30' }));
    await meituanPush('partial-refund', colaBack('mt_p5', 'agree', { refund_id: 'rf_b', money: '30' }));
    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.channel.refunds.map((r: { amount: number }) => r.amount)).toEqual([3000, 550]);
    expect(order.channel.refunded).toBe(3550);
  });
});

describe('an Ele.me partial refund', () => {
  it('agreed (type 33, refundType part) is recorded on the order; a whole refund still cancels it', async () => {
    const app = 10_000_000 + Math.floor(Math.random() * 89_000_000);
    const ele = fakeEleme({ appKey: String(app), secret: ELEME_SECRET });
    platform.release();
    platform = platformCalls(ele);
    const s = await elemeStore(app);
    await elemePush(app, s.shop, 10, elemeOrderMessage('ele_p1'));
    const part = JSON.stringify({
      orderId: 'ele_p1',
      refundId: 'erf_1',
      refundType: 'part',
      totalPrice: 3,
      goodsList: [{ name: '酸梅汤', quantity: 1, price: 3, extendCode: '' }],
      reason: '少送了',
    });
    expect((await elemePush(app, s.shop, 33, part)).json).toEqual({ message: 'ok' });
    expect((await elemePush(app, s.shop, 33, part)).json).toEqual({ message: 'ok' });
    const [order] = await channelOrders(s.storeId, s.staff);
    expect(order.status).toBe('accepted');
    expect(order.channel).toMatchObject({
      refunded: 300,
      refunds: [{ id: 'erf_1', status: 'agreed', lines: [{ index: 1, quantity: 1 }] }],
    });
    expect(await refundedWebhooks(s.storeId)).toHaveLength(1);
  });
});
