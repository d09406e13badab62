import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { roomInHour } from '../support/clock-windows';
import { newBrand, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { givePoints, ledgerOf } from '../support/loyalty';

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

async function couponTemplate(admin: string) {
  const res = await call('/v1/admin/coupon-templates', {
    method: 'POST',
    token: admin,
    body: { name: '¥5 off', rule: { kind: 'amount', threshold: 0, amountOff: 500 }, validity: { days: 30 } },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

async function wheel(admin: string, body: Record<string, unknown>) {
  const res = await call('/v1/admin/wheels', {
    method: 'POST',
    token: admin,
    body: { name: 'Lucky wheel', dailyLimit: 3, startsAt: hourAgo(), ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; prizes: { id: string; chancePercent: number; outOfStock: boolean }[] };
}

const spin = (wheelId: string, token: string, key?: string) =>
  call(`/v1/wheels/${wheelId}/spins`, {
    method: 'POST',
    token,
    headers: key ? { 'Idempotency-Key': key } : undefined,
  });

describe('the lucky wheel', () => {
  it('publishes exact odds that add up to 100, and shows a prize out of stock as such', async () => {
    const brand = await newBrand();
    const tpl = await couponTemplate(brand.admin);
    const w = await wheel(brand.admin, {
      prizes: [
        { label: '¥5 off', kind: 'coupon', templateId: tpl, weight: 1, stock: 0 },
        { label: '20 积分', kind: 'points', points: 20, weight: 1 },
        { label: '10 积分', kind: 'points', points: 10, weight: 1 },
        { label: '谢谢参与', kind: 'none', weight: 1 },
      ],
    });
    const read = await call(`/v1/wheels/${w.id}`);
    expect(read.status, read.text).toBe(200);
    expect(read.json.open).toBe(true);
    expect(
      read.json.prizes.map((p: { chancePercent: number; outOfStock: boolean }) => [p.chancePercent, p.outOfStock]),
    ).toEqual([
      [0, true],
      [33.34, false],
      [33.33, false],
      [33.33, false],
    ]);

    const bad = await call('/v1/admin/wheels', {
      method: 'POST',
      token: brand.admin,
      body: {
        name: 'x',
        dailyLimit: 1,
        startsAt: hourAgo(),
        prizes: [
          { label: 'a', kind: 'coupon', templateId: 'ctp_nope', weight: 1 },
          { label: 'b', kind: 'points', weight: 1 },
        ],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['prizes.1.points', 'prizes.0.templateId']);
    const other = await newBrand();
    expect(
      (await call(`/v1/admin/wheels/${w.id}`, { method: 'PATCH', token: other.admin, body: { active: false } })).status,
    ).toBe(404);
  });

  it('a spin pays its cost and its prize in one go; a replay answers the same spin and charges once', async () => {
    // Spins left today: both spins on one day.
    await roomInHour();
    const brand = await newBrand();
    const w = await wheel(brand.admin, {
      costPoints: 30,
      prizes: [
        { label: '50 积分', kind: 'points', points: 50, weight: 1 },
        { label: '80 积分', kind: 'points', points: 80, weight: 1 },
      ],
    });
    const m = await wechatMember({ brandId: brand.brandId });
    const poor = await spin(w.id, m.token, 'spin-key-0001');
    expect(poor.status).toBe(409);
    expect(poor.json).toMatchObject({ code: 'points.insufficient', available: 0, needed: 30 });

    await givePoints(m, 40);
    const first = await spin(w.id, m.token, 'spin-key-0002');
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ wheelId: w.id, costPoints: 30, spinsLeftToday: 2 });
    const again = await spin(w.id, m.token, 'spin-key-0002');
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    expect(again.json.prize).toEqual(first.json.prize);

    const wheelEntries = (await ledgerOf(m.memberId)).filter((e) => e.kind === 'wheel').map((e) => e.amount);
    expect(wheelEntries.sort((a, b) => a - b)).toEqual([-30, first.json.prize.points]);
    const spins = await env.DB.prepare('SELECT count(*) AS n FROM wheel_spins WHERE member_id = ?')
      .bind(m.memberId)
      .first<{ n: number }>();
    expect(spins!.n).toBe(1);
  });

  it('five spins at once against a daily limit of three: three spin, two are refused', async () => {
    // Spins on either side of midnight would be two days' limits.
    await roomInHour();
    const brand = await newBrand();
    const w = await wheel(brand.admin, {
      prizes: [
        { label: '谢谢参与', kind: 'none', weight: 3 },
        { label: '5 积分', kind: 'points', points: 5, weight: 1 },
      ],
    });
    const m = await wechatMember({ brandId: brand.brandId });
    const all = await Promise.all(Array.from({ length: 5 }, () => spin(w.id, m.token)));
    expect(all.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409]);
    expect(all.filter((r) => r.status === 409).map((r) => r.json.code)).toEqual([
      'wheel.daily_limit',
      'wheel.daily_limit',
    ]);
    expect(
      all
        .filter((r) => r.status === 201)
        .map((r) => r.json.spinsLeftToday)
        .sort(),
    ).toEqual([0, 1, 2]);
  });

  it("fifty guests spinning at once never pass a prize's stock", async () => {
    const brand = await newBrand();
    const tpl = await couponTemplate(brand.admin);
    const w = await wheel(brand.admin, {
      dailyLimit: 1,
      prizes: [
        { label: '¥5 off', kind: 'coupon', templateId: tpl, weight: 1000, stock: 3 },
        { label: '谢谢参与', kind: 'none', weight: 1 },
      ],
    });
    const guests = [];
    for (let i = 0; i < 50; i++) guests.push(await wechatMember({ brandId: brand.brandId }));
    const all = await Promise.all(guests.map((g) => spin(w.id, g.token)));
    expect(
      all.every((r) => r.status === 201),
      all.find((r) => r.status !== 201)?.text,
    ).toBe(true);
    const won = all.filter((r) => r.json.prize.kind === 'coupon');
    expect(won).toHaveLength(3);
    const coupons = await env.DB.prepare('SELECT count(*) AS n FROM member_coupons WHERE template_id = ?')
      .bind(tpl)
      .first<{ n: number }>();
    expect(coupons!.n).toBe(3);
    const read = await call(`/v1/wheels/${w.id}`);
    expect(read.json.prizes[0]).toMatchObject({ awarded: 3, outOfStock: true, chancePercent: 0 });
    expect(read.json.prizes[1]).toMatchObject({ chancePercent: 100 });
  });

  it('a wheel switched off or not yet started refuses spins', async () => {
    const brand = await newBrand();
    const w = await wheel(brand.admin, {
      prizes: [
        { label: 'a', kind: 'none', weight: 1 },
        { label: 'b', kind: 'none', weight: 1 },
      ],
    });
    const m = await wechatMember({ brandId: brand.brandId });
    const off = await call(`/v1/admin/wheels/${w.id}`, {
      method: 'PATCH',
      token: brand.admin,
      body: { active: false },
    });
    expect(off.status, off.text).toBe(200);
    expect((await spin(w.id, m.token)).json.code).toBe('wheel.inactive');
    const later = new Date(Date.now() + 86_400_000).toISOString();
    await call(`/v1/admin/wheels/${w.id}`, {
      method: 'PATCH',
      token: brand.admin,
      body: { active: true, startsAt: later },
    });
    const res = await spin(w.id, m.token);
    expect([res.status, res.json.code]).toEqual([409, 'wheel.inactive']);
    const stranger = await wechatMember();
    expect((await spin(w.id, stranger.token)).status).toBe(404);
  });

  it('a member reads their own spins of a wheel, newest first, a page at a time', async () => {
    const brand = await newBrand();
    const w = await wheel(brand.admin, {
      dailyLimit: 5,
      prizes: [
        { label: '谢谢参与', kind: 'none', weight: 1 },
        { label: '5 积分', kind: 'points', points: 5, weight: 1 },
      ],
    });
    const m = await wechatMember({ brandId: brand.brandId });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await spin(w.id, m.token);
      expect(s.status, s.text).toBe(201);
      ids.push(s.json.id);
    }
    const history = (token: string, q = '') => call(`/v1/members/me/wheels/${w.id}/spins${q}`, { token });
    const first = await history(m.token, '?limit=2');
    expect(first.status, first.text).toBe(200);
    expect(first.json.spins.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    expect(first.json.spins[0].prize.label).toMatch(/谢谢参与|5 积分/);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const rest = await history(m.token, `?limit=2&before=${encodeURIComponent(first.json.nextCursor)}`);
    expect(rest.json.spins.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect(rest.json.nextCursor).toBeNull();

    const other = await wechatMember({ brandId: brand.brandId });
    expect((await history(other.token)).json.spins).toEqual([]);
    const stranger = await wechatMember();
    expect((await history(stranger.token)).status).toBe(404);
    expect((await history(m.token, '?before=nonsense')).status).toBe(422);
  });
});
