import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { orderDay } from '../../domain/analytics/days';
import { roomInHour } from '../support/clock-windows';
import { newMember, openStore, potstickers, teaEgg, unique, wechatMember } from '../support/factories';
import { call, tokenFor } from '../support/http';
import { completeOrder, flushEvents, paidOrder } from '../support/loyalty';
import { rawRollups, referenceRollups, runQueuedJobs, storedRollups } from '../support/rollups';
import { scanAndOrder, tableOf } from '../support/tables';

const SHANGHAI = { timeZone: 'Asia/Shanghai', dayStartsAt: '04:00' };

/** Pays a placed order through the sandbox provider. */
async function pay(orderId: string, token: string) {
  const start = await call(`/v1/orders/${orderId}/payments`, { method: 'POST', token, body: { method: 'sandbox' } });
  expect(start.status, start.text).toBe(201);
  for (const p of start.json.payments as { id: string }[]) {
    await call(`/v1/payments/sandbox/${p.id}/complete`, { method: 'POST' });
  }
}

const row = (rows: { dim: string; key: string }[], dim: string, key: string) =>
  rows.find((r) => r.dim === dim && r.key === key);

async function memberDays(storeId: string) {
  const { results } = await env.DB.prepare(
    'SELECT member_id AS memberId, day, orders, revenue FROM analytics_member_days WHERE store_id = ? ORDER BY member_id',
  )
    .bind(storeId)
    .all<{ memberId: string; day: string; orders: number; revenue: number }>();
  return results;
}

/**
 * A day at a store: two members order pickups, one eats in, one order is abandoned, one dish
 * refunded. All of it in one wall-clock hour, so in one local hour and one business day: the
 * test reads them back under the day and hour of its end.
 */
async function aDayOfService() {
  await roomInHour();
  const { storeId, admin, staff } = await openStore();
  const manager = await tokenFor('staff', { storeId, subject: unique('stf'), staffRole: 'manager' });
  const table = await tableOf(storeId, admin, 'R1');
  const ana = await wechatMember();
  const bo = await newMember();
  const a1 = await paidOrder(storeId, ana.token, [potstickers(2)]);
  const a2 = await paidOrder(storeId, ana.token, [teaEgg(1)]);
  const b1 = await paidOrder(storeId, bo.token, [potstickers(1), teaEgg(2)]);
  for (const o of [a1, a2, b1]) await completeOrder(o.id, staff);
  // Placed, never paid, cancelled by the guest: a cancellation, no revenue.
  const abandoned = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: bo.token,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  expect((await call(`/v1/orders/${abandoned.json.id}/cancel`, { method: 'POST', token: bo.token })).status).toBe(200);
  // Bo eats in at R1, pays, and the table is cleared.
  const round = await scanAndOrder(storeId, bo.token, table, [teaEgg(1)]);
  expect(round.status, round.text).toBe(201);
  await pay(round.json.id, bo.token);
  const closed = await call(`/v1/stores/${storeId}/sessions/${round.json.sessionId}/close`, {
    method: 'POST',
    token: staff,
  });
  expect(closed.status, closed.text).toBe(200);
  // The manager refunds the potstickers of Bo's pickup.
  const refund = await call(`/v1/orders/${b1.id}/refunds`, {
    method: 'POST',
    token: manager,
    body: { lines: [{ index: 0 }], reason: 'cold' },
  });
  expect(refund.status, refund.text).toBe(201);
  await flushEvents(storeId);
  const day = orderDay(Date.now(), SHANGHAI);
  return { storeId, admin, ana, bo, a1, a2, b1, round: round.json as { id: string; total: number }, refund, day };
}

