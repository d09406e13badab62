import { brandDays, brandMembers, kpiBrand, memberDays, rollups } from './analytics';

/*
 * Two days of a two-store brand, small enough to compute every KPI by hand
 * (test/worker/analytics-api.test.ts does, in its comments).
 *
 * Jing'an (A), 2 tables:
 *   Mon 2026-11-02: 3 paid orders ¥50 + ¥30 + ¥20 = ¥100, 5 guests, ¥5 discounts; the ¥30 order
 *     is refunded on Tuesday and filed here, its own day. Table 1 seated twice (60 + 45 min),
 *     table 2 once (90 min): 3 seatings.
 *   Tue 2026-11-03: 1 order ¥40, 2 guests; one seating of 50 min.
 *   Sun 2026-11-01 (the previous period): 2 orders, ¥50.
 * Xuhui (B), pickup only (no tables):
 *   Mon 2026-11-02: 2 orders, ¥60, 2 guests.
 */
export async function kpiStory() {
  const brand = await kpiBrand();
  const { brandId, a, b } = brand;
  // Member ids are global: each story's are its own.
  const m = (n: number) => `mem_k${n}_${brandId.slice(-8)}`;
  await rollups(brandId, [
    { storeId: a, day: '2026-11-01', orders: 2, revenue: 5_000, guests: 2, tables: 2 },
    {
      storeId: a,
      day: '2026-11-02',
      orders: 3,
      revenue: 10_000,
      refunds: 3_000,
      guests: 5,
      discounts: 500,
      seatings: 3,
      turnMinutes: 195,
      tables: 2,
    },
    { storeId: a, day: '2026-11-03', orders: 1, revenue: 4_000, guests: 2, seatings: 1, turnMinutes: 50, tables: 2 },
    { storeId: b, day: '2026-11-02', orders: 2, revenue: 6_000, guests: 2 },
    // Hours (store-local, the business day's weekday: 11-02 is a Monday).
    { storeId: a, day: '2026-11-02', dim: 'hour', key: '12', orders: 2, revenue: 8_000 },
    { storeId: a, day: '2026-11-02', dim: 'hour', key: '19', orders: 1, revenue: 2_000 },
    { storeId: a, day: '2026-11-03', dim: 'hour', key: '12', orders: 1, revenue: 4_000 },
    { storeId: b, day: '2026-11-02', dim: 'hour', key: '12', orders: 2, revenue: 6_000 },
    // Dishes.
    {
      storeId: a,
      day: '2026-11-02',
      dim: 'item',
      key: 'itm_noodles',
      name: 'Beef noodles',
      orders: 2,
      quantity: 4,
      revenue: 6_000,
      refunds: 3_000,
      refundQuantity: 2,
    },
    {
      storeId: a,
      day: '2026-11-02',
      dim: 'item',
      key: 'itm_dumplings',
      name: 'Dumplings',
      orders: 2,
      quantity: 5,
      revenue: 4_000,
    },
    {
      storeId: b,
      day: '2026-11-02',
      dim: 'item',
      key: 'itm_noodles',
      name: 'Beef noodles',
      orders: 2,
      quantity: 3,
      revenue: 4_500,
    },
    {
      storeId: b,
      day: '2026-11-02',
      dim: 'item',
      key: 'itm_tea',
      name: '=HYPERLINK("x")',
      orders: 1,
      quantity: 2,
      revenue: 1_500,
    },
    // Other breakdowns the reports must not double count.
    { storeId: a, day: '2026-11-02', dim: 'mode', key: 'dine_in', orders: 3, revenue: 10_000 },
    { storeId: a, day: '2026-11-02', dim: 'payment', key: 'wechat', orders: 3, revenue: 10_000 },
  ]);
  // Purchase days (several orders on a day are one row). The 30 days ending 11-03 start 10-05.
  await memberDays(brandId, [
    [m(1), a, '2026-10-20'],
    [m(1), a, '2026-11-02'], // k1 ordered twice that day: still one row, one visit
    [m(2), a, '2026-11-03'],
    [m(3), b, '2026-11-02'],
    [m(3), a, '2026-11-03'],
    [m(4), b, '2026-10-10'],
    [m(4), b, '2026-10-20'],
    [m(4), b, '2026-11-02'],
    [m(5), a, '2026-09-01'], // outside every window
    [m(6), a, '2026-11-02'], // lunch in one store, dinner in the other: one visit that day
    [m(6), b, '2026-11-02'],
  ]);
  const before = Date.UTC(2026, 8, 1);
  await brandMembers(brandId, [
    ...[1, 2, 3, 4, 5, 6].map((n) => ({ id: m(n), joined: before })),
    { id: m(7), joined: before, erased: true },
    { id: m(8), joined: Date.UTC(2026, 10, 20) }, // joined after the period: not yet a member then
  ]);
  await brandDays(brandId, [
    { day: '2026-10-31', pointsIssued: 9_999 },
    { day: '2026-11-02', newMembers: 2, pointsIssued: 1_000, pointsUsed: 600, couponsIssued: 10, couponsUsed: 3 },
    { day: '2026-11-03', newMembers: 1, pointsIssued: 500, pointsUsed: 300 },
  ]);
  return brand;
}

export const PERIOD = 'from=2026-11-02&to=2026-11-03';
