import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { pointsAfterRefunds } from '../../domain/loyalty/points';
import { EXPO } from '../../durable-objects/store/kitchen/kitchen';
import type { StoreDO } from '../../durable-objects/store/store.do';
import type { StoreParts } from '../../durable-objects/store/store-parts';
import { pointsSummary } from '../../worker/loyalty/points.service';
import { memoryPushAdapter } from '../../worker/notify/push.adapter';
import { overridePushAdapter } from '../../worker/notify/push.registry';
import { notify } from '../../worker/notify/pushes.service';
import { roomInHour } from '../support/clock-windows';
import { openStore, potstickers, teaEgg, unique, wechatMember } from '../support/factories';
import { call } from '../support/http';
import {
  completedOrder,
  completeOrder,
  DAY,
  deliverPushes,
  flushEvents,
  givePoints,
  ledgerOf,
  paidOrder,
  pointsOf,
  runNightly,
} from '../support/loyalty';
import { adminTemplate, bronzeRate, catalogItem, earningOf, pastSpend } from '../support/points';

afterEach(() => overridePushAdapter(undefined));

describe('earning points on completed orders', () => {
  it('a completed order earns a point per yuan paid for dishes, pending through the refund window; five replays earn once', async () => {
    // Points lots expire at a month's end: one earned in a month's last moment is checked a moment later.
    await roomInHour();
    const { storeId, staff } = await openStore();
    const guest = await wechatMember();
    const order = await completedOrder(storeId, staff, guest.token, [potstickers(2)]);
    await flushEvents(storeId, 5);

    const earned = earningOf(order).total;
    expect(earned).toBe(32 * bronzeRate());
    const ledger = await ledgerOf(guest.memberId);
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([['earn', earned]]);
    // Fees are not dishes: packing earns nothing.
    expect(order.total).toBeGreaterThan(3200);
    expect(await pointsOf(guest.token)).toMatchObject({ available: 0, pending: earned });
    // Eight days on, the refund window has passed: the points can be spent.
    expect(await pointsSummary(env, guest.memberId, Date.now() + 8 * DAY)).toMatchObject({
      available: earned,
      pending: 0,
    });
    // The profile learned what the guest likes from the order.
    expect((await call('/v1/members/me', { token: guest.token })).json.tags).toContain('小吃 snacks');

    const lot = await env.DB.prepare('SELECT available_at, expires_at FROM points_lots WHERE member_id = ?')
      .bind(guest.memberId)
      .first<{ available_at: number; expires_at: number }>();
    expect(lot!.available_at - Date.now()).toBeGreaterThan(6.9 * DAY);
    expect(lot!.expires_at - Date.now()).toBeGreaterThan(365 * DAY);
  });

  it('the points show as soon as staff complete the order, before the queue has delivered anything; the queue after changes nothing', async () => {
    const { storeId, staff } = await openStore();
    const guest = await wechatMember();
    const order = await paidOrder(storeId, guest.token, [potstickers(2)]);
    await completeOrder(order.id, staff);
    const earned = earningOf(order).total;
    expect(await pointsOf(guest.token)).toMatchObject({ available: 0, pending: earned });
    await flushEvents(storeId, 3);
    expect((await ledgerOf(guest.memberId)).map((e) => [e.kind, e.amount])).toEqual([['earn', earned]]);
  });

  it('an order that is never completed earns nothing', async () => {
    const { storeId } = await openStore();
    const guest = await wechatMember();
    await paidOrder(storeId, guest.token, [potstickers(1)]);
    await flushEvents(storeId, 2);
    expect(await ledgerOf(guest.memberId)).toEqual([]);
  });

  it('refunding one tea egg takes back exactly the points that egg earned, and a full refund takes the rest', async () => {
    const { storeId, staff, admin } = await openStore();
    const guest = await wechatMember();
    const order = await completedOrder(storeId, staff, guest.token, [potstickers(1), teaEgg(3)]);
    const earning = earningOf(order);
    expect(earning.total).toBe(25 * bronzeRate());

    const one = await call(`/v1/orders/${order.id}/refunds`, {
      method: 'POST',
      token: admin,
      body: { lines: [{ index: 1, quantity: 1 }], reason: 'egg was cold' },
    });
    expect(one.status, one.text).toBe(201);
    const keptAfterOne = pointsAfterRefunds(earning, new Map([[1, 1]]));
    if (bronzeRate() === 1) expect(keptAfterOne).toBe(22);
    let ledger = await ledgerOf(guest.memberId);
    expect(ledger.map((e) => [e.kind, e.amount])).toEqual([
      ['earn', earning.total],
      ['reverse', keptAfterOne - earning.total],
    ]);

    const rest = await call(`/v1/orders/${order.id}/refunds`, {
      method: 'POST',
      token: admin,
      body: { reason: 'closing' },
    });
    expect(rest.status, rest.text).toBe(201);
    await flushEvents(storeId, 3);
    ledger = await ledgerOf(guest.memberId);
    expect(ledger.reduce((s, e) => s + e.amount, 0)).toBe(0);
    expect(await pointsOf(guest.token)).toMatchObject({ available: 0, pending: 0 });
  });
});

