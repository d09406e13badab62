import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DailyForecast } from '../../domain/campaigns/weather';
import { DAY } from '../../domain/time';
import { overrideWeatherAdapter } from '../../worker/campaigns/weather.registry';
import { roomInWindow } from '../support/clock-windows';
import { openStore, unique, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { runJobs } from '../support/invoices';

/*
 * The guest's story: a regular of the brand opens the app at a store and sees what they
 * usually have, what goes with it and what suits the weather and the hour; a guest who did
 * not allow personalisation, or has no account, sees what the store sells most right now.
 */

const mild: DailyForecast = {
  date: '2026-12-03',
  precipitationMm: 0,
  precipitationProbability: 10,
  tempMaxC: 18,
  tempMinC: 11,
  weatherCode: 1,
};
const rainy: DailyForecast = { ...mild, precipitationMm: 12, precipitationProbability: 90, weatherCode: 63 };

function forecast(f: DailyForecast) {
  const asked: number[] = [];
  overrideWeatherAdapter({
    async today(lat) {
      asked.push(lat);
      return f;
    },
  });
  return asked;
}

afterEach(() => {
  overrideWeatherAdapter(undefined);
  vi.useRealTimers();
});

/** The next 15:00 in Shanghai from now: an afternoon, out of breakfast, late night and the weekday lunch set. */
function nextAfternoon(now = Date.now()): number {
  const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
  const today = Date.parse(`${day}T15:00:00+08:00`);
  return today > now ? today : today + DAY;
}

let n = 0;
/** A completed order in history with its dishes, as the events consumer writes it. */
async function completed(storeId: string, memberId: string | null, itemIds: string[], at: number, localHour: number) {
  const body = { lines: itemIds.map((itemId, i) => ({ index: i, itemId, name: itemId, quantity: 1 })) };
  // As the store writes it: the local hour with its business day (Shanghai, the day starting at midnight).
  const businessDay = new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
  await env.DB.prepare(
    `INSERT INTO order_history (id, brand_id, store_id, member_id, ticket_no, mode, status, total, body, last_seq,
       created_at, updated_at, business_day, local_hour)
     VALUES (?, 'brd_demo', ?, ?, 'A001', 'pickup', 'completed', 2000, ?, 1, ?, ?, ?, ?)`,
  )
    .bind(`ord_rec_${n++}_${unique('o')}`, storeId, memberId, JSON.stringify(body), at, at, businessDay, localHour)
    .run();
}

async function consent(token: string, granted: boolean) {
  const res = await call('/v1/members/me/consents/personalisation', {
    method: 'PUT',
    token,
    body: { granted, text: '我同意根据我的点单记录为我推荐' },
  });
  expect(res.status, res.text).toBe(200);
}

const recommendations = (storeId: string, token?: string) =>
  call(`/v1/members/me/recommendations?storeId=${storeId}`, { token });

const reasons = (json: { items: { itemId: string; reason: { code: string; text: string } }[] }) =>
  json.items.map((i) => [i.itemId, i.reason.code, i.reason.text]);

let store: Awaited<ReturnType<typeof openStore>>;
let regular: Awaited<ReturnType<typeof wechatMember>>;
let private_: Awaited<ReturnType<typeof wechatMember>>;

beforeAll(async () => {
  store = await openStore();
  regular = await wechatMember();
  private_ = await wechatMember();
  const yesterday = Date.now() - DAY;
  // The store's afternoons: beef noodles with milk tea, beef noodles with potstickers, dan dan with plum juice.
  for (let i = 0; i < 6; i++) await completed(store.storeId, null, ['itm_beefnoodle', 'itm_milktea'], yesterday, 15);
  for (let i = 0; i < 4; i++)
    await completed(store.storeId, null, ['itm_beefnoodle', 'itm_potstickers'], yesterday, 15);
  for (let i = 0; i < 3; i++) await completed(store.storeId, null, ['itm_dandan', 'itm_plumjuice'], yesterday, 15);
  // Both members' habit, kept at another store's breakfast: beef noodles, and soy milk with a fried dough stick.
  for (const m of [regular, private_]) {
    await completed('sto_demo_peoplesq', m.memberId, ['itm_beefnoodle'], yesterday - DAY, 9);
    await completed('sto_demo_peoplesq', m.memberId, ['itm_beefnoodle', 'itm_soymilk_youtiao'], yesterday, 9);
    await completed('sto_demo_peoplesq', m.memberId, ['itm_soymilk_youtiao'], yesterday, 9);
  }
  await consent(regular.token, true);
  // The nightly statistics, run twice: the second run rewrites the same rows.
  await runJobs([{ job: 'recommend.stats', at: Date.now() }], 2);
});

describe('recommendations for a member who allowed personalisation', () => {
  it('a fixed history, weather and time give exactly these dishes and reasons', async () => {
    forecast(mild);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(nextAfternoon());
    const first = await recommendations(store.storeId, regular.token);
    expect(first.status, first.text).toBe(200);
    expect(first.json.strategy).toBe('blend');
    expect(reasons(first.json)).toEqual([
      ['itm_beefnoodle', 'favourite', '你常点的'],
      ['itm_milktea', 'goes_with', '配红烧牛肉面刚好'],
      ['itm_potstickers', 'goes_with', '配红烧牛肉面刚好'],
      ['itm_dandan', 'popular', '这个时段大家都在点'],
      ['itm_plumjuice', 'popular', '这个时段大家都在点'],
      ['itm_xiaolongbao', 'popular', '本店推荐'],
    ]);
    expect(first.json.combos).toEqual([
      {
        itemIds: ['itm_beefnoodle', 'itm_milktea'],
        score: 1.429,
        reason: { code: 'goes_with', text: '珍珠奶茶配红烧牛肉面刚好' },
      },
    ]);
    // The breakfast favourite is out of its daypart at 15:00.
    expect(JSON.stringify(first.json)).not.toContain('itm_soymilk_youtiao');
    const again = await recommendations(store.storeId, regular.token);
    expect(again.json).toEqual(first.json);
  });

  it('rainy weather at the store brings a hot drink with its reason, and a hot drink with a snack', async () => {
    const asked = forecast(rainy);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(nextAfternoon());
    const res = await recommendations(store.storeId, regular.token);
    expect(res.status, res.text).toBe(200);
    expect(asked.length).toBe(1);
    expect(res.json.items).toContainEqual(
      expect.objectContaining({ reason: { code: 'weather', text: '下雨了，来杯热饮' } }),
    );
    expect(res.json.combos).toContainEqual(
      expect.objectContaining({ reason: { code: 'weather', text: '下雨了，热饮配小吃' } }),
    );
  });

  it('an experiment can switch a member to the popular strategy', async () => {
    const asked = forecast(rainy);
    const res = await call(`/v1/members/me/recommendations?storeId=${store.storeId}&strategy=popular`, {
      token: regular.token,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.strategy).toBe('popular');
    expect(new Set(res.json.items.map((i: { reason: { code: string } }) => i.reason.code))).toEqual(
      new Set(['popular']),
    );
    expect(asked).toEqual([]);
  });

  it('a sold-out dish or one out of its daypart is never recommended, even a favourite', async () => {
    // The count of 0 is the business day's (it turns on an hour), and the recommendations are checked
    // against the menu read beside them (dayparts turn on a whole minute): all in one minute.
    await roomInWindow(15_000);
    forecast(mild);
    const sold = await call(`/v1/stores/${store.storeId}/stock/itm_beefnoodle`, {
      method: 'PUT',
      token: store.staff,
      body: { count: 0 },
    });
    expect(sold.status, sold.text).toBe(200);
    try {
      const [res, menu] = await Promise.all([
        recommendations(store.storeId, regular.token),
        call(`/v1/stores/${store.storeId}/menu`),
      ]);
      expect(res.status, res.text).toBe(200);
      const offered = [
        ...res.json.items.map((i: { itemId: string }) => i.itemId),
        ...res.json.combos.flatMap((c: { itemIds: string[] }) => c.itemIds),
      ];
      expect(offered).not.toContain('itm_beefnoodle');
      const available = new Set(
        menu.json.categories.flatMap((c: { items: { id: string; available: boolean }[] }) =>
          c.items.filter((i) => i.available).map((i) => i.id),
        ),
      );
      for (const id of offered) expect(available.has(id), `${id} is orderable now`).toBe(true);
    } finally {
      await call(`/v1/stores/${store.storeId}/stock/itm_beefnoodle`, {
        method: 'PUT',
        token: store.staff,
        body: { count: null },
      });
    }
  });
});

describe('the nightly statistics', () => {
  it('keep a few partners per dish and popular dishes per hour band, the same rows on every run', async () => {
    const pairs = () =>
      env.DB.prepare(
        "SELECT item_id, partner_id, orders, permille FROM item_pairs WHERE brand_id = 'brd_demo' ORDER BY item_id, partner_id",
      ).all();
    const before = (await pairs()).results;
    expect(before).toContainEqual({ item_id: 'itm_beefnoodle', partner_id: 'itm_milktea', orders: 6, permille: 429 });
    await runJobs([{ job: 'recommend.stats', at: Date.now() }]);
    expect((await pairs()).results).toEqual(before);
    const popular = await env.DB.prepare(
      'SELECT band, item_id, orders FROM item_popularity WHERE store_id = ? ORDER BY orders DESC, item_id',
    )
      .bind(store.storeId)
      .all();
    expect(popular.results.slice(0, 2)).toEqual([
      { band: 'afternoon', item_id: 'itm_beefnoodle', orders: 10 },
      { band: 'afternoon', item_id: 'itm_milktea', orders: 6 },
    ]);
  });
});

describe('guests who are not known', () => {
  it('a member without the personalisation consent gets popular-now only, and no forecast is asked', async () => {
    const asked = forecast(rainy);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(nextAfternoon());
    const res = await recommendations(store.storeId, private_.token);
    expect(res.status, res.text).toBe(200);
    expect(res.json.strategy).toBe('popular');
    expect(res.json.items.every((i: { reason: { code: string } }) => i.reason.code === 'popular')).toBe(true);
    expect(res.json.items.slice(0, 3).map((i: { itemId: string }) => i.itemId)).toEqual([
      'itm_beefnoodle',
      'itm_milktea',
      'itm_potstickers',
    ]);
    expect(asked).toEqual([]);
  });

  it('a token revoked by signing out everywhere is refused', async () => {
    const m = await wechatMember();
    expect((await call('/v1/members/me/logout-all', { method: 'POST', token: m.token })).status).toBe(204);
    const res = await recommendations(store.storeId, m.token);
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('auth.token_revoked');
  });

  it('a consent granted and then withdrawn counts as withdrawn (the latest decision wins)', async () => {
    const m = await wechatMember();
    await consent(m.token, true);
    await consent(m.token, false);
    const res = await recommendations(store.storeId, m.token);
    expect(res.json.strategy).toBe('popular');
  });

  it('an anonymous guest gets what the store sells most at this hour, with the pair bought together', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(nextAfternoon());
    const res = await call(`/v1/stores/${store.storeId}/recommendations`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.strategy).toBe('popular');
    expect(reasons(res.json).slice(0, 3)).toEqual([
      ['itm_beefnoodle', 'popular', '这个时段大家都在点'],
      ['itm_milktea', 'popular', '这个时段大家都在点'],
      ['itm_potstickers', 'popular', '这个时段大家都在点'],
    ]);
    expect(res.json.combos).toEqual([
      // 6 of the brand's 14 beef noodle orders had a milk tea: 1 (the top dish) + 0.429.
      { itemIds: ['itm_beefnoodle', 'itm_milktea'], score: 1.429, reason: { code: 'popular', text: '大家常一起点' } },
    ]);
    // The member route needs a token: anonymous guests are pointed at the store's list.
    expect((await recommendations(store.storeId)).status).toBe(401);
  });

  it("a new store with no orders yet shows what the brand's stores sell most at this hour", async () => {
    const fresh = await openStore();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(nextAfternoon());
    const res = await call(`/v1/stores/${fresh.storeId}/recommendations`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.slice(0, 2).map((i: { itemId: string }) => i.itemId)).toEqual([
      'itm_beefnoodle',
      'itm_milktea',
    ]);
  });

  it('an unknown store is a 404 problem, a missing storeId a 422', async () => {
    const unknown = await recommendations('sto_nowhere', regular.token);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.json.code).toBe('store.not_found');
    expect((await call('/v1/stores/sto_nowhere/recommendations')).json.code).toBe('store.not_found');
    const missing = await call('/v1/members/me/recommendations', { token: regular.token });
    expect(missing.status).toBe(422);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
