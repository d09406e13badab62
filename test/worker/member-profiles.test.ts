import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { recomputeProfiles } from '../../worker/profiles/profiles.service';
import { brandStore } from '../support/campaign-runs';
import { newBrand, openStore, potstickers, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { completedOrder, runNightly } from '../support/loyalty';
import {
  at,
  grantPersonalisation,
  mondayWeeksAgo,
  myProfile,
  profileRow,
  tasteMenu,
  tasteOrder,
} from '../support/profiles';

afterEach(() => vi.restoreAllMocks());

const DAY = 86_400_000;

/** A guest of a test brand with two weeks of lunches, a late delivery and a big Saturday dinner. */
async function regular(opts: { consent: boolean }) {
  const brand = await newBrand();
  const store = await brandStore(brand.admin, 'Shanghai');
  const menu = await tasteMenu(brand.admin);
  const guest = await wechatMember({ brandId: brand.brandId });
  const m = { memberId: guest.memberId, brandId: brand.brandId };
  const monday = mondayWeeksAgo(2);
  const { milkTea, friedChicken, salad } = menu;
  const line = (i: { itemId: string; name: string }, quantity: number) => ({ ...i, quantity });
  await tasteOrder(m, store, at(monday, 0, '12:30'), {
    total: 3500,
    lines: [line(milkTea, 1), line(friedChicken, 1)],
    couponIds: ['cpn_lunch'],
  });
  await tasteOrder(m, store, at(monday, 1, '12:15'), { total: 3000, lines: [line(milkTea, 2)] });
  await tasteOrder(m, store, at(monday, 2, '22:30'), {
    mode: 'delivery',
    total: 4500,
    lines: [line(friedChicken, 1)],
  });
  await tasteOrder(m, store, at(monday, 5, '18:30'), {
    mode: 'dine_in',
    total: 16_000,
    lines: [line(friedChicken, 2), line(milkTea, 3)],
  });
  await tasteOrder(m, store, at(monday, 7, '12:40'), { total: 1500, lines: [line(milkTea, 1)] });
  const last = at(monday, 10, '12:20');
  await tasteOrder(m, store, last, { total: 3000, lines: [line(salad, 1), line(milkTea, 1)] });
  if (opts.consent) await grantPersonalisation(guest.token);
  return { brand, store, menu, guest, m, last };
}

describe('a member profile, from the order history', () => {
  it('a fixed history gives the same profile every time: favourites, tastes, spending, scenes, visits', async () => {
    const { guest, menu, last } = await regular({ consent: true });
    const res = await myProfile(guest.token);
    expect(res.status, res.text).toBe(200);
    expect(res.json.reason).toBeNull();
    const p = res.json.profile;
    expect(p).toMatchObject({
      orders: 6,
      favouriteDishes: [
        { itemId: menu.milkTea.itemId, name: 'Brown sugar milk tea', count: 8 },
        { itemId: menu.friedChicken.itemId, name: 'Fried chicken', count: 4 },
        { itemId: menu.salad.itemId, name: 'Quinoa salad', count: 1 },
      ],
      favouriteCategories: [
        { name: 'Milk Tea', count: 8 },
        { name: 'Snacks', count: 4 },
        { name: 'Bowls', count: 1 },
      ],
      spending: { averageTicket: 5250, level: 'mid' },
      scenes: [
        { scene: 'weekday_lunch', share: 0.67 },
        { scene: 'late_night', share: 0.17 },
        { scene: 'weekend_family', share: 0.17 },
      ],
      mainScenes: ['weekday_lunch'],
      modes: { dine_in: 0.17, pickup: 0.67, delivery: 0.17 },
      priceSensitivity: 0.17,
      delivery: { share: 0.17, freeShare: 1, feeDeters: false },
      health: { friedShare: 0.31, lightShare: 0.08, leaning: 'fried' },
      medianIntervalDays: 2,
      exclusions: { tags: [], scenes: [] },
    });
    expect(p.tags.slice(0, 4)).toEqual([
      { tag: 'milk tea', count: 5 },
      { tag: 'sweet', count: 5 },
      { tag: 'fried', count: 3 },
      { tag: 'snacks', count: 3 },
    ]);
    expect(Date.parse(p.lastVisitAt)).toBe(last);
    expect(Date.parse(p.nextVisitAt)).toBe(last + 2 * DAY);
    expect(p.lastVisitAt).toMatch(/\+08:00$/);

    // Computed again (the nightly run, a replayed completion): the same facts.
    const before = (await profileRow(guest.memberId))!.detail;
    await runNightly(last + 1 * DAY);
    await recomputeProfiles(env, [guest.memberId]);
    expect((await profileRow(guest.memberId))!.detail).toBe(before);
  });

  it('without the personalisation consent nothing is computed or kept, and the member is told why', async () => {
    const { guest, last } = await regular({ consent: false });
    await runNightly(last + DAY);
    expect(await profileRow(guest.memberId)).toBeNull();
    const res = await myProfile(guest.token);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ profile: null, reason: 'no_consent' });
    expect(await profileRow(guest.memberId)).toBeNull();
    const edit = await call('/v1/members/me/profile', {
      method: 'PATCH',
      token: guest.token,
      body: { exclusions: { tags: ['sweet'] } },
    });
    expect(edit.status).toBe(409);
    expect(edit.json.code).toBe('member.personalisation_off');
  });

  it('a completed order refreshes the profile of a consenting member (the events consumer)', async () => {
    const { storeId, staff } = await openStore();
    const guest = await wechatMember();
    await grantPersonalisation(guest.token);
    await completedOrder(storeId, staff, guest.token, [potstickers(2)]);
    const p = (await myProfile(guest.token)).json.profile;
    expect(p.orders).toBe(1);
    expect(p.favouriteDishes[0]).toMatchObject({ itemId: 'itm_potstickers', count: 2 });
  });

  it('the nightly run picks up members with recent orders', async () => {
    const { guest, m, store, menu, last } = await regular({ consent: true });
    const now = Date.now();
    await tasteOrder(m, store, now - 3_600_000, { total: 2000, lines: [{ ...menu.salad, quantity: 4 }] });
    await runNightly(now);
    const p = (await myProfile(guest.token)).json.profile;
    expect(p.orders).toBe(7);
    expect(Date.parse(p.lastVisitAt)).toBeGreaterThan(last);
  });
});