describe('refunds racing', () => {
  it('two refunds of different lines at once take back all the points, no more', async () => {
    const { storeId, staff, admin } = await openStore();
    const guest = await wechatMember();
    const order = await completedOrder(storeId, staff, guest.token, [potstickers(1), teaEgg(3)]);
    const refund = (lines: unknown) =>
      call(`/v1/orders/${order.id}/refunds`, { method: 'POST', token: admin, body: { lines, reason: 'race' } });
    const [a, b] = await Promise.all([refund([{ index: 0, quantity: 1 }]), refund([{ index: 1, quantity: 3 }])]);
    expect([a!.status, b!.status]).toEqual([201, 201]);
    await flushEvents(storeId, 2);
    const ledger = await ledgerOf(guest.memberId);
    expect(ledger.reduce((s, e) => s + e.amount, 0)).toBe(0);
    expect(ledger.filter((e) => e.kind === 'reverse').length).toBeGreaterThanOrEqual(1);
  });
});

describe('tiers', () => {
  it('¥500 of rolling spend makes silver exactly at the threshold; the next quote has the silver price', async () => {
    const { storeId, staff } = await openStore();
    const atThreshold = await wechatMember();
    const justShort = await wechatMember();
    const probe = await call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      token: atThreshold.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    const total = probe.json.total as number;
    expect(probe.json.discounts).toEqual([]);
    await pastSpend(atThreshold.memberId, storeId, 50_000 - total);
    await pastSpend(justShort.memberId, storeId, 50_000 - total - 1);

    await completedOrder(storeId, staff, atThreshold.token, [potstickers(1)]);
    await completedOrder(storeId, staff, justShort.token, [potstickers(1)]);
    await flushEvents(storeId, 3);

    const silver = await call('/v1/members/me/tier', { token: atThreshold.token });
    expect(silver.json.tier).toMatchObject({ id: 'silver', spend: 50_000, next: { id: 'gold' }, spendNeeded: 150_000 });
    expect(silver.json.history).toHaveLength(1);
    expect(silver.json.history[0]).toMatchObject({ fromTier: 'bronze', toTier: 'silver', reason: 'upgrade' });
    const short = await call('/v1/members/me/tier', { token: justShort.token });
    expect(short.json.tier).toMatchObject({ id: 'bronze', spend: 49_999, spendNeeded: 1 });

    const quote = await call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      token: atThreshold.token,
      body: { mode: 'pickup', lines: [potstickers(2)] },
    });
    expect(quote.status, quote.text).toBe(200);
    expect(quote.json.discounts).toEqual([
      expect.objectContaining({ id: 'tier_silver', source: 'promotion', kind: 'tier_discount', amount: 160 }),
    ]);
    const pushes = await env.DB.prepare(
      `SELECT template, category FROM notifications WHERE member_id = ? AND template = 'tier_changed'`,
    )
      .bind(atThreshold.memberId)
      .all();
    expect(pushes.results).toEqual([{ template: 'tier_changed', category: 'transactional' }]);
  });

  it('the scheduled review lowers a gold member who no longer qualifies, with history and a push', async () => {
    const guest = await wechatMember();
    await call('/v1/members/me', { token: guest.token });
    await env.DB.prepare(`UPDATE member_loyalty SET tier_id = 'gold', tier_review_at = ? WHERE member_id = ?`)
      .bind(Date.now() - 1000, guest.memberId)
      .run();
    await runNightly();
    await runNightly();
    const tier = await call('/v1/members/me/tier', { token: guest.token });
    expect(tier.json.tier.id).toBe('bronze');
    expect(tier.json.history).toEqual([
      expect.objectContaining({ fromTier: 'gold', toTier: 'bronze', reason: 'downgrade' }),
    ]);
    expect(Date.parse(tier.json.tier.reviewAt) - Date.now()).toBeGreaterThan(360 * DAY);
  });
});

