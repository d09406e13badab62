import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { defaultLoyaltyRules } from '../../domain/loyalty/rules';
import { localDay } from '../../domain/zoned-time';
import { rewardReferral } from '../../worker/loyalty/referrals.service';
import { roomInHour } from '../support/clock-windows';
import { newBrand, openStore, potstickers, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { completedOrder, flushEvents, givePoints, ledgerOf, runNightly, useRules } from '../support/loyalty';

async function template(admin: string, name: string, rule: Record<string, unknown>) {
  const res = await call('/v1/admin/coupon-templates', {
    method: 'POST',
    token: admin,
    body: { name, rule, validity: { days: 30 } },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

const couponsOf = async (memberId: string) =>
  (
    await env.DB.prepare(
      'SELECT template_id, source, issue_key FROM member_coupons WHERE member_id = ? ORDER BY issued_at',
    )
      .bind(memberId)
      .all<{ template_id: string; source: string; issue_key: string }>()
  ).results;

describe('new-member gift pack', () => {
  it('a first login brings the pack; logging in again, or erasing and re-registering, brings nothing more', async () => {
    const brand = await newBrand();
    const noThreshold = await template(brand.admin, '¥5 off, no threshold', {
      kind: 'amount',
      threshold: 0,
      amountOff: 500,
    });
    const over20 = await template(brand.admin, '满20减5', { kind: 'amount', threshold: 2000, amountOff: 500 });
    const put = await call('/v1/admin/loyalty/rules', {
      method: 'PUT',
      token: brand.admin,
      body: { ...defaultLoyaltyRules, newMemberPack: { templateIds: [noThreshold, over20] } },
    });
    expect(put.status, put.text).toBe(200);

    const first = await wechatMember({ brandId: brand.brandId });
    expect((await couponsOf(first.memberId)).map((c) => [c.template_id, c.source])).toEqual([
      [noThreshold, 'gift_pack'],
      [over20, 'gift_pack'],
    ]);
    const me = await call('/v1/members/me', { token: first.token });
    expect(me.json.availableCoupons).toBe(2);

    await wechatMember({ brandId: brand.brandId, openid: first.openid, unionid: first.unionid });
    expect(await couponsOf(first.memberId)).toHaveLength(2);

    expect((await call('/v1/members/me', { method: 'DELETE', token: first.token })).status).toBe(200);
    const again = await wechatMember({ brandId: brand.brandId, openid: first.openid, unionid: first.unionid });
    expect(again.memberId).not.toBe(first.memberId);
    expect(await couponsOf(again.memberId)).toEqual([]);
  });

  it('rules naming a template the brand does not have, or tiers out of order, are refused by path', async () => {
    const brand = await newBrand();
    const res = await call('/v1/admin/loyalty/rules', {
      method: 'PUT',
      token: brand.admin,
      body: {
        ...defaultLoyaltyRules,
        tiers: [defaultLoyaltyRules.tiers[0], defaultLoyaltyRules.tiers[2], defaultLoyaltyRules.tiers[1]],
        newMemberPack: { templateIds: ['ctp_nope'] },
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['tiers.2.minSpend', 'newMemberPack.templateIds.0']),
    );
    const bad = await call('/v1/admin/loyalty/rules', { method: 'PUT', token: brand.admin, body: { tiers: 'gold' } });
    expect(bad.status).toBe(422);
    expect((await call('/v1/admin/loyalty/rules', { token: brand.admin })).json).toEqual(defaultLoyaltyRules);
  });
});

describe('check-ins and the points dice', () => {
  it('checking in twice on one day pays once; the streak shows', async () => {
    // Both check-ins, today and yesterday as the test reckons them: all on one Shanghai day.
    await roomInHour();
    const brand = await newBrand();
    await useRules(brand.brandId, { checkIn: { rewards: [7, 9] } });
    const m = await wechatMember({ brandId: brand.brandId });
    const both = await Promise.all(
      [1, 2].map(() => call('/v1/members/me/check-ins', { method: 'POST', token: m.token })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const ok = both.find((r) => r.status === 201)!;
    expect(ok.json).toEqual({ day: localDay(Date.now(), 'Asia/Shanghai'), streak: 1, points: 7 });
    expect(both.find((r) => r.status === 409)!.json.code).toBe('checkin.done_today');
    expect((await ledgerOf(m.memberId)).map((e) => [e.kind, e.amount])).toEqual([['checkin', 7]]);

    // Yesterday's check-in continues the streak.
    const yesterday = localDay(Date.now() - 86_400_000, 'Asia/Shanghai');
    await env.DB.prepare('UPDATE member_loyalty SET last_checkin_day = ?, checkin_streak = 1 WHERE member_id = ?')
      .bind(yesterday, m.memberId)
      .run();
    await env.DB.prepare(`DELETE FROM game_plays WHERE member_id = ?`).bind(m.memberId).run();
    const next = await call('/v1/members/me/check-ins', { method: 'POST', token: m.token });
    expect(next.json).toMatchObject({ streak: 2, points: 9 });
  });

  it('five rolls at once against a daily limit of three: three roll, every roll is kept, the odds are published', async () => {
    // Rolls on either side of midnight would be two days' limits.
    await roomInHour();
    const brand = await newBrand();
    await useRules(brand.brandId, {
      dice: {
        dailyLimit: 3,
        costPoints: 0,
        faces: [
          { points: 5, weight: 3 },
          { points: 50, weight: 1 },
        ],
      },
    });
    const m = await wechatMember({ brandId: brand.brandId });
    const rolls = await Promise.all(
      Array.from({ length: 5 }, () => call('/v1/members/me/dice-rolls', { method: 'POST', token: m.token })),
    );
    const ok = rolls.filter((r) => r.status === 201);
    expect(ok).toHaveLength(3);
    expect(rolls.filter((r) => r.status === 409).map((r) => r.json.code)).toEqual([
      'dice.done_today',
      'dice.done_today',
    ]);
    expect(ok.map((r) => r.json.rollsLeft).sort()).toEqual([0, 1, 2]);
    const plays = await env.DB.prepare(`SELECT points FROM game_plays WHERE member_id = ? AND game = 'dice'`)
      .bind(m.memberId)
      .all<{ points: number }>();
    expect(plays.results).toHaveLength(3);
    const credited = (await ledgerOf(m.memberId)).filter((e) => e.kind === 'dice');
    expect(credited.map((e) => e.amount).sort()).toEqual(plays.results.map((p) => p.points).sort());

    const programme = await call('/v1/loyalty/programme', { token: m.token });
    expect(programme.json.dice.odds).toEqual({
      faces: [
        { points: 5, chancePercent: 75 },
        { points: 50, chancePercent: 25 },
      ],
      expectedPoints: 16.25,
    });
  });
});

describe('a paid roll', () => {
  it('a roll that costs points takes the cost and still pays the win', async () => {
    const brand = await newBrand();
    await useRules(brand.brandId, { dice: { dailyLimit: 1, costPoints: 5, faces: [{ points: 20, weight: 1 }] } });
    const m = await wechatMember({ brandId: brand.brandId });
    await givePoints({ memberId: m.memberId, brandId: brand.brandId }, 5);
    const roll = await call('/v1/members/me/dice-rolls', { method: 'POST', token: m.token });
    expect(roll.status, roll.text).toBe(201);
    expect(
      (await ledgerOf(m.memberId))
        .filter((e) => e.kind === 'dice')
        .map((e) => e.amount)
        .sort(),
    ).toEqual([-5, 20]);
    expect((await call('/v1/members/me/points', { token: m.token })).json.balance.available).toBe(20);
  });
});

describe('referrals', () => {
  const bind = (token: string, code: string, deviceId?: string) =>
    call('/v1/members/me/referral', { method: 'POST', token, body: { code, ...(deviceId ? { deviceId } : {}) } });

  it('self-referral, loops, a second code, a reused device and a regular guest are refused', async () => {
    const { storeId, staff } = await openStore();
    const a = await wechatMember();
    const b = await wechatMember();
    const c = await wechatMember();
    const regular = await wechatMember();
    const codeA = (await call('/v1/members/me/referral', { token: a.token, headers: { 'X-Device-Id': 'device-aaaa' } }))
      .json.code as string;
    const codeB = (await call('/v1/members/me/referral', { token: b.token })).json.code as string;

    expect((await bind(a.token, codeA)).json).toMatchObject({ status: 422, code: 'referral.refused', reason: 'self' });
    expect((await bind(b.token, codeA, 'device-bbbb')).status).toBe(201);
    expect((await bind(a.token, codeB)).json.reason).toBe('loop');
    expect((await bind(b.token, codeA)).json.reason).toBe('already_referred');
    expect((await bind(c.token, codeA, 'device-bbbb')).json.reason).toBe('device_used');
    expect((await bind(c.token, codeA, 'device-aaaa')).json.reason).toBe('device_used');
    await completedOrder(storeId, staff, regular.token, [potstickers(1)]);
    expect((await bind(regular.token, codeA)).json.reason).toBe('not_new');
    expect((await bind(c.token, 'NOSUCH99')).json).toMatchObject({ status: 404, code: 'referral.code_not_found' });
  });

  it("the referred guest's first completed paid order rewards both once, however often the event replays", async () => {
    const { storeId, staff } = await openStore();
    const inviter = await wechatMember();
    const guest = await wechatMember();
    const code = (await call('/v1/members/me/referral', { token: inviter.token })).json.code;
    expect((await bind(guest.token, code, `dev-${crypto.randomUUID()}`)).status).toBe(201);
    await completedOrder(storeId, staff, guest.token, [potstickers(1)]);
    await completedOrder(storeId, staff, guest.token, [potstickers(1)]);
    await flushEvents(storeId, 4);
    expect((await ledgerOf(inviter.memberId)).map((e) => [e.kind, e.amount])).toEqual([['referral', 100]]);
    expect((await ledgerOf(guest.memberId)).filter((e) => e.kind === 'referral').map((e) => e.amount)).toEqual([50]);
    const info = await call('/v1/members/me/referral', { token: inviter.token });
    expect(info.json).toMatchObject({ invited: 1, rewarded: 1, shareUrl: expect.stringContaining(code) });
    expect(info.json.poster.scene.length).toBeLessThanOrEqual(32);
  });

  it('when the referred first order is refunded in full, both referral rewards come back', async () => {
    const { storeId, staff, admin } = await openStore();
    const inviter = await wechatMember();
    const guest = await wechatMember();
    const code = (await call('/v1/members/me/referral', { token: inviter.token })).json.code;
    expect((await bind(guest.token, code, `dev-${crypto.randomUUID()}`)).status).toBe(201);
    const first = await completedOrder(storeId, staff, guest.token, [potstickers(1)]);
    const refund = await call(`/v1/orders/${first.id}/refunds`, {
      method: 'POST',
      token: admin,
      body: { reason: 'never arrived' },
    });
    expect(refund.status, refund.text).toBe(201);
    await flushEvents(storeId, 2);
    const net = async (memberId: string) =>
      (await ledgerOf(memberId))
        .filter((e) => e.kind === 'referral' || e.ref.startsWith('referral_reverse:'))
        .reduce((s, e) => s + e.amount, 0);
    expect(await net(inviter.memberId)).toBe(0);
    expect(await net(guest.memberId)).toBe(0);
  });

  it('"invite 3, get a free combo": the third rewarded invite issues the milestone coupon, once', async () => {
    const brand = await newBrand();
    const combo = await template(brand.admin, 'Free combo', { kind: 'free_item', itemId: 'itm_combo' });
    await useRules(brand.brandId, {
      referral: { inviterPoints: 10, inviteePoints: 5, milestones: [{ invites: 3, templateId: combo }] },
    });
    const inviter = await wechatMember({ brandId: brand.brandId });
    const code = (await call('/v1/members/me/referral', { token: inviter.token })).json.code;
    for (let i = 0; i < 3; i++) {
      const guest = await wechatMember({ brandId: brand.brandId });
      expect((await bind(guest.token, code)).status).toBe(201);
      await rewardReferral(env, { id: guest.memberId, brandId: brand.brandId }, `ord_${i}`, 1800);
      await rewardReferral(env, { id: guest.memberId, brandId: brand.brandId }, `ord_${i}`, 1800);
      const milestone = (await couponsOf(inviter.memberId)).filter((c) => c.source === 'referral');
      expect(milestone).toHaveLength(i === 2 ? 1 : 0);
    }
    expect((await ledgerOf(inviter.memberId)).map((e) => e.amount)).toEqual([10, 10, 10]);
  });
});

describe('reviews and birthdays', () => {
  it('reviewing a completed order earns the review points once; another member cannot review it', async () => {
    const { storeId, staff } = await openStore();
    const guest = await wechatMember();
    const other = await wechatMember();
    const order = await completedOrder(storeId, staff, guest.token, [potstickers(1)]);
    const review = (token: string) =>
      call('/v1/members/me/reviews', {
        method: 'POST',
        token,
        body: { orderId: order.id, rating: 5, text: 'crispy!' },
      });
    expect((await review(other.token)).status).toBe(422);
    const first = await review(guest.token);
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ rating: 5, points: 10 });
    expect((await review(guest.token)).json.code).toBe('review.exists');
    expect((await ledgerOf(guest.memberId)).filter((e) => e.kind === 'review').map((e) => e.amount)).toEqual([10]);
  });

  it('in the birthday week the tier gift arrives once, with a push, however often the cron runs', async () => {
    const brand = await newBrand();
    const cake = await template(brand.admin, 'Birthday cake', { kind: 'free_item', itemId: 'itm_cake' });
    const [bronze, ...rest] = defaultLoyaltyRules.tiers;
    await useRules(brand.brandId, {
      tiers: [{ ...bronze!, benefits: { ...bronze!.benefits, birthdayGiftTemplateId: cake } }, ...rest],
    });
    const m = await wechatMember({ brandId: brand.brandId });
    // The cron runs at the moment the birthday was taken from (a Sunday night's run a moment
    // later would be past the birthday week); born in a leap year, so 29 February is a date too.
    const now = Date.now();
    const today = localDay(now, 'Asia/Shanghai');
    const patched = await call('/v1/members/me', {
      method: 'PATCH',
      token: m.token,
      body: { birthday: `1992${today.slice(4)}` },
    });
    expect(patched.status, patched.text).toBe(200);
    await runNightly(now);
    await runNightly(now);
    expect((await couponsOf(m.memberId)).map((c) => c.source)).toEqual(['birthday']);
    const pushes = await env.DB.prepare(`SELECT template FROM notifications WHERE member_id = ?`)
      .bind(m.memberId)
      .all();
    expect(pushes.results).toEqual([{ template: 'birthday_gift' }]);
  });
});