describe('the KPI rollups follow what the store did', () => {
  it('paid, completed, cancelled and refunded orders land on their business day, hour, dish, mode and method', async () => {
    const s = await aDayOfService();
    const rows = await storedRollups(s.storeId, s.day.businessDay);
    const revenue = s.a1.total + s.a2.total + s.b1.total + s.round.total;
    const refunded = s.refund.json.amount as number;
    expect(refunded).toBe(s.b1.lines[0]!.total);
    expect(row(rows, 'day', '')).toMatchObject({
      orders: 4,
      cancelled: 1,
      revenue,
      refunds: refunded,
      // Three pickups are one guest each; the table had one diner.
      guests: 4,
      seatings: 1,
      tables: 2,
      memberOrders: 4,
    });
    const hour = String(s.day.localHour).padStart(2, '0');
    expect(row(rows, 'hour', hour)).toMatchObject({ orders: 4, revenue, refunds: refunded });
    expect(row(rows, 'mode', 'pickup')).toMatchObject({ orders: 3, cancelled: 1, refunds: refunded });
    expect(row(rows, 'mode', 'dine_in')).toMatchObject({ orders: 1, revenue: s.round.total });
    expect(row(rows, 'item', 'itm_potstickers')).toMatchObject({
      name: '煎锅贴',
      orders: 2,
      quantity: 3,
      refundQuantity: 1,
      refunds: refunded,
    });
    expect(row(rows, 'item', 'itm_teaegg')).toMatchObject({ orders: 3, quantity: 4, refundQuantity: 0 });
    expect(row(rows, 'payment', 'sandbox')).toMatchObject({ orders: 4, revenue, refunds: refunded });
    // The SQL upkeep says what the reference model says of the same sources.
    expect(rows).toEqual(await referenceRollups(s.storeId, s.day.businessDay));

    expect(await memberDays(s.storeId)).toEqual(
      [
        { memberId: s.ana.memberId, day: s.day.businessDay, orders: 2, revenue: s.a1.total + s.a2.total },
        {
          memberId: s.bo.memberId,
          day: s.day.businessDay,
          orders: 2,
          revenue: s.b1.total + s.round.total - refunded,
        },
      ].sort((a, b) => a.memberId.localeCompare(b.memberId)),
    );
  });

  it('replaying every event changes nothing, not even when the rows were written', async () => {
    const s = await aDayOfService();
    const before = await rawRollups(s.storeId);
    expect(before.length).toBeGreaterThan(5);
    await flushEvents(s.storeId, 2);
    expect(await rawRollups(s.storeId)).toEqual(before);
  });

  it('an erased member’s purchase days are removed, and a rebuild does not bring them back', async () => {
    const s = await aDayOfService();
    expect((await call('/v1/members/me', { method: 'DELETE', token: s.ana.token })).status).toBe(200);
    const left = await memberDays(s.storeId);
    expect(left.map((m) => m.memberId)).toEqual([s.bo.memberId]);
    await runQueuedJobs(() =>
      call('/v1/admin/analytics/rebuild', {
        method: 'POST',
        token: s.admin,
        body: { from: s.day.businessDay, to: s.day.businessDay, storeId: s.storeId },
      }),
    );
    expect((await memberDays(s.storeId)).map((m) => m.memberId)).toEqual([s.bo.memberId]);
  });

  it('an admin rebuild re-derives the same rows, giving history rows without a day their day first', async () => {
    const s = await aDayOfService();
    const kept = await storedRollups(s.storeId, s.day.businessDay);
    await env.DB.batch([
      env.DB.prepare('DELETE FROM analytics_rollups WHERE store_id = ?').bind(s.storeId),
      env.DB.prepare('UPDATE order_history SET business_day = NULL, local_hour = NULL WHERE store_id = ?').bind(
        s.storeId,
      ),
    ]);
    const { answer } = await runQueuedJobs(() =>
      call('/v1/admin/analytics/rebuild', {
        method: 'POST',
        token: s.admin,
        body: { from: s.day.businessDay, to: s.day.businessDay, storeId: s.storeId },
      }),
    );
    expect((answer as { status: number }).status).toBe(202);
    expect(await storedRollups(s.storeId, s.day.businessDay)).toEqual(kept);
  });

  it('the rebuild is for brand admins, over at most 366 days of their own stores', async () => {
    const { storeId, admin, staff } = await openStore();
    const rebuild = (token: string, body: unknown) =>
      call('/v1/admin/analytics/rebuild', { method: 'POST', token, body });
    expect((await rebuild(staff, { from: '2026-01-01', to: '2026-01-02', storeId })).status).toBe(403);
    const long = await rebuild(admin, { from: '2025-01-01', to: '2026-01-02' });
    expect(long.status).toBe(422);
    expect((await rebuild(admin, { from: '2026-01-02', to: '2026-01-01' })).status).toBe(422);
    expect((await rebuild(admin, { from: '2026-01-01', to: '2026-01-02', storeId: 'sto_nowhere' })).status).toBe(404);
  });
});
