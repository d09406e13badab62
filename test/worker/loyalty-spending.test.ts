import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { overridePushAdapter } from '../../worker/notify/push.registry';
import { openStore, potstickers, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { givePoints, pointsOf } from '../support/loyalty';
import { adminTemplate, catalogItem } from '../support/points';

afterEach(() => overridePushAdapter(undefined));

describe('spending points', () => {
  it('ten concurrent redemptions against 100 points for a 30-point item: three succeed, nothing overspent', async () => {
    const { admin } = await openStore();
    const template = await adminTemplate(admin);
    const item = await catalogItem(admin, 30, template.id);
    const guest = await wechatMember();
    await givePoints(guest, 100);

    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call('/v1/members/me/points/redemptions', {
          method: 'POST',
          token: guest.token,
          body: { catalogItemId: item.id },
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r.json).toMatchObject({ status: 409, code: 'points.insufficient', needed: 30 });
    expect(await pointsOf(guest.token)).toMatchObject({ available: 10 });
    const coupons = await env.DB.prepare(
      `SELECT COUNT(*) AS n FROM member_coupons WHERE member_id = ? AND source = 'points'`,
    )
      .bind(guest.memberId)
      .first<{ n: number }>();
    expect(coupons!.n).toBe(3);
    const lots = await env.DB.prepare('SELECT SUM(remaining) AS s FROM points_lots WHERE member_id = ?')
      .bind(guest.memberId)
      .first<{ s: number }>();
    expect(lots!.s).toBe(10);
  });

  it('a retried redemption with the same Idempotency-Key spends once and answers the same coupon', async () => {
    const { admin } = await openStore();
    const item = await catalogItem(admin, 20, (await adminTemplate(admin)).id);
    const guest = await wechatMember();
    await givePoints(guest, 50);
    const headers = { 'Idempotency-Key': `redeem-${crypto.randomUUID()}` };
    const [a, b] = await Promise.all(
      [1, 2].map(() =>
        call('/v1/members/me/points/redemptions', {
          method: 'POST',
          token: guest.token,
          headers,
          body: { catalogItemId: item.id },
        }),
      ),
    );
    expect([a!.status, b!.status]).toEqual([201, 201]);
    expect(a!.json.couponId).toBe(b!.json.couponId);
    expect(await pointsOf(guest.token)).toMatchObject({ available: 30 });
  });

  it('a redemption the coupon stock cannot honour gives the points straight back', async () => {
    const { admin } = await openStore();
    const item = await catalogItem(admin, 10, (await adminTemplate(admin, { totalStock: 1 })).id);
    const a = await wechatMember();
    const b = await wechatMember();
    await givePoints(a, 10);
    await givePoints(b, 10);
    const first = await call('/v1/members/me/points/redemptions', {
      method: 'POST',
      token: a.token,
      body: { catalogItemId: item.id },
    });
    expect(first.status).toBe(201);
    const second = await call('/v1/members/me/points/redemptions', {
      method: 'POST',
      token: b.token,
      body: { catalogItemId: item.id },
    });
    expect(second.json).toMatchObject({ status: 409, code: 'coupon.out_of_stock' });
    expect(await pointsOf(b.token)).toMatchObject({ available: 10 });

    // Stock comes back; retrying the refunded attempt's key must not yield a free coupon.
    await env.DB.prepare(
      'UPDATE coupon_templates SET total_stock = 5 WHERE id = (SELECT template_id FROM points_catalog WHERE id = ?)',
    )
      .bind(item.id)
      .run();
    const key = { 'Idempotency-Key': `undo-${crypto.randomUUID()}` };
    await env.DB.prepare(
      'UPDATE coupon_templates SET total_stock = 1 WHERE id = (SELECT template_id FROM points_catalog WHERE id = ?)',
    )
      .bind(item.id)
      .run();
    const refused = await call('/v1/members/me/points/redemptions', {
      method: 'POST',
      token: b.token,
      headers: key,
      body: { catalogItemId: item.id },
    });
    expect(refused.json.code).toBe('coupon.out_of_stock');
    await env.DB.prepare(
      'UPDATE coupon_templates SET total_stock = 5 WHERE id = (SELECT template_id FROM points_catalog WHERE id = ?)',
    )
      .bind(item.id)
      .run();
    const retried = await call('/v1/members/me/points/redemptions', {
      method: 'POST',
      token: b.token,
      headers: key,
      body: { catalogItemId: item.id },
    });
    expect(retried.json).toMatchObject({ status: 409, code: 'points.redemption_undone' });
    expect(await pointsOf(b.token)).toMatchObject({ available: 10 });
    const fresh = await call('/v1/members/me/points/redemptions', {
      method: 'POST',
      token: b.token,
      body: { catalogItemId: item.id },
    });
    expect(fresh.status).toBe(201);
    expect(await pointsOf(b.token)).toMatchObject({ available: 0 });
  });

  it('points pay at most half an order, the rest by provider; refunding the order returns the points', async () => {
    const { storeId, admin } = await openStore();
    const guest = await wechatMember();
    await givePoints(guest, 5000);
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(2)] },
    });
    const total = placed.json.total as number;
    const start = await call(`/v1/orders/${placed.json.id}/payments`, {
      method: 'POST',
      token: guest.token,
      body: { method: 'sandbox', points: 5000 },
    });
    expect(start.status, start.text).toBe(201);
    const byPoints = start.json.payments.find((p: { method: string }) => p.method === 'points');
    expect(byPoints).toMatchObject({ amount: Math.floor(total / 2), status: 'succeeded' });
    expect(start.json.due).toBe(total - Math.floor(total / 2));
    expect(await pointsOf(guest.token)).toMatchObject({ available: 5000 - Math.floor(total / 2) });

    const more = await call(`/v1/orders/${placed.json.id}/payments`, {
      method: 'POST',
      token: guest.token,
      body: { method: 'sandbox', points: 10 },
    });
    expect(more.json).toMatchObject({ status: 409, code: 'points.cap_reached' });

    const sandbox = start.json.payments.find((p: { method: string }) => p.method === 'sandbox');
    await call(`/v1/payments/sandbox/${sandbox.id}/complete`, { method: 'POST' });
    const refund = await call(`/v1/orders/${placed.json.id}/refunds`, {
      method: 'POST',
      token: admin,
      body: { reason: 'sorry' },
    });
    expect(refund.status, refund.text).toBe(201);
    expect(await pointsOf(guest.token)).toMatchObject({ available: 5000 });
  });
});