describe('the member decides', () => {
  it('excluded tags and scenes stay out, also when the nightly run recomputes', async () => {
    const { guest, m, store, menu } = await regular({ consent: true });
    const edit = await call('/v1/members/me/profile', {
      method: 'PATCH',
      token: guest.token,
      body: { exclusions: { tags: ['Milk Tea'], scenes: ['weekday_lunch'] } },
    });
    expect(edit.status, edit.text).toBe(200);
    expect(edit.json.exclusions).toEqual({ tags: ['milk tea'], scenes: ['weekday_lunch'] });
    const tagsOf = (p: { tags: { tag: string }[] }) => p.tags.map((t) => t.tag);
    expect(tagsOf(edit.json)).not.toContain('milk tea');
    expect(edit.json.mainScenes).toEqual([]);
    expect(edit.json.scenes.map((s: { scene: string }) => s.scene)).not.toContain('weekday_lunch');

    const now = Date.now();
    await tasteOrder(m, store, now - 3_600_000, { total: 2000, lines: [{ ...menu.milkTea, quantity: 1 }] });
    await runNightly(now);
    const row = await profileRow(guest.memberId);
    expect(JSON.parse(row!.tags as string)).not.toContain('milk tea');
    expect(JSON.parse(row!.scenes as string)).not.toContain('weekday_lunch');
    expect(JSON.parse(row!.detail as string).orders).toBe(7);
  });

  it('withdrawing the consent deletes the profile; granting it again starts a new one', async () => {
    const { guest } = await regular({ consent: true });
    expect(await profileRow(guest.memberId)).not.toBeNull();
    await grantPersonalisation(guest.token, false);
    expect(await profileRow(guest.memberId)).toBeNull();
    await grantPersonalisation(guest.token, true);
    expect(await profileRow(guest.memberId)).not.toBeNull();
  });

  it('DELETE erases the profile and withdraws the consent, so the nightly run does not rebuild it', async () => {
    const { guest, m, store, menu } = await regular({ consent: true });
    const res = await call('/v1/members/me/profile', { method: 'DELETE', token: guest.token });
    expect(res.status).toBe(204);
    expect(await profileRow(guest.memberId)).toBeNull();
    const now = Date.now();
    await tasteOrder(m, store, now - 3_600_000, { total: 2000, lines: [{ ...menu.milkTea, quantity: 1 }] });
    await runNightly(now);
    expect(await profileRow(guest.memberId)).toBeNull();
    expect((await myProfile(guest.token)).json.reason).toBe('no_consent');
  });

  it('the export holds the profile, and erasure removes it', async () => {
    const { guest } = await regular({ consent: true });
    const exported = await call('/v1/members/me/export', { token: guest.token });
    expect(exported.status, exported.text).toBe(200);
    expect(exported.json.profile).toMatchObject({
      member_id: guest.memberId,
      spending_level: 'mid',
      detail: { orders: 6, mainScenes: ['weekday_lunch'] },
      exclusions: { tags: [], scenes: [] },
    });
    const erased = await call('/v1/members/me', { method: 'DELETE', token: guest.token });
    expect(erased.status, erased.text).toBe(200);
    expect(await profileRow(guest.memberId)).toBeNull();
  });
});
