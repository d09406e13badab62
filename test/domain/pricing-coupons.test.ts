import { describe, expect, it } from 'vitest';
import type { HeldCoupon, Promotion } from '../../domain/pricing';
import { americano, croissant, largeLatte, manJian, NOW, percentCoupon, quote, waiver } from './pricing.fixture';

describe('coupons and the best deal', () => {
  it('a guest with a 满30减8 coupon and a 20%-off coupon gets the better one and is told why the other was not used', () => {
    const q = quote({
      cart: [americano(2)],
      coupons: [manJian('c_8', 3000, 800), percentCoupon('c_20', 20, { cap: 500 })],
    });
    expect(q.appliedCouponIds).toEqual(['c_8']);
    expect(q.total).toBe(3200);
    expect(q.couponSelection).toBe('best');
    expect(q.rejectedCoupons).toHaveLength(1);
    expect(q.rejectedCoupons[0]).toMatchObject({ id: 'c_20', reason: 'worse_than_chosen' });
    expect(q.rejectedCoupons[0]?.message).toContain('35.00');
    expect(q.rejectedCoupons[0]?.message).toContain('32.00');

    const bigger = quote({ cart: [largeLatte(3)], coupons: [manJian('c_8', 3000, 800), percentCoupon('c_20', 20)] });
    expect(bigger.appliedCouponIds).toEqual(['c_20']);
    expect(bigger.total).toBe(9600 - 1920);
  });

  it('a percentage coupon on the discounted base can never make the order free', () => {
    const promotions: Promotion[] = [
      { id: 'p', name: '满30减30', kind: 'threshold', threshold: 3000, amountOff: 3000 },
    ];
    const cart = [americano(1), croissant(1)];
    const q = quote({ cart, promotions, coupons: [percentCoupon('c_99', 99)] });
    expect(q.appliedCouponIds).toEqual(['c_99']);
    expect(q.discounts.map((d) => d.amount)).toEqual([3000, 495]);
    expect(q.total).toBe(5);
  });

  it('on the original base a percentage is capped by what remains of its scope, never below zero', () => {
    const promotions: Promotion[] = [
      { id: 'p', name: '满30减30', kind: 'threshold', threshold: 3000, amountOff: 3000 },
    ];
    const q = quote({
      cart: [americano(1), croissant(1)],
      promotions,
      coupons: [percentCoupon('c_99', 99)],
      stacking: { maxCouponsPerOrder: 1, couponsWithPromotions: true, percentageBase: 'original' },
    });
    expect(q.discounts.map((d) => d.amount)).toEqual([3000, 500]);
    expect(q.lines.every((l) => l.total >= 0)).toBe(true);
    expect(q.total).toBe(0);
  });

  it('a percentage coupon stops at its cap', () => {
    const q = quote({ cart: [largeLatte(3)], coupons: [percentCoupon('c', 20, { cap: 1000 })] });
    expect(q.discountTotal).toBe(1000);
  });

  it('a free-item coupon takes the dearest matching cup', () => {
    const free: HeldCoupon = { id: 'c_free', templateId: 't', name: 'Free latte', kind: 'free_item', itemId: 'latte' };
    const q = quote({
      cart: [{ itemId: 'latte', specId: 'sm', optionIds: ['full'], quantity: 1 }, largeLatte(1, true)],
      coupons: [free],
    });
    expect(q.lines.map((l) => l.discount)).toEqual([0, 3500]);
  });

  it('a promotion that would push the basket under a coupon threshold is left out when the coupon saves more', () => {
    const q = quote({
      cart: [largeLatte(1)],
      promotions: [{ id: 'p3', name: '满30减3', kind: 'threshold', threshold: 3000, amountOff: 300 }],
      coupons: [manJian('c_10', 3000, 1000)],
    });
    expect(q.appliedPromotionIds).toEqual([]);
    expect(q.appliedCouponIds).toEqual(['c_10']);
    expect(q.total).toBe(2200);
  });

  it('when coupons do not stack with promotions, the better of the two wins and the coupon says so', () => {
    const q = quote({
      cart: [americano(2)],
      promotions: [{ id: 'p20', name: '全场8折', kind: 'percentage', percentOff: 20 }],
      coupons: [manJian('c_5', 3000, 500)],
      stacking: { maxCouponsPerOrder: 1, couponsWithPromotions: false, percentageBase: 'discounted' },
    });
    expect(q.appliedPromotionIds).toEqual(['p20']);
    expect(q.total).toBe(3200);
    expect(q.rejectedCoupons).toMatchObject([{ id: 'c_5', reason: 'not_combinable' }]);
  });

  it('explains every coupon that cannot apply at all', () => {
    const coupons: HeldCoupon[] = [
      manJian('soon', 0, 100, { validity: { from: NOW + 60_000 } }),
      manJian('old', 0, 100, { validity: { to: NOW - 1 } }),
      manJian('breakfast', 0, 100, { validity: { weekly: [{ days: [], start: '06:00', end: '10:00' }] } }),
      manJian('other_store', 0, 100, { validity: { storeIds: ['sto_2'] } }),
      manJian('big', 10_000, 2000),
      percentCoupon('bakery', 50, { scope: { categoryIds: ['bakery'] } }),
      { id: 'free_croissant', templateId: 't', name: 'Free croissant', kind: 'free_item', itemId: 'croissant' },
      waiver,
    ];
    const q = quote({ mode: 'pickup', cart: [americano(2)], coupons });
    expect(q.appliedCouponIds).toEqual([]);
    expect(q.rejectedCoupons.map((r) => [r.id, r.reason])).toEqual([
      ['soon', 'not_yet_valid'],
      ['old', 'expired'],
      ['breakfast', 'outside_window'],
      ['other_store', 'wrong_store'],
      ['big', 'below_threshold'],
      ['bakery', 'not_in_scope'],
      ['free_croissant', 'not_in_scope'],
      ['c_ship', 'no_delivery_fee'],
    ]);
    expect(q.rejectedCoupons.find((r) => r.id === 'big')?.message).toContain('60.00');
  });

  it('combines coupon kinds only as the stacking groups allow', () => {
    const q = quote({
      mode: 'delivery',
      cart: [americano(2)],
      coupons: [manJian('c_8', 3000, 800), percentCoupon('c_10', 10), waiver],
      stacking: {
        maxCouponsPerOrder: 2,
        couponsWithPromotions: true,
        percentageBase: 'discounted',
        combinableCouponKinds: [
          ['amount', 'delivery_waiver'],
          ['percent', 'delivery_waiver'],
        ],
      },
    });
    expect(q.appliedCouponIds).toEqual(['c_8', 'c_ship']);
    expect(q.total).toBe(4000 + 200 + 600 - 800 - 600);
    expect(q.rejectedCoupons).toMatchObject([{ id: 'c_10', reason: 'worse_than_chosen' }]);
  });

  it('a member with forty coupons still gets the single best one', () => {
    const wallet = Array.from({ length: 40 }, (_, i) => manJian(`c${i}`, (i % 9) * 1000, 300 + ((i * 37) % 23) * 50));
    const cart = [largeLatte(2), americano(1)];
    const q = quote({ cart, coupons: wallet });
    const totals = wallet.map((c) => quote({ cart, coupons: wallet, chosenCouponIds: [c.id] }).total);
    expect(q.total).toBe(Math.min(...totals));
    expect(q.rejectedCoupons).toHaveLength(39);
  });

  it('a promotion that refuses coupons is weighed against the coupon it would shut out', () => {
    const q = quote({
      cart: [americano(2)],
      promotions: [{ id: 'p20', name: '8折', kind: 'percentage', percentOff: 20, combinesWithCoupons: false }],
      coupons: [manJian('c_10', 3000, 1000)],
    });
    expect(q).toMatchObject({ appliedPromotionIds: [], appliedCouponIds: ['c_10'], total: 3000 });
  });

  it('prefers spending the coupon that expires first when two are worth the same', () => {
    const q = quote({
      cart: [americano(2)],
      coupons: [
        manJian('late', 3000, 800, { validity: { to: NOW + 9e8 } }),
        manJian('early', 3000, 800, { validity: { to: NOW + 1e8 } }),
      ],
    });
    expect(q.appliedCouponIds).toEqual(['early']);
  });
});

