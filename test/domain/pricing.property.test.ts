import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HeldCoupon,
  type PricingInput,
  type Promotion,
  priceCombination,
  priceOrder,
  type Quote,
} from '../../domain/pricing';
import { allowed, common, coupons, expectSound, line, stacking, subsets } from './pricing.arbitraries';
import { input } from './pricing.fixture';

const promotionTerms = fc.oneof(
  fc.record({
    kind: fc.constant('threshold' as const),
    threshold: fc.integer({ min: 0, max: 8000 }),
    amountOff: fc.integer({ min: 1, max: 3000 }),
    repeat: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('percentage' as const), percentOff: fc.integer({ min: 1, max: 100 }) }),
  fc.record({
    kind: fc.constant('tier_discount' as const),
    tierIds: fc.constant<string[]>(['gold']),
    percentOff: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({ kind: fc.constant('second_half' as const) }),
  fc.record({
    kind: fc.constant('combo' as const),
    slots: fc.array(fc.record({ itemIds: fc.subarray(['latte', 'americano', 'cookie'], { minLength: 1 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    price: fc.integer({ min: 1000, max: 5000 }),
    maxApplications: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('free_gift' as const),
    threshold: fc.integer({ min: 0, max: 8000 }),
    giftItemId: fc.constant('cookie'),
  }),
  fc.record({
    kind: fc.constant('flash_price' as const),
    itemId: fc.constantFrom('latte', 'americano'),
    price: fc.integer({ min: 500, max: 3000 }),
    maxQuantity: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('bxgy' as const),
    buy: fc.integer({ min: 1, max: 3 }),
    get: fc.integer({ min: 1, max: 2 }),
    maxApplications: fc.integer({ min: 1, max: 3 }),
  }),
);

const promotions: fc.Arbitrary<Promotion[]> = fc
  .array(fc.tuple(promotionTerms, fc.record(common), fc.option(fc.boolean(), { nil: undefined })), { maxLength: 4 })
  .map((list) =>
    list.map(
      ([terms, extra, withCoupons], i): Promotion => ({
        id: `p${i}`,
        name: `promotion ${i}`,
        ...terms,
        ...extra,
        ...(withCoupons === undefined ? {} : { combinesWithCoupons: withCoupons }),
      }),
    ),
  );

const pricingInput: fc.Arbitrary<PricingInput> = fc
  .record({
    cart: fc.array(line, { minLength: 1, maxLength: 4 }),
    mode: fc.constantFrom('dine_in' as const, 'pickup' as const, 'delivery' as const),
    member: fc.option(fc.constant({ id: 'mem_1', tierId: 'gold' }), { nil: undefined }),
    promotions,
    coupons,
    stacking,
  })
  .map(({ member, ...rest }) => input({ ...rest, ...(member ? { member } : {}) }));

describe('pricing properties', () => {
  it('every quote is sound: never negative, never above list price, line discounts add up exactly', () => {
    fc.assert(
      fc.property(pricingInput, (args) => {
        const r = priceOrder(args);
        expect(r.ok).toBe(true);
        if (r.ok) expectSound(r);
      }),
      { numRuns: 400 },
    );
  });

  it('the best deal is never beaten by any allowed combination', () => {
    fc.assert(
      fc.property(pricingInput, (args) => {
        const r = priceOrder(args);
        if (!r.ok) return;
        let min = Number.POSITIVE_INFINITY;
        for (const ps of subsets(args.promotions)) {
          for (const cs of subsets(args.coupons)) {
            if (!allowed(ps, cs, args.stacking)) continue;
            const b = priceCombination(
              args,
              ps.map((p) => p.id),
              cs.map((c) => c.id),
            );
            if (b.ok) min = Math.min(min, b.total);
          }
        }
        expect(r.total).toBe(min);
        const used = args.coupons.filter((c) => r.appliedCouponIds.includes(c.id));
        const ran = args.promotions.filter((p) => r.appliedPromotionIds.includes(p.id));
        expect(allowed(ran, used, args.stacking)).toBe(true);
        // Every held coupon is either used or explained.
        const told = new Set(r.rejectedCoupons.map((x) => x.id));
        for (const c of args.coupons) expect(r.appliedCouponIds.includes(c.id) !== told.has(c.id)).toBe(true);
      }),
      { numRuns: 250 },
    );
  });

  it('chosen coupons are each applied or reported, and the quote stays sound', () => {
    fc.assert(
      fc.property(
        pricingInput,
        fc.array(fc.constantFrom<string>('c0', 'c1', 'c2', 'c3', 'ghost'), { maxLength: 4 }),
        (args, chosen) => {
          const r = priceOrder({ ...args, chosenCouponIds: chosen });
          if (!r.ok) return;
          expectSound(r);
          for (const id of new Set(chosen)) {
            const applied = r.appliedCouponIds.includes(id);
            const rejected = r.rejectedCoupons.filter((x) => x.id === id).length;
            expect(applied ? 0 : 1).toBe(rejected);
          }
          expect(r.appliedCouponIds.every((id) => chosen.includes(id))).toBe(true);
          expect(r.appliedCouponIds.length).toBeLessThanOrEqual(args.stacking.maxCouponsPerOrder);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a percentage coupon below 100% on the discounted base never takes a payable order to zero', () => {
    const args = fc.tuple(
      pricingInput,
      fc.integer({ min: 1, max: 99 }),
      fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
    );
    fc.assert(
      fc.property(args, ([base, percentOff, cap]) => {
        const coupon: HeldCoupon = {
          id: 'pct',
          templateId: 't',
          name: 'pct',
          kind: 'percent',
          percentOff,
          ...(cap ? { cap } : {}),
        };
        const over: PricingInput = {
          ...base,
          coupons: [coupon],
          stacking: { ...base.stacking, percentageBase: 'discounted' },
        };
        const ids = base.promotions.map((p) => p.id);
        const before = priceCombination(over, ids, []);
        const after = priceCombination(over, ids, ['pct']);
        if (!before.ok || !after.ok) return;
        const payable = (q: Quote) => q.itemsSubtotal - q.itemDiscountTotal;
        if (payable(before) > 0) expect(payable(after)).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('the same input always gives the same quote', () => {
    fc.assert(
      fc.property(pricingInput, (args) => {
        expect(JSON.stringify(priceOrder(args))).toBe(JSON.stringify(priceOrder(structuredClone(args))));
      }),
      { numRuns: 100 },
    );
  });
});