describe('points expiry', () => {
  it('points expire oldest first: what a spend left of the old lot expires, once, however often the cron runs', async () => {
    const { admin } = await openStore();
    const item = await catalogItem(admin, 30, (await adminTemplate(admin)).id);
    const guest = await wechatMember();
    const soon = Date.now() + 3_600_000;
    await givePoints(guest, 40, { expiresAt: soon });
    await givePoints(guest, 60, { expiresAt: Date.now() + 20 * DAY });
    const spent = await call('/v1/members/me/points/redemptions', {
      method: 'POST',
      token: guest.token,
      body: { catalogItemId: item.id },
    });
    expect(spent.status).toBe(201);
    expect(await pointsOf(guest.token)).toMatchObject({ available: 70 });

    await runNightly(soon + 1000);
    await runNightly(soon + 2000);
    const expiries = (await ledgerOf(guest.memberId)).filter((e) => e.kind === 'expire');
    expect(expiries.map((e) => e.amount)).toEqual([-10]);
    expect(await pointsOf(guest.token)).toMatchObject({ available: 60 });

    const reminders = await env.DB.prepare(
      `SELECT template, data FROM notifications WHERE member_id = ? AND template = 'points_expiring'`,
    )
      .bind(guest.memberId)
      .all<{ template: string; data: string }>();
    expect(reminders.results).toHaveLength(1);
    expect(JSON.parse(reminders.results[0]!.data).fields.points).toBe('60');
  });
});

describe('transactional pushes', () => {
  it('a tier push reaches the member once, and nothing goes to an erased member', async () => {
    const fake = memoryPushAdapter();
    overridePushAdapter(fake);
    const guest = await wechatMember();
    await call('/v1/members/me', { token: guest.token });
    await env.DB.prepare(`UPDATE member_loyalty SET tier_id = 'gold', tier_review_at = ? WHERE member_id = ?`)
      .bind(Date.now() - 1000, guest.memberId)
      .run();
    await runNightly();
    const row = await env.DB.prepare(`SELECT id FROM notifications WHERE member_id = ?`)
      .bind(guest.memberId)
      .first<{ id: string }>();
    await deliverPushes([row!.id]);
    await deliverPushes([row!.id]);
    expect(fake.sent.filter((m) => m.touser === guest.openid)).toHaveLength(1);
    const sent = await env.DB.prepare('SELECT status FROM notifications WHERE id = ?').bind(row!.id).first();
    expect(sent).toEqual({ status: 'sent' });

    expect((await call('/v1/members/me', { method: 'DELETE', token: guest.token })).status).toBe(200);
    const late = await notify(env, {
      brandId: 'brd_demo',
      memberId: guest.memberId,
      category: 'transactional',
      template: 'order_ready',
      data: { ticket: 'B001' },
      key: unique('late'),
    });
    await deliverPushes([late!]);
    expect(fake.attempts.filter((m) => m.touser === guest.openid)).toHaveLength(1);
    expect(await env.DB.prepare('SELECT status, result FROM notifications WHERE id = ?').bind(late).first()).toEqual({
      status: 'suppressed',
      result: 'member_erased',
    });
  });
});

describe('tier benefits at the counter', () => {
  it("a gold member's order goes to the top of the kitchen screen and pays no delivery fee", async () => {
    const { storeId } = await openStore();
    const regular = await wechatMember();
    const gold = await wechatMember();
    await call('/v1/members/me', { token: gold.token });
    await env.DB.prepare(`UPDATE member_loyalty SET tier_id = 'gold' WHERE member_id = ?`).bind(gold.memberId).run();
    const first = await paidOrder(storeId, regular.token, [potstickers(1)]);
    const second = await paidOrder(storeId, gold.token, [potstickers(1)]);
    const tickets = await runInDurableObject(env.STORE.getByName(storeId), (i: StoreDO) =>
      (i as unknown as { parts: StoreParts }).parts.kitchen.snapshot(EXPO).tickets.map((t) => [t.orderId, t.priority]),
    );
    expect(tickets).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
    const quote = await call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      token: gold.token,
      body: {
        mode: 'delivery',
        lines: [potstickers(2)],
        address: {
          text: '南京东路 1 号',
          lat: 31.2354,
          lng: 121.4737,
          contactName: 'Gold',
          contactPhone: '13800000000',
        },
      },
    });
    expect(quote.status, quote.text).toBe(200);
    expect(quote.json.deliveryFee).toBe(0);
    expect(quote.json.discounts.map((d: { id: string }) => d.id)).toContain('tier_gold');
  });
});
