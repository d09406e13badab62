import { beforeAll, describe, expect, it } from 'vitest';
import { kpiStory, PERIOD } from '../support/analytics-story';
import type { Json } from '../support/fixtures';
import { call } from '../support/http';

/*
 * An owner of two stores reads two days of KPIs. Every expected number is worked out by hand
 * from the story in test/support/analytics-story.ts.
 */

let story: Awaited<ReturnType<typeof kpiStory>>;
beforeAll(async () => {
  story = await kpiStory();
});

async function report(path: string, query = PERIOD): Promise<Json> {
  const res = await call(`/v1/admin/analytics/${path}?${query}`, { token: story.admin });
  expect(res.status, res.text).toBe(200);
  return res.json;
}

describe('the owner’s summary of both stores', () => {
  it('adds up revenue, refunds and guests, with averages over paid orders and covers', async () => {
    const s = await report('summary');
    expect(s).toMatchObject({ from: '2026-11-02', to: '2026-11-03', stores: [story.a, story.b].sort() });
    // ¥100 + ¥40 + ¥60 = ¥200; the ¥30 refund (made Tuesday) counts on Monday, in the period.
    expect(s).toMatchObject({ revenue: 20_000, refunds: 3_000, netRevenue: 17_000, orders: 6, guests: 9 });
    expect(s.averageOrderValue).toBe(2_833); // 17000 / 6 = 2833.33
    expect(s.averagePerGuest).toBe(1_889); // 17000 / 9 = 1888.9
    expect(s.discountTotal).toBe(500);
  });

  it('counts table turnover both ways over tables × days (pickup-only Xuhui has no tables)', async () => {
    const s = await report('summary');
    // 4 seatings over 2 tables × 2 days: 1 turn; 翻台率 (4 − 4) ÷ 4 = 0; (60+45+90+50) ÷ 4 = 61.25 min.
    expect(s.tableTurnover).toEqual({ seatings: 4, tables: 4, turns: 1, fantaiRate: 0, averageTurnMinutes: 61.3 });
  });

  it('member figures: day-dedup repurchase, brand-wide activity, points and coupons', async () => {
    const s = await report('summary');
    // Buyers 10-05…11-03: k1 (2 days), k2, k3 (2 days, 2 stores), k4 (3 days), k6 (2 stores, 1 day).
    expect(s.activeMembers).toBe(5);
    expect(s.repurchaseRate30d).toBe(0.6); // k1, k3, k4 of 5
    // k4 alone bought on 3 days; 6 members by 11-03 (k7 erased, k8 joined later).
    expect(s.memberActivityRate).toBe(0.1667);
    expect(s.pointsConsumptionRate).toBe(0.6); // (600 + 300) ÷ (1000 + 500)
    expect(s.couponRedemptionRate).toBe(0.3);
    expect(s.newMembers).toBe(3);
    expect(s.targets).toEqual({ repurchaseRate30d: 0.4, memberActivityRate: 0.5, pointsConsumptionRate: 0.6 });
  });

  it('narrowed to Jing’an, only its sales and its buyers count', async () => {
    const s = await report('summary', `${PERIOD}&storeId=${story.a}`);
    expect(s).toMatchObject({ stores: [story.a], netRevenue: 11_000, orders: 4, averageOrderValue: 2_750 });
    expect(s).toMatchObject({ activeMembers: 4, repurchaseRate30d: 0.25 }); // k1 of k1, k2, k3, k6
    expect(s.memberActivityRate).toBe(0.1667); // brand-wide whatever the stores
  });

  it('storeId may repeat', async () => {
    const s = await report('summary', `${PERIOD}&storeId=${story.a}&storeId=${story.b}`);
    expect(s.netRevenue).toBe(17_000);
  });
});

