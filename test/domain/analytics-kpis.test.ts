import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addSales,
  averageCents,
  change,
  kpiFields,
  rate,
  type SalesTotals,
  tableTurnover,
  zeroBrand,
  zeroMembers,
  zeroSales,
} from '../../domain/analytics/kpis';
import { memberTotals, type PurchaseDay } from '../../domain/analytics/member-days';
import { DEFAULT_TARGETS, targetsFrom } from '../../domain/analytics/targets';

const sales = (s: Partial<SalesTotals>): SalesTotals => ({ ...zeroSales(), ...s });

describe('table turnover, both readings', () => {
  it('two tables, one seated twice and one once, in a day: 1.5 turns, 翻台率 50 %', () => {
    // Table A: 11:30–12:30 (60 min) and 12:45–13:30 (45 min); table B: 18:00–19:30 (90 min).
    const t = tableTurnover({ seatings: 3, tableDays: 2, turnMinutes: 60 + 45 + 90 });
    expect(t).toEqual({ seatings: 3, tables: 2, turns: 1.5, fantaiRate: 0.5, averageTurnMinutes: 65 });
  });

  it('each table seated exactly once is one turn and a 翻台率 of 0 %', () => {
    expect(tableTurnover({ seatings: 20, tableDays: 20, turnMinutes: 1200 })).toMatchObject({
      turns: 1,
      fantaiRate: 0,
    });
  });

  it('a quiet day with empty tables: half a turn, and 翻台率 stays at 0 %, never negative', () => {
    expect(tableTurnover({ seatings: 1, tableDays: 2, turnMinutes: 50 })).toMatchObject({
      turns: 0.5,
      fantaiRate: 0,
      averageTurnMinutes: 50,
    });
  });

  it('a week of 10 tables (70 table-days) and 161 seatings: 2.3 turns, 翻台率 130 %', () => {
    expect(tableTurnover({ seatings: 161, tableDays: 70, turnMinutes: 161 * 52 })).toMatchObject({
      turns: 2.3,
      fantaiRate: 1.3,
      averageTurnMinutes: 52,
    });
  });

  it('a store without tables (pickup only) has no turnover: nulls, not zeros', () => {
    expect(tableTurnover({ seatings: 0, tableDays: 0, turnMinutes: 0 })).toEqual({
      seatings: 0,
      tables: 0,
      turns: null,
      fantaiRate: null,
      averageTurnMinutes: null,
    });
  });

  it('whenever every table sat at least once on average, 翻台率 = turns − 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 20000 }), (tableDays, extra) => {
        const t = tableTurnover({ seatings: tableDays + extra, tableDays, turnMinutes: 0 });
        expect(t.fantaiRate!).toBeCloseTo(t.turns! - 1, 3);
      }),
    );
  });
});

describe('revenue and averages', () => {
  // Monday: three paid orders ¥50, ¥30, ¥20; on Tuesday the ¥30 order is refunded in full. The
  // rollups file that refund under Monday, the order's own day; Tuesday has one ¥40 order.
  const monday = sales({ revenue: 10_000, refunds: 3_000, orders: 3, guests: 5 });
  const tuesday = sales({ revenue: 4_000, orders: 1, guests: 2 });

  it('an order refunded the next day lowers its own day: Monday nets ¥70 over 3 orders', () => {
    const k = kpiFields(monday, zeroMembers(), zeroBrand());
    expect(k).toMatchObject({ revenue: 10_000, refunds: 3_000, netRevenue: 7_000, orders: 3 });
    expect(k.averageOrderValue).toBe(2_333); // 7000 / 3 = 2333.33
    expect(k.averagePerGuest).toBe(1_400); // 7000 / 5 guests
  });

  it('…and Tuesday is untouched by it: ¥40 net', () => {
    expect(kpiFields(tuesday, zeroMembers(), zeroBrand())).toMatchObject({
      netRevenue: 4_000,
      averageOrderValue: 4_000,
    });
  });

  it('the two days together: ¥110 net over 4 paid orders, ¥27.50 average ticket, ¥15.71 per guest', () => {
    const k = kpiFields(addSales(monday, tuesday), zeroMembers(), zeroBrand());
    expect(k).toMatchObject({ netRevenue: 11_000, orders: 4, averageOrderValue: 2_750, averagePerGuest: 1_571 });
  });

  it('a day without orders has no average ticket (null), not ¥0', () => {
    expect(kpiFields(zeroSales(), zeroMembers(), zeroBrand())).toMatchObject({
      averageOrderValue: null,
      averagePerGuest: null,
      repurchaseRate30d: null,
      memberActivityRate: null,
      pointsConsumptionRate: null,
      couponRedemptionRate: null,
    });
  });

  it('a period’s net revenue is the sum of its days’ (the figures are plain sums)', () => {
    const day = fc.record({
      revenue: fc.integer({ min: 0, max: 10_000_000 }),
      refunds: fc.integer({ min: 0, max: 1_000_000 }),
      orders: fc.integer({ min: 0, max: 2_000 }),
      guests: fc.integer({ min: 0, max: 5_000 }),
      discounts: fc.integer({ min: 0, max: 100_000 }),
      seatings: fc.integer({ min: 0, max: 300 }),
      turnMinutes: fc.integer({ min: 0, max: 30_000 }),
      tableDays: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(day, { maxLength: 40 }), (days) => {
        const period = kpiFields(days.reduce(addSales, zeroSales()), zeroMembers(), zeroBrand());
        const sum = days.reduce((s, d) => s + kpiFields(d, zeroMembers(), zeroBrand()).netRevenue, 0);
        expect(period.netRevenue).toBe(sum);
      }),
    );
  });

  it('averages round to whole cents, half away from zero', () => {
    expect(averageCents(5, 2)).toBe(3);
    expect(averageCents(-5, 2)).toBe(-3);
    expect(averageCents(1, 0)).toBeNull();
  });
});

