import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  birthdayWeek,
  checkIn,
  diceOdds,
  earnMultiplier,
  mergeTags,
  orderTags,
  rollDice,
} from '../../domain/loyalty/perks';
import {
  expiredLots,
  type Lot,
  lotExpiresAt,
  orderEarning,
  planDebit,
  pointsAfterRefunds,
  pointsPayment,
  spendable,
} from '../../domain/loyalty/points';
import { milestonesReached, referralRefusal } from '../../domain/loyalty/referral';
import { defaultLoyaltyRules as rules, rulesErrors, tierById, tierPromotions } from '../../domain/loyalty/rules';
import { qualifyingTier, reviewFor, tierProgress, upgradeFor } from '../../domain/loyalty/tiers';

const tz = 'Asia/Shanghai';
const at = (iso: string) => Date.parse(iso);

describe('tiers', () => {
  it('a member reaches silver at exactly ¥500 of rolling spend, not a cent before', () => {
    expect(qualifyingTier(rules, { spend: 49_999, orders: 1 }).id).toBe('bronze');
    expect(qualifyingTier(rules, { spend: 50_000, orders: 1 }).id).toBe('silver');
    expect(qualifyingTier(rules, { spend: 200_000, orders: 1 }).id).toBe('gold');
  });

  it('thirty small orders also make silver: either threshold is enough', () => {
    expect(qualifyingTier(rules, { spend: 100, orders: 30 }).id).toBe('silver');
  });

  it('an order never lowers a tier; only the scheduled review does', () => {
    expect(upgradeFor(rules, 'gold', { spend: 0, orders: 0 })).toBeNull();
    expect(reviewFor(rules, 'gold', { spend: 60_000, orders: 3 })?.id).toBe('silver');
    expect(reviewFor(rules, 'silver', { spend: 60_000, orders: 3 })).toBeNull();
  });

  it('progress tells how far the next tier is', () => {
    expect(tierProgress(rules, 'bronze', { spend: 20_000, orders: 4 })).toMatchObject({
      next: { id: 'silver' },
      spendNeeded: 30_000,
      ordersNeeded: 26,
    });
    expect(tierProgress(rules, 'gold', { spend: 0, orders: 0 }).next).toBeNull();
  });

  it('tier discounts become pricing promotions; the member-day extra only on its weekday', () => {
    const promos = tierPromotions(rules);
    expect(promos.find((p) => p.id === 'tier_silver')).toMatchObject({
      kind: 'tier_discount',
      tierIds: ['silver'],
      percentOff: 5,
    });
    expect(promos.find((p) => p.id === 'member_day_gold')?.validity?.weekly).toEqual([
      { days: [3], start: '00:00', end: '24:00' },
    ]);
    expect(promos.some((p) => p.id === 'tier_bronze')).toBe(false);
  });

  it('rules that cannot work are named by path', () => {
    const bad = {
      ...rules,
      tiers: [rules.tiers[0]!, { ...rules.tiers[2]!, id: 'silver' }, rules.tiers[1]!],
      memberDay: { weekday: 3, pointsMultiplier: 2, extraPercentOff: { platinum: 5 } },
    };
    expect(rulesErrors(bad).map((e) => e.path)).toEqual([
      'tiers.2.id',
      'tiers.2.minSpend',
      'memberDay.extraPercentOff.platinum',
    ]);
    expect(rulesErrors(rules)).toEqual([]);
  });
});

