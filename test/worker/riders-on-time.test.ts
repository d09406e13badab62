import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { riderTap } from '../../worker/riders/assignments.service';
import { riderOf } from '../../worker/riders/riders.service';
import { call } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { hireRider, paidDelivery, riderStore } from '../support/riders';

/*
 * Issue #19: the on-time rate. Three deliveries by one of the store's riders, two by their
 * promise and one late: 66.7% for the store and for that rider, however often the events
 * are replayed.
 */

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('on-time rate', () => {
  it('two of three deliveries on time is 0.6667 for the store and the courier, replays change nothing', async () => {
    const { storeId, manager, staff } = await riderStore();
    const rider = await hireRider(storeId, manager);
    const orders = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await paidDelivery(storeId);
      const res = await call(`/v1/orders/${id}/rider`, { method: 'POST', token: staff, body: { riderId: rider.id } });
      expect(res.status, res.text).toBe(200);
      for (const tap of ['arrived', 'picked-up']) {
        await call(`/v1/rider/orders/${id}/${tap}`, { method: 'POST', token: rider.key, body: {} });
      }
      orders.push({ id, promisedBy: Date.parse(res.json.delivery.promisedBy) });
    }
    for (const o of orders.slice(0, 2)) {
      const res = await call(`/v1/rider/orders/${o.id}/delivered`, { method: 'POST', token: rider.key, body: {} });
      expect(res.json.status).toBe('completed');
    }
    // The third arrives ten minutes after its promise.
    const late = orders[2]!;
    const row = await riderOf(env, storeId, rider.id);
    const done = await riderTap(env, row, late.id, 'delivered', undefined, late.promisedBy + 10 * 60_000);
    expect(done.order.status).toBe('completed');

    const messages = await outboxMessages(storeId);
    await deliver(messages);
    await deliver(messages);

    const report = await call(`/v1/admin/analytics/on-time?from=${day(-1)}&to=${day(1)}&storeId=${storeId}`, {
      token: manager,
    });
    expect(report.status, report.text).toBe(200);
    expect(report.json.stores).toEqual([
      expect.objectContaining({ storeId, delivered: 3, onTime: 2, onTimeRate: 0.6667 }),
    ]);
    expect(report.json.couriers).toEqual([
      {
        storeId,
        provider: 'own',
        riderId: rider.id,
        riderName: '王师傅',
        delivered: 3,
        onTime: 2,
        onTimeRate: 0.6667,
      },
    ]);
    const clerk = await call(`/v1/admin/analytics/on-time?from=${day(-1)}&to=${day(1)}`, { token: staff });
    expect(clerk.status).toBe(403);
  });
});
