import fc from 'fast-check';
import { expect } from 'vitest';
import type { CartLine, HeldCoupon, Promotion, Quote, Scope, StackingRules } from '../../domain/pricing';
import { NOW } from './pricing.fixture';

/*
 * What the pricing property tests share: carts, scopes, coupon wallets and stacking rules
 * over the fixture menu, the stacking rules written out independently of the engine, and
 * what makes a quote sound.
 */

export const line: fc.Arbitrary<CartLine> = fc.oneof(
  fc.record({
    itemId: fc.constant('latte'),
    specId: fc.constantFrom('sm', 'lg'),
    optionIds: fc.tuple(fc.boolean(), fc.constantFrom('full', 'half')).map(([oat, s]) => (oat ? ['oat', s] : [s])),
    quantity: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ itemId: fc.constantFrom('americano', 'cookie'), quantity: fc.integer({ min: 1, max: 4 }) }),
);

export const scope: fc.Arbitrary<Scope | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.record({ itemIds: fc.subarray(['latte', 'americano', 'cookie']) }) },
  { weight: 1, arbitrary: fc.record({ categoryIds: fc.subarray(['coffee', 'bakery']) }) },
);

export const common = {
  scope,
  exclusive: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
};

export const couponTerms = fc.oneof(
  fc.record({
    kind: fc.constant('amount' as const),
    threshold: fc.integer({ min: 0, max: 8000 }),
    amountOff: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant('percent' as const),
    percentOff: fc.integer({ min: 1, max: 100 }),
    cap: fc.option(fc.integer({ min: 100, max: 3000 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('free_item' as const), itemId: fc.constantFrom('latte', 'americano', 'cookie') }),
  fc.record({ kind: fc.constant('delivery_waiver' as const) }),
);

export const coupons: fc.Arbitrary<HeldCoupon[]> = fc
  .array(
    fc.tuple(
      couponTerms,
      fc.record(common),
      fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    ),
    { maxLength: 4 },
  )
  .map((list) =>
    list.map(([terms, extra, expired], i) => {
      const { cap, ...rest } = terms as typeof terms & { cap?: number };
      return {
        id: `c${i}`,
        templateId: `t${i}`,
        name: `coupon ${i}`,
        ...rest,
        ...(cap === undefined ? {} : { cap }),
        ...extra,
        ...(expired ? { validity: { to: NOW - 1 } } : {}),
      } as HeldCoupon;
    }),
  );

export const stacking: fc.Arbitrary<StackingRules> = fc.record({
  maxCouponsPerOrder: fc.integer({ min: 0, max: 2 }),
  couponsWithPromotions: fc.boolean(),
  percentageBase: fc.constantFrom('original' as const, 'discounted' as const),
  combinableCouponKinds: fc.option(
    fc.constant<HeldCoupon['kind'][][]>([
      ['amount', 'delivery_waiver'],
      ['percent', 'delivery_waiver'],
      ['free_item', 'amount'],
    ]),
    { nil: undefined },
  ),
});

export function subsets<T>(list: readonly T[]): T[][] {
  const out: T[][] = [[]];
  for (const x of list) for (const s of out.splice(0)) out.push(s, [...s, x]);
  return out;
}

/** The stacking rules, written out independently of the engine. */
export function allowed(ps: Promotion[], cs: HeldCoupon[], rules: StackingRules): boolean {
  if (ps.some((p) => p.exclusive) && ps.length > 1) return false;
  if (cs.length > rules.maxCouponsPerOrder) return false;
  if (cs.length > 1 && cs.some((c) => c.exclusive)) return false;
  if (cs.length > 1 && rules.combinableCouponKinds) {
    const fits = rules.combinableCouponKinds.some((group) => {
      const pool = [...group];
      return cs.every((c) => {
        const at = pool.indexOf(c.kind);
        return at >= 0 && pool.splice(at, 1).length === 1;
      });
    });
    if (!fits) return false;
  }
  return cs.length === 0 || ps.every((p) => p.combinesWithCoupons ?? rules.couponsWithPromotions);
}

export function expectSound(q: Quote): void {
  const undiscounted = q.itemsSubtotal + q.packingFee + q.deliveryFee;
  expect(q.total).toBeGreaterThanOrEqual(0);
  expect(q.total).toBeLessThanOrEqual(undiscounted);
  expect(q.total).toBe(undiscounted - q.discountTotal);
  expect(q.lines.reduce((s, l) => s + l.discount, 0)).toBe(q.itemDiscountTotal);
  expect(q.itemDiscountTotal).toBe(q.discountTotal - q.deliveryFeeWaived);
  expect(q.deliveryFeeWaived).toBeLessThanOrEqual(q.deliveryFee);
  for (const l of q.lines) {
    expect(l.total).toBe(l.subtotal - l.discount);
    expect(l.total).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(l.discount)).toBe(true);
  }
  for (const d of q.discounts) {
    expect(d.amount).toBeGreaterThan(0);
    if (d.kind !== 'delivery_waiver') expect(d.allocation.reduce((s, a) => s + a.amount, 0)).toBe(d.amount);
  }
  const perLine = new Map<number, number>();
  for (const d of q.discounts) for (const a of d.allocation) perLine.set(a.line, (perLine.get(a.line) ?? 0) + a.amount);
  for (const l of q.lines) expect(perLine.get(l.index) ?? 0).toBe(l.discount);
}