describe('coupons the guest chose', () => {
  const coupons = [
    manJian('c_8', 3000, 800),
    percentCoupon('c_20', 20),
    manJian('old', 0, 100, { validity: { to: NOW } }),
  ];

  it('applies exactly the chosen coupons and reports each that cannot apply, without failing the quote', () => {
    const q = quote({ cart: [americano(2)], coupons, chosenCouponIds: ['ghost', 'old', 'c_20', 'c_8'] });
    expect(q.couponSelection).toBe('chosen');
    expect(q.appliedCouponIds).toEqual(['c_20']);
    expect(q.total).toBe(3200);
    expect(q.rejectedCoupons.map((r) => [r.id, r.reason])).toEqual([
      ['ghost', 'not_held'],
      ['old', 'expired'],
      ['c_8', 'limit_reached'],
    ]);
  });

  it('an empty choice uses no coupon even when one would help', () => {
    const q = quote({ cart: [americano(2)], coupons, chosenCouponIds: [] });
    expect(q.appliedCouponIds).toEqual([]);
    expect(q.rejectedCoupons).toEqual([]);
    expect(q.total).toBe(4000);
  });

  it('refuses a chosen coupon that cannot be combined with one chosen before it', () => {
    const q = quote({
      cart: [americano(2)],
      coupons: [manJian('c_8', 3000, 800, { exclusive: true }), percentCoupon('c_20', 20)],
      chosenCouponIds: ['c_8', 'c_20'],
      stacking: { maxCouponsPerOrder: 2, couponsWithPromotions: true, percentageBase: 'discounted' },
    });
    expect(q.appliedCouponIds).toEqual(['c_8']);
    expect(q.rejectedCoupons).toMatchObject([{ id: 'c_20', reason: 'not_combinable' }]);
  });

  it('hands back a chosen coupon that other discounts pushed below its threshold', () => {
    const q = quote({
      cart: [americano(2)],
      coupons: [manJian('c_free', 0, 1500), manJian('c_8', 3000, 800)],
      chosenCouponIds: ['c_free', 'c_8'],
      stacking: { maxCouponsPerOrder: 2, couponsWithPromotions: true, percentageBase: 'discounted' },
    });
    expect(q.appliedCouponIds).toEqual(['c_free']);
    expect(q.rejectedCoupons).toMatchObject([{ id: 'c_8', reason: 'below_threshold' }]);
  });
});
