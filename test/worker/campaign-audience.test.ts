import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localTime } from '../../domain/zoned-time';
import { brandStore, hourlyAndIssue } from '../support/campaign-runs';
import { campaign, captureQueue, couponsOf, couponTemplate, deliverTo } from '../support/campaigns';
import { newBrand, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { runNightly } from '../support/loyalty';
import { patch } from '../support/members';
import { grantPersonalisation, tasteMenu, tasteOrder } from '../support/profiles';

afterEach(() => vi.restoreAllMocks());

const DAY = 86_400_000;
type Dish = { itemId: string; name: string };

/** A test brand with its menu, and a way to make guests with a taste (recent orders) and a consent or not. */
async function tasteBrand() {
  const brand = await newBrand();
  const store = await brandStore(brand.admin, 'Shanghai');
  const menu = await tasteMenu(brand.admin);
  const now = Date.now();
  async function guest(dish: Dish, o: { quantity?: number; total: number; orders?: number; consent: boolean }) {
    const g = await wechatMember({ brandId: brand.brandId });
    for (let i = 0; i < (o.orders ?? 2); i++) {
      await tasteOrder({ memberId: g.memberId, brandId: brand.brandId }, store, now - (i * 5 + 1) * DAY, {
        total: o.total,
        lines: [{ ...dish, quantity: o.quantity ?? 1 }],
      });
    }
    if (o.consent) await grantPersonalisation(g.token);
    return g;
  }
  return { brand, store, menu, now, guest };
}

async function manualRun(admin: string, campaignId: string, memberIds: string[]) {
  const sent = captureQueue(env.COUPONS_QUEUE);
  captureQueue(env.NOTIFY_QUEUE);
  const run = await call(`/v1/admin/campaigns/${campaignId}/runs`, {
    method: 'POST',
    token: admin,
    body: { memberIds },
  });
  expect(run.status, run.text).toBe(202);
  await deliverTo('tiffin-coupons', sent);
  await deliverTo('tiffin-coupons', sent);
  return run.json as { targeted: number; heldOut: number };
}

describe('campaign audiences over profiles and segments', () => {
  it('AND/OR: big-spending milk-tea lovers or fried-food regulars get the combo, exactly they', async () => {
    const { brand, menu, guest } = await tasteBrand();
    const combo = await couponTemplate(brand.admin, 'Milk tea + dessert combo');
    const audience = { any: [{ all: [{ tag: 'milk-tea' }, { spendingLevel: 'high' }] }, { healthLeaning: 'fried' }] };
    const c = await campaign(brand.admin, { templateId: combo, config: { kind: 'manual' }, audience });
    expect(c).toMatchObject({ audience });

    const teaHigh = await guest(menu.milkTea, { quantity: 6, total: 9000, consent: true });
    const teaLow = await guest(menu.milkTea, { total: 1500, consent: true });
    const fried = await guest(menu.friedChicken, { total: 2000, orders: 3, consent: true });
    const salad = await guest(menu.salad, { quantity: 6, total: 9000, consent: true });
    const teaHighNoConsent = await guest(menu.milkTea, { quantity: 6, total: 9000, consent: false });
    const everyone = [teaHigh, teaLow, fried, salad, teaHighNoConsent];

    const run = await manualRun(
      brand.admin,
      c.id,
      everyone.map((g) => g.memberId),
    );
    expect(run).toMatchObject({ targeted: 2, heldOut: 0 });
    const got = async (g: { memberId: string }) => (await couponsOf(g.memberId)).map((x) => x.template_id);
    expect(await got(teaHigh)).toEqual([combo]);
    expect(await got(fried)).toEqual([combo]);
    for (const g of [teaLow, salad, teaHighNoConsent]) expect(await got(g)).toEqual([]);
  });

  it('the consumer checks the audience again: a member who withdrew consent after the run was queued gets nothing', async () => {
    const { brand, menu, guest } = await tasteBrand();
    const light = await couponTemplate(brand.admin, 'Try our light bowls');
    const c = await campaign(brand.admin, {
      templateId: light,
      config: { kind: 'manual' },
      audience: { healthLeaning: 'fried' },
    });
    const stays = await guest(menu.friedChicken, { total: 2000, orders: 3, consent: true });
    const leaves = await guest(menu.friedChicken, { total: 2000, orders: 3, consent: true });
    const sent = captureQueue(env.COUPONS_QUEUE);
    captureQueue(env.NOTIFY_QUEUE);
    const run = await call(`/v1/admin/campaigns/${c.id}/runs`, {
      method: 'POST',
      token: brand.admin,
      body: { memberIds: [stays.memberId, leaves.memberId] },
    });
    expect(run.json.targeted).toBe(2);
    await grantPersonalisation(leaves.token, false);
    await deliverTo('tiffin-coupons', sent);
    expect(await couponsOf(stays.memberId)).toHaveLength(1);
    expect(await couponsOf(leaves.memberId)).toEqual([]);
    const reason = await env.DB.prepare(
      'SELECT status, reason FROM campaign_targets WHERE campaign_id = ? AND member_id = ?',
    )
      .bind(c.id, leaves.memberId)
      .first<{ status: string; reason: string }>();
    expect(reason).toMatchObject({ status: 'refused', reason: expect.stringMatching(/outside the audience/) });
  });

  it('a segment campaign with a tag audience: only the high-value milk-tea lovers who consented', async () => {
    const { brand, menu, guest, now } = await tasteBrand();
    const combo = await couponTemplate(brand.admin, 'Milk tea + dessert combo');
    await campaign(brand.admin, {
      templateId: combo,
      config: { kind: 'segment', segment: 'high_value', every: 'once' },
      audience: { tag: 'milk tea' },
    });
    // And one on the segment alone: RFM segments need no personalisation consent.
    const thanks = await couponTemplate(brand.admin, 'VIP thanks');
    const vip = await campaign(brand.admin, {
      templateId: thanks,
      config: { kind: 'manual' },
      audience: { all: [{ segment: 'high_value' }] },
    });
    const fan = await guest(menu.milkTea, { total: 2000, orders: 3, consent: true });
    const fanNoConsent = await guest(menu.milkTea, { total: 2000, orders: 3, consent: false });
    const friedFan = await guest(menu.friedChicken, { total: 2000, orders: 3, consent: true });
    const occasional = await guest(menu.milkTea, { total: 2000, orders: 1, consent: true });
    await runNightly(now);
    await hourlyAndIssue(now);
    expect((await couponsOf(fan.memberId)).map((x) => x.template_id)).toEqual([combo]);
    for (const g of [fanNoConsent, friedFan, occasional]) expect(await couponsOf(g.memberId)).toEqual([]);

    await manualRun(
      brand.admin,
      vip.id,
      [fan, fanNoConsent, friedFan, occasional].map((g) => g.memberId),
    );
    const got = async (g: { memberId: string }) =>
      (await couponsOf(g.memberId)).filter((x) => x.template_id === thanks).length;
    expect([await got(fan), await got(fanNoConsent), await got(friedFan), await got(occasional)]).toEqual([1, 1, 1, 0]);
  });

  it('a birthday gift follows the guest’s taste, the default template otherwise', async () => {
    const { brand, menu, guest, now } = await tasteBrand();
    const cake = await couponTemplate(brand.admin, 'Birthday cake');
    const teaGift = await couponTemplate(brand.admin, 'Birthday milk tea');
    await campaign(brand.admin, {
      templateId: cake,
      config: { kind: 'birthday', byTag: [{ tag: 'milk tea', templateId: teaGift }] },
    });
    const today = localTime(now, 'Asia/Shanghai');
    // 28 years back is a leap year when this one is: a 29 February today is a birthday too.
    const birthday = `${today.year - 28}-${String(today.month).padStart(2, '0')}-${String(today.day).padStart(2, '0')}`;
    const teaLover = await guest(menu.milkTea, { total: 2000, consent: true });
    const noConsent = await guest(menu.milkTea, { total: 2000, consent: false });
    const friedFan = await guest(menu.friedChicken, { total: 2000, consent: true });
    for (const g of [teaLover, noConsent, friedFan]) expect((await patch(g.token, { birthday })).status).toBe(200);
    await hourlyAndIssue(now);
    expect((await couponsOf(teaLover.memberId)).map((x) => x.template_id)).toEqual([teaGift]);
    expect((await couponsOf(noConsent.memberId)).map((x) => x.template_id)).toEqual([cake]);
    expect((await couponsOf(friedFan.memberId)).map((x) => x.template_id)).toEqual([cake]);
  });

  it('an admin changes the audience, or clears it to reach everyone the run names', async () => {
    const { brand, menu, guest } = await tasteBrand();
    const t = await couponTemplate(brand.admin, 'Spicy week');
    const c = await campaign(brand.admin, { templateId: t, config: { kind: 'manual' }, audience: { tag: 'spicy' } });
    const tea = await guest(menu.milkTea, { total: 2000, consent: true });
    expect((await manualRun(brand.admin, c.id, [tea.memberId])).targeted).toBe(0);
    const cleared = await call(`/v1/admin/campaigns/${c.id}`, {
      method: 'PATCH',
      token: brand.admin,
      body: { audience: null },
    });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.audience).toBeNull();
    expect((await manualRun(brand.admin, c.id, [tea.memberId])).targeted).toBe(1);
    expect(await couponsOf(tea.memberId)).toHaveLength(1);
    const set = await call(`/v1/admin/campaigns/${c.id}`, {
      method: 'PATCH',
      token: brand.admin,
      body: { audience: { any: [{ tag: 'sweet' }] } },
    });
    expect(set.json.audience).toEqual({ any: [{ tag: 'sweet' }] });
  });

  it('an audience nested three levels deep, or naming an unknown scene, is refused', async () => {
    const brand = await newBrand();
    const t = await couponTemplate(brand.admin);
    const deep = { any: [{ all: [{ any: [{ tag: 'spicy' }] }] }] };
    for (const audience of [deep, { scene: 'brunch' }]) {
      const res = await call('/v1/admin/campaigns', {
        method: 'POST',
        token: brand.admin,
        body: { name: 'Too deep', templateId: t, config: { kind: 'manual' }, audience },
      });
      expect(res.status).toBe(422);
    }
  });
});
