import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { giveCoupon, openStore, unique, wechatMember } from '../support/factories';
import { call } from '../support/http';

/*
 * "My coupons" in the H5 app: the member's wallet on three shelves, each coupon with its
 * name, its rule in one line and when it is valid.
 */

const DAY = 86_400_000;

async function coupon(memberId: string, status: string, validTo: number, rule: Record<string, unknown>) {
  const id = unique('cpn');
  await env.DB.prepare(
    `INSERT INTO member_coupons (id, brand_id, member_id, template_id, rule, valid_from, valid_to, status, issued_at, used_at, source)
     VALUES (?, 'brd_demo', ?, 'tpl_test', ?, 0, ?, ?, ?, ?, 'admin')`,
  )
    .bind(
      id,
      memberId,
      JSON.stringify({ id, templateId: 'tpl_test', ...rule }),
      validTo,
      status,
      Date.now(),
      status === 'used' ? Date.now() : null,
    )
    .run();
  return id;
}

const wallet = (token: string, status?: string) =>
  call(`/v1/members/me/coupons${status ? `?status=${status}` : ''}`, { token });

describe('my coupons', () => {
  it('lists usable (soonest-ending first), used and expired coupons with name, rule summary and validity', async () => {
    const m = await wechatMember();
    const later = await coupon(m.memberId, 'available', Date.now() + 10 * DAY, {
      name: '满30减5',
      kind: 'amount',
      threshold: 3000,
      amountOff: 500,
    });
    const sooner = await coupon(m.memberId, 'available', Date.now() + DAY, {
      name: '85折',
      kind: 'percent',
      percentOff: 15,
      cap: 1000,
    });
    const used = await coupon(m.memberId, 'used', Date.now() + DAY, { name: '免配送费', kind: 'delivery_waiver' });
    const lapsed = await coupon(m.memberId, 'available', Date.now() - 1, {
      name: '¥3 off',
      kind: 'amount',
      threshold: 0,
      amountOff: 300,
    });

    const usable = await wallet(m.token, 'usable');
    expect(usable.status).toBe(200);
    expect(usable.json.items.map((c: { id: string }) => c.id)).toEqual([sooner, later]);
    expect(usable.json.items[1]).toMatchObject({
      name: '满30减5',
      kind: 'amount',
      rule: { threshold: 3000, amountOff: 500 },
      summary: '¥5.00 off orders from ¥30.00',
      status: 'usable',
      locked: false,
      usedAt: null,
    });
    expect(Date.parse(usable.json.items[1].validTo)).toBeGreaterThan(Date.now());
    expect(usable.json.items[0].summary).toBe('15% off (up to ¥10.00)');

    const usedShelf = await wallet(m.token, 'used');
    expect(usedShelf.json.items).toEqual([
      expect.objectContaining({ id: used, status: 'used', summary: 'free delivery', usedAt: expect.any(String) }),
    ]);
    const expired = await wallet(m.token, 'expired');
    expect(expired.json.items.map((c: { id: string }) => c.id)).toEqual([lapsed]);
    expect((await wallet(m.token)).json.items).toHaveLength(4);
  });

  it('shows only the caller’s own coupons', async () => {
    const a = await wechatMember();
    const b = await wechatMember();
    await giveCoupon(a.memberId, 500);
    expect((await wallet(a.token)).json.items).toHaveLength(1);
    expect((await wallet(b.token)).json.items).toEqual([]);
  });

  it('only members: anonymous is 401, staff 403; an unknown shelf is a 422 naming status', async () => {
    expect((await wallet('')).status).toBe(401);
    const { staff } = await openStore();
    expect((await wallet(staff)).status).toBe(403);
    const m = await wechatMember();
    const bad = await wallet(m.token, 'everything');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(bad.json.errors[0].path).toBe('status');
  });

  it('a signed-out member’s token is refused (401 auth.token_revoked)', async () => {
    const m = await wechatMember();
    expect((await call('/v1/members/me/logout-all', { method: 'POST', token: m.token })).status).toBe(204);
    const res = await wallet(m.token);
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('auth.token_revoked');
  });
});