describe('member rates (day-dedup)', () => {
  const store = 'sto_a';
  const other = 'sto_b';
  const visit = (memberId: string, day: string, storeId = store): PurchaseDay => ({ memberId, storeId, day });

  // The 30 days ending 2026-11-30 are 11-01 … 11-30.
  const rows = [
    visit('mem_lunch_and_dinner', '2026-11-20'), // ordered at lunch…
    visit('mem_lunch_and_dinner', '2026-11-20'), // …and at dinner: one visit
    visit('mem_twice', '2026-11-03'),
    visit('mem_twice', '2026-11-20'),
    visit('mem_october', '2026-10-31'), // outside the window
    visit('mem_october', '2026-11-25'),
    visit('mem_regular', '2026-11-02', other),
    visit('mem_regular', '2026-11-09', other),
    visit('mem_regular', '2026-11-16'),
  ];

  it('a member who ordered twice in one day is one visit, so not a repurchase', () => {
    const t = memberTotals(rows, '2026-11-30', new Set([store]), 10);
    // Buyers here: lunch_and_dinner, twice, october, regular (once here); repeaters: twice only.
    expect(t).toMatchObject({ buyers: 4, repeaters: 1 });
    expect(kpiFields(zeroSales(), t, zeroBrand()).repurchaseRate30d).toBe(0.25);
  });

  it('across both stores the regular is a repeater too (2 of 4)', () => {
    const t = memberTotals(rows, '2026-11-30', new Set([store, other]), 10);
    expect(t).toMatchObject({ buyers: 4, repeaters: 2 });
  });

  it('member activity is brand-wide: 3 distinct days at any store, over the brand’s members', () => {
    const t = memberTotals(rows, '2026-11-30', new Set([store]), 10);
    expect(t.regulars).toBe(1);
    expect(kpiFields(zeroSales(), t, zeroBrand()).memberActivityRate).toBe(0.1);
  });

  it('replaying purchase rows changes nothing, and repeaters never outnumber buyers', () => {
    const arb = fc.array(
      fc.record({
        memberId: fc.constantFrom('m1', 'm2', 'm3', 'm4'),
        storeId: fc.constantFrom('s1', 's2'),
        day: fc.integer({ min: 1, max: 30 }).map((d) => `2026-11-${String(d).padStart(2, '0')}`),
      }),
    );
    fc.assert(
      fc.property(arb, (visits) => {
        const stores = new Set(['s1']);
        const once = memberTotals(visits, '2026-11-30', stores, 4);
        expect(memberTotals([...visits, ...visits], '2026-11-30', stores, 4)).toEqual(once);
        expect(once.repeaters).toBeLessThanOrEqual(once.buyers);
        expect(once.regulars).toBeLessThanOrEqual(4);
      }),
    );
  });
});

describe('points, coupons and targets', () => {
  it('points used ÷ issued, coupons used ÷ issued; more used than issued in a period can exceed 1', () => {
    const k = kpiFields(zeroSales(), zeroMembers(), {
      ...zeroBrand(),
      pointsIssued: 12_000,
      pointsUsed: 7_800,
      couponsIssued: 40,
      couponsUsed: 50,
    });
    expect(k.pointsConsumptionRate).toBe(0.65);
    expect(k.couponRedemptionRate).toBe(1.25);
  });

  it('targets default to the seeds’ 40 / 50 / 60 %, and a brand may set its own', () => {
    expect(targetsFrom({})).toEqual(DEFAULT_TARGETS);
    expect(targetsFrom({ analyticsTargets: { repurchaseRate30d: 0.35, memberActivityRate: 2 } })).toEqual({
      ...DEFAULT_TARGETS,
      repurchaseRate30d: 0.35,
    });
  });

  it('rates round to 4 decimals; change is relative to the previous figure', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(change(11_000, 10_000)).toBe(0.1);
    expect(change(9_000, 10_000)).toBe(-0.1);
    expect(change(5, 0)).toBeNull();
  });
});