describe('earning points', () => {
  const lines = [
    { index: 0, quantity: 2, total: 3200 },
    { index: 1, quantity: 1, total: 0, gift: true },
    { index: 2, quantity: 1, total: 1850 },
  ];

  it('one point per yuan actually paid for dishes; gifts earn nothing', () => {
    const e = orderEarning(lines, { perYuan: 1, multiplier: 1 });
    expect(e.total).toBe(50);
    expect(e.perLine.map((l) => l.points)).toEqual([32, 0, 18]);
  });

  it('a gold member earns 1.5× and what was paid with points earns nothing', () => {
    expect(orderEarning(lines, { perYuan: 1, multiplier: 1.5 }).total).toBe(75);
    expect(orderEarning(lines, { perYuan: 1, multiplier: 1, paidWithPoints: 2000 }).total).toBe(30);
  });

  it('refunding a whole line takes back exactly what it earned; refunding everything takes all', () => {
    const e = orderEarning(lines, { perYuan: 1, multiplier: 1 });
    expect(pointsAfterRefunds(e, new Map([[2, 1]]))).toBe(32);
    expect(pointsAfterRefunds(e, new Map([[0, 1]]))).toBe(34);
    expect(
      pointsAfterRefunds(
        e,
        new Map([
          [0, 2],
          [2, 1],
        ]),
      ),
    ).toBe(0);
  });

  it('property: per-line points add up to the total, and refunds never give back more than was earned', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 5 }),
            total: fc.integer({ min: 0, max: 50_000 }),
            gift: fc.boolean(),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.constantFrom(1, 1.2, 1.5, 2, 3),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }),
        (raw, multiplier, refunds) => {
          const ls = raw.map((l, index) => ({ ...l, index }));
          const e = orderEarning(ls, { perYuan: 1, multiplier });
          expect(e.perLine.reduce((s, l) => s + l.points, 0)).toBe(e.total);
          const refunded = new Map(refunds.map((q, i) => [i, Math.min(q, ls[i]?.quantity ?? 0)]));
          const kept = pointsAfterRefunds(e, refunded);
          expect(kept).toBeGreaterThanOrEqual(0);
          expect(kept).toBeLessThanOrEqual(e.total);
          const all = new Map(ls.map((l) => [l.index, l.quantity]));
          expect(pointsAfterRefunds(e, all)).toBe(0);
        },
      ),
    );
  });
});

describe('spending and expiring points', () => {
  const now = at('2026-11-23T12:00:00+08:00');
  const lot = (
    id: string,
    remaining: number,
    expiresAt: number,
    availableAt = 0,
    orderId: string | null = null,
  ): Lot => ({
    id,
    orderId,
    remaining,
    availableAt,
    expiresAt,
    createdAt: 0,
  });
  const lots = [
    lot('late', 100, at('2027-10-01T00:00:00+08:00')),
    lot('early', 30, at('2026-12-01T00:00:00+08:00')),
    lot('pending', 50, at('2027-11-01T00:00:00+08:00'), now + 86_400_000, 'ord_1'),
    lot('gone', 40, at('2026-11-01T00:00:00+08:00')),
  ];

  it('only spendable points count: pending and expired ones do not', () => {
    expect(spendable(lots, now)).toBe(130);
  });

  it('a spend draws the earliest-expiring points first', () => {
    expect(planDebit(lots, 50, now)).toEqual({
      take: [
        { lotId: 'early', amount: 30 },
        { lotId: 'late', amount: 20 },
      ],
      shortfall: 0,
    });
    expect(planDebit(lots, 131, now).shortfall).toBe(1);
  });

  it("a reversal takes the order's own pending lot first", () => {
    expect(planDebit(lots, 60, now, { reversalOf: 'ord_1' }).take).toEqual([
      { lotId: 'pending', amount: 50 },
      { lotId: 'early', amount: 10 },
    ]);
  });

  it('lots expire whole once their month is over', () => {
    expect(expiredLots(lots, now).map((l) => l.id)).toEqual(['gone']);
  });

  it('points earned in March 2026 are gone with March 2027, at local midnight', () => {
    expect(lotExpiresAt(at('2026-03-15T10:00:00+08:00'), tz, 12)).toBe(at('2027-04-01T00:00:00+08:00'));
    expect(lotExpiresAt(at('2026-12-31T23:30:00+08:00'), tz, 12)).toBe(at('2028-01-01T00:00:00+08:00'));
  });

  it('points pay at most the brand share of an order', () => {
    const r = { centsPerPoint: 1, maxPaymentPercent: 50 };
    expect(pointsPayment({ points: 5000, due: 3000, orderTotal: 3000, alreadyByPoints: 0 }, r)).toMatchObject({
      points: 1500,
      cents: 1500,
    });
    expect(pointsPayment({ points: 5000, due: 1500, orderTotal: 3000, alreadyByPoints: 1500 }, r).points).toBe(0);
    expect(
      pointsPayment(
        { points: 7, due: 3000, orderTotal: 3000, alreadyByPoints: 0 },
        { centsPerPoint: 10, maxPaymentPercent: 50 },
      ),
    ).toMatchObject({
      points: 7,
      cents: 70,
    });
  });
});

