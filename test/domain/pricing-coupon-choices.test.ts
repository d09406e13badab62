import { describe, expect, it } from 'vitest';
import { americano, manJian, percentCoupon, quote, waiver } from './pricing.fixture';

describe('the coupons a guest can choose from at checkout', () => {
  const wallet = [
    manJian('c_8', 3000, 800),
    percentCoupon('c_20', 20, { cap: 500 }),
    manJian('c_50', 20000, 5000),
    waiver,
  ];

  it('the best deal is applied; the other usable coupon is offered as an alternative; the rest say why not', () => {
    const q = quote({ cart: [americano(2)], coupons: wallet });
    expect(q.appliedCouponIds).toEqual(['c_8']);
    expect(q.coupons?.map((c) => [c.id, c.applied, c.usable, c.reason ?? null])).toEqual([
      ['c_8', true, true, null],
      ['c_20', false, true, 'worse_than_chosen'],
      ['c_50', false, false, 'below_threshold'],
      [waiver.id, false, false, 'no_delivery_fee'],
    ]);
    expect(q.coupons?.find((c) => c.id === 'c_50')?.message).toContain('more');
    expect(q.coupons?.[0]?.name).toBe(wallet[0]?.name);
  });

  it('when the guest picks the other coupon, the best one is still listed as usable', () => {
    const q = quote({ cart: [americano(2)], coupons: wallet, chosenCouponIds: ['c_20'] });
    expect(q.appliedCouponIds).toEqual(['c_20']);
    const byId = new Map(q.coupons?.map((c) => [c.id, c]));
    expect(byId.get('c_20')).toMatchObject({ applied: true, usable: true });
    expect(byId.get('c_8')).toMatchObject({ applied: false, usable: true });
    expect(byId.get('c_50')).toMatchObject({ applied: false, usable: false, reason: 'below_threshold' });
  });

  it('removing every coupon still lists them all, none applied', () => {
    const q = quote({ cart: [americano(2)], coupons: wallet, chosenCouponIds: [] });
    expect(q.appliedCouponIds).toEqual([]);
    expect(q.coupons?.filter((c) => c.usable).map((c) => c.id)).toEqual(['c_8', 'c_20']);
    expect(q.coupons?.some((c) => c.applied)).toBe(false);
  });
});