describe('day by day', () => {
  it('one row per store per day, a quiet day a zero row, a refund on its order’s day', async () => {
    const d = await report('daily');
    expect(d.items).toHaveLength(4);
    const row = (storeId: string, day: string) => d.items.find((r: Json) => r.storeId === storeId && r.day === day);
    expect(row(story.a, '2026-11-02')).toMatchObject({
      revenue: 10_000,
      refunds: 3_000,
      netRevenue: 7_000,
      averageOrderValue: 2_333,
      tableTurnover: { seatings: 3, tables: 2, turns: 1.5, fantaiRate: 0.5, averageTurnMinutes: 65 },
      repurchaseRate30d: 0.5, // 10-04…11-02 at Jing’an: k1 (2 days), k6 (1)
      activeMembers: 2,
      newMembers: 2,
      pointsConsumptionRate: 0.6,
    });
    expect(row(story.b, '2026-11-02')).toMatchObject({ activeMembers: 3, repurchaseRate30d: 0.3333 });
    expect(row(story.a, '2026-11-03')).toMatchObject({
      activeMembers: 4, // k1, k2, k3, k6 in 10-05…11-03 at Jing’an; k1 came back
      repurchaseRate30d: 0.25,
      memberActivityRate: 0.1667,
      netRevenue: 4_000,
      tableTurnover: { turns: 0.5, fantaiRate: 0 },
      pointsConsumptionRate: 0.6,
    });
    expect(row(story.b, '2026-11-03')).toMatchObject({
      revenue: 0,
      orders: 0,
      averageOrderValue: null,
      tableTurnover: { turns: null },
      repurchaseRate30d: 0.3333, // at Xuhui: k3, k4 (3 days), k6
      memberActivityRate: 0.1667,
    });
  });
});

describe('dishes, hours and stores', () => {
  it('ranks dishes by revenue across stores with their share and refunds', async () => {
    const { items } = await report('items');
    expect(items.map((i: Json) => i.itemId)).toEqual(['itm_noodles', 'itm_dumplings', 'itm_tea']);
    expect(items[0]).toEqual({
      itemId: 'itm_noodles',
      name: 'Beef noodles',
      rank: 1,
      quantity: 7,
      revenue: 10_500,
      share: 0.6563, // 10500 ÷ 16000
      refunds: 3_000,
      refundQuantity: 2,
      averageRating: null,
    });
    expect(items[2]).toMatchObject({ rank: 3, share: 0.0938 });
  });

  it('lays orders on a weekday × hour grid from the business day', async () => {
    const { cells } = await report('hours');
    expect(cells).toHaveLength(7 * 24);
    const cell = (weekday: number, hour: number) => cells.find((c: Json) => c.weekday === weekday && c.hour === hour);
    expect(cell(1, 12)).toEqual({ weekday: 1, hour: 12, orders: 4, revenue: 14_000 });
    expect(cell(1, 19)).toMatchObject({ orders: 1, revenue: 2_000 });
    expect(cell(2, 12)).toMatchObject({ orders: 1, revenue: 4_000 });
    expect(cells.reduce((n: number, c: Json) => n + c.orders, 0)).toBe(6);
  });

  it('compares stores against the previous two days', async () => {
    const s = await report('stores');
    expect(s.previous).toEqual({ from: '2026-10-31', to: '2026-11-01' });
    expect(s.items).toEqual([
      {
        storeId: story.a,
        name: 'Jing’an',
        rank: 1,
        netRevenue: 11_000,
        orders: 4,
        averageOrderValue: 2_750,
        repurchaseRate30d: 0.25,
        change: { netRevenue: 1.2, orders: 1, averageOrderValue: 0.1 }, // from ¥50 over 2 orders
      },
      {
        storeId: story.b,
        name: 'Xuhui',
        rank: 2,
        netRevenue: 6_000,
        orders: 2,
        averageOrderValue: 3_000,
        repurchaseRate30d: 0.3333,
        change: { netRevenue: null, orders: null, averageOrderValue: null },
      },
    ]);
  });
});

describe('targets', () => {
  it('an admin sets the brand’s targets and the summary measures against them', async () => {
    const body = { repurchaseRate30d: 0.35, memberActivityRate: 0.45, pointsConsumptionRate: 0.7 };
    const put = await call('/v1/admin/analytics/targets', { method: 'PUT', token: story.admin, body });
    expect(put.status, put.text).toBe(200);
    expect(put.json).toEqual(body);
    expect((await call('/v1/admin/analytics/targets', { token: story.admin })).json).toEqual(body);
    expect((await report('summary')).targets).toEqual(body);
  });

  it('a target above 100 % is refused', async () => {
    const body = { repurchaseRate30d: 1.5, memberActivityRate: 0.45, pointsConsumptionRate: 0.7 };
    const res = await call('/v1/admin/analytics/targets', { method: 'PUT', token: story.admin, body });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe('repurchaseRate30d');
  });
});