describe('perks and games', () => {
  it('the birthday week runs Monday to Sunday around this year’s birthday, in store time', () => {
    // 2026-11-25 is a Wednesday: its week is 23–29 November.
    expect(birthdayWeek('1990-11-25', at('2026-11-23T00:10:00+08:00'), tz)).toEqual({ year: 2026 });
    expect(birthdayWeek('1990-11-25', at('2026-11-29T23:59:00+08:00'), tz)).toEqual({ year: 2026 });
    expect(birthdayWeek('1990-11-25', at('2026-11-22T23:59:00+08:00'), tz)).toBeNull();
    expect(birthdayWeek(null, at('2026-11-23T12:00:00+08:00'), tz)).toBeNull();
  });

  it('a 29 February birthday is celebrated on the 28th in other years', () => {
    expect(birthdayWeek('2000-02-29', at('2027-02-28T12:00:00+08:00'), tz)).toEqual({ year: 2027 });
  });

  it('member day and birthday multiply the tier rate but not each other', () => {
    const gold = tierById(rules, 'gold');
    const wednesday = at('2026-11-25T12:00:00+08:00');
    const monday = at('2026-11-23T12:00:00+08:00');
    expect(earnMultiplier(rules, gold, monday, null)).toBe(1.5);
    expect(earnMultiplier(rules, gold, wednesday, null)).toBe(3);
    expect(earnMultiplier(rules, gold, wednesday, '1990-11-25')).toBe(3);
  });

  it('check-in streaks continue from yesterday, restart after a gap, and pay once a day', () => {
    const r = [5, 10, 20];
    expect(checkIn({ streak: 0, lastDay: null }, '2026-11-23', r)).toEqual({ streak: 1, points: 5 });
    expect(checkIn({ streak: 2, lastDay: '2026-11-22' }, '2026-11-23', r)).toEqual({ streak: 3, points: 20 });
    expect(checkIn({ streak: 5, lastDay: '2026-11-22' }, '2026-11-23', r)).toEqual({ streak: 6, points: 20 });
    expect(checkIn({ streak: 5, lastDay: '2026-11-20' }, '2026-11-23', r)).toEqual({ streak: 1, points: 5 });
    expect(checkIn({ streak: 1, lastDay: '2026-11-23' }, '2026-11-23', r)).toBeNull();
    expect(checkIn({ streak: 3, lastDay: '2026-02-28' }, '2026-03-01', r)?.streak).toBe(4);
  });

  it('the dice lands by weight and its published odds add up to 100%', () => {
    const faces = [
      { points: 1, weight: 3 },
      { points: 10, weight: 1 },
    ];
    expect(rollDice(faces, 0)).toBe(0);
    expect(rollDice(faces, 0.7499)).toBe(0);
    expect(rollDice(faces, 0.75)).toBe(1);
    expect(rollDice(faces, 0.9999)).toBe(1);
    expect(diceOdds(faces)).toEqual({
      faces: [
        { points: 1, chancePercent: 75 },
        { points: 10, chancePercent: 25 },
      ],
      expectedPoints: 3.25,
    });
    const odds = diceOdds(rules.dice.faces);
    expect(odds.faces.reduce((s, f) => s + f.chancePercent, 0)).toBeCloseTo(100, 5);
  });

  it('tags come from dishes, categories, spicy options and late hours; newest first', () => {
    const tags = orderTags(
      [
        { tags: ['signature', 'spicy'], category: 'Milk Tea', optionNames: [] },
        { tags: ['spicy-optional'], category: null, optionNames: ['微辣 mild'] },
      ],
      22,
    );
    expect(tags).toEqual(['spicy', 'milk tea', 'late night']);
    expect(mergeTags(['noodles', 'spicy'], tags, 4)).toEqual(['spicy', 'milk tea', 'late night', 'noodles']);
  });
});

describe('referral rules', () => {
  const base = {
    inviterId: 'a',
    inviteeId: 'b',
    inviterChain: [],
    inviteeAlreadyReferred: false,
    inviteeCompletedOrders: 0,
    deviceSeen: false,
  };
  it('refuses self-referral, loops, second codes, regulars and reused devices', () => {
    expect(referralRefusal(base)).toBeNull();
    expect(referralRefusal({ ...base, inviteeId: 'a' })).toBe('self');
    expect(referralRefusal({ ...base, inviterChain: ['c', 'b'] })).toBe('loop');
    expect(referralRefusal({ ...base, inviteeAlreadyReferred: true })).toBe('already_referred');
    expect(referralRefusal({ ...base, inviteeCompletedOrders: 1 })).toBe('not_new');
    expect(referralRefusal({ ...base, deviceSeen: true })).toBe('device_used');
  });
  it('milestones are reached at their count and stay reached', () => {
    const ms = [{ invites: 3 }, { invites: 10 }];
    expect(milestonesReached(ms, 2)).toEqual([]);
    expect(milestonesReached(ms, 3)).toEqual([{ invites: 3 }]);
    expect(milestonesReached(ms, 11)).toEqual(ms);
  });
});
