import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PricingInput, type Promotion, priceCombination, priceOrder, whyNotRunning } from '../../domain/pricing';
import type { WeeklySlot } from '../../domain/schedule';
import { PromotionInput } from '../../schema/api/promotions.schemas';
import { toRule } from '../../worker/promotions/promotions.service';
import { allowed, coupons, expectSound, line, stacking, subsets } from './pricing.arbitraries';
import { input, NOW } from './pricing.fixture';

/*
 * The best-deal properties with promotions as a merchant makes them: bodies the admin API
 * accepts (`PromotionInput`), every kind including member prices and near-closing markdowns,
 * with windows (ISO or epoch, weekly dayparts, stores), item and category scopes, channels,
 * limits and stacking flags, turned into the engine's rules the way the API stores them.
 */

const HOUR = 3_600_000;
/** Monday 2026-11-23 at hh:mm in Shanghai; NOW is 12:00. */
const shanghai = (h: number, m = 0) => Date.UTC(2026, 10, 23, h - 8, m);
const iso = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace(/\.\d+Z$/, '+08:00');
const HOURS: WeeklySlot[] = [{ days: [], start: '07:00', end: '22:00' }];

const items = ['latte', 'americano', 'cookie'];
const percent = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(12.5, 33.33, 99.99));
const cents = (max: number, min = 0) => fc.integer({ min, max });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** A dish, with a spec only for the latte (the one dish with specs). */
const dish = fc.oneof(
  fc.record({ itemId: fc.constant('latte'), specId: opt(fc.constantFrom('sm', 'lg')) }),
  fc.record({ itemId: fc.constantFrom('americano', 'cookie') }),
);

const terms = fc.oneof(
  fc.record({
    kind: fc.constant('threshold'),
    threshold: cents(8000),
    amountOff: cents(3000, 1),
    repeat: opt(fc.boolean()),
  }),
  fc.record({ kind: fc.constant('percentage'), percentOff: percent }),
  fc.record({
    kind: fc.constant('tier_discount'),
    tierIds: fc.subarray(['gold', 'silver'], { minLength: 1 }),
    percentOff: percent,
  }),
  fc
    .tuple(dish, cents(2500), opt(fc.subarray(['gold', 'silver'])))
    .map(([d, price, tierIds]) => ({ kind: 'member_price', ...d, price, tierIds })),
  fc.record({ kind: fc.constant('second_half') }),
  fc.record({
    kind: fc.constant('combo'),
    slots: fc.array(fc.record({ itemIds: fc.subarray(items, { minLength: 1 }) }), { minLength: 1, maxLength: 3 }),
    price: cents(5000, 1),
    maxApplications: opt(fc.integer({ min: 1, max: 3 })),
  }),
  fc.record({
    kind: fc.constant('free_gift'),
    threshold: cents(8000),
    giftItemId: fc.constantFrom('cookie', 'americano'),
  }),
  fc
    .tuple(dish, cents(2500), opt(fc.integer({ min: 1, max: 3 })))
    .map(([d, price, maxQuantity]) => ({ kind: 'flash_price', ...d, price, maxQuantity })),
  fc.record({
    kind: fc.constant('bxgy'),
    buy: fc.integer({ min: 1, max: 3 }),
    get: fc.integer({ min: 1, max: 2 }),
    maxApplications: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('closing_markdown'),
    minutesBeforeClose: fc.integer({ min: 5, max: 240 }),
    percentOff: percent,
  }),
);

/** A window around NOW: either end as epoch ms or ISO with the store's offset, ending after it starts. */
const validity = fc
  .record(
    {
      from: fc.tuple(fc.integer({ min: -3, max: 3 }), fc.boolean()),
      to: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.boolean()),
      weekly: fc.constantFrom<WeeklySlot[]>(
        [{ days: [1], start: '11:00', end: '14:00' }],
        [{ days: [1, 2], start: '07:00', end: '22:00' }],
        [{ days: [3], start: '00:00', end: '24:00' }],
        [{ days: [], start: '21:00', end: '23:00' }],
      ),
      storeIds: fc.constantFrom(['sto_1'], ['sto_1', 'sto_2'], ['sto_other']),
    },
    { requiredKeys: [] },
  )
  .map(({ from, to, ...rest }) => {
    const start = NOW + (from?.[0] ?? 0) * HOUR;
    const at = (ms: number, asIso: boolean) => (asIso ? iso(ms) : ms);
    return {
      ...rest,
      ...(from ? { from: at(start, from[1]) } : {}),
      ...(to ? { to: at(start + to[0] * HOUR, to[1]) } : {}),
    };
  });

/** Mostly absent: a restriction on every promotion would leave few that run. */
const sometimes = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });

const extras = fc.record({
  validity: sometimes(validity),
  scope: sometimes(
    fc.oneof(
      fc.record({ itemIds: fc.subarray(items, { minLength: 1 }) }),
      fc.record({ categoryIds: fc.subarray(['coffee', 'bakery'], { minLength: 1 }) }),
    ),
  ),
  exclusive: sometimes(fc.boolean()),
  priority: sometimes(fc.integer({ min: -5, max: 5 })),
  combinesWithCoupons: sometimes(fc.boolean()),
  channels: sometimes(fc.subarray(['dine_in', 'pickup', 'delivery', 'group'] as const, { minLength: 1 })),
  limits: sometimes(fc.record({ perGuest: fc.integer({ min: 1, max: 3 }), total: fc.integer({ min: 1, max: 100 }) })),
  badge: sometimes(fc.constantFrom('周三轻食日', '午市特价')),
});

/** Admin bodies, each accepted by the API's schema, stored as the API stores them. */
const merchantPromotions: fc.Arbitrary<Promotion[]> = fc.array(fc.tuple(terms, extras), { maxLength: 4 }).map((list) =>
  list.map(([t, extra], i) => {
    const body = JSON.parse(JSON.stringify({ name: `优惠 ${i}`, ...t, ...extra }));
    const parsed = PromotionInput.safeParse(body);
    if (!parsed.success) throw new Error(`the admin API refuses ${JSON.stringify(body)}: ${parsed.error.message}`);
    return toRule(`p${i}`, parsed.data);
  }),
);

const pricingInput: fc.Arbitrary<PricingInput> = fc
  .record({
    cart: fc.array(line, { minLength: 1, maxLength: 4 }),
    mode: fc.constantFrom('dine_in' as const, 'pickup' as const, 'delivery' as const),
    group: fc.boolean(),
    member: fc.constantFrom(
      undefined,
      { id: 'mem_1', tierId: 'gold' },
      { id: 'mem_2', tierId: 'silver' },
      {
        id: 'mem_3',
      },
    ),
    now: fc.constantFrom(NOW, shanghai(21, 30), NOW + 2 * HOUR),
    openingHours: fc.oneof(
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.constant(HOURS) },
    ),
    promotions: merchantPromotions,
    coupons,
    stacking,
  })
  .map(({ member, openingHours, ...rest }) =>
    input({ ...rest, ...(member ? { member } : {}), ...(openingHours ? { openingHours } : {}) }),
  );

const total = (args: PricingInput) => {
  const r = priceOrder(args);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
};

describe('pricing properties with merchant-made promotions', () => {
  it('every quote is sound, never negative, and never dearer than with no promotion at all', () => {
    fc.assert(
      fc.property(pricingInput, (args) => {
        const r = total(args);
        expectSound(r);
        expect(r.total).toBeGreaterThanOrEqual(0);
        expect(r.total).toBeLessThanOrEqual(total({ ...args, promotions: [] }).total);
      }),
      { numRuns: 400 },
    );
  });

  it('the best deal is the cheapest combination the stacking rules allow, and uses only promotions that run', () => {
    fc.assert(
      fc.property(pricingInput, (args) => {
        const r = total(args);
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
        const ran = args.promotions.filter((p) => r.appliedPromotionIds.includes(p.id));
        const used = args.coupons.filter((c) => r.appliedCouponIds.includes(c.id));
        expect(allowed(ran, used, args.stacking)).toBe(true);
        // Outside its window, store, channel or tier, or before closing time, a promotion never applies.
        for (const p of ran) expect(whyNotRunning(p, args)).toBeNull();
        // And each one applied explains itself on the quote.
        for (const p of ran) expect(r.discounts.find((d) => d.id === p.id)?.reason).toBeTruthy();
      }),
      { numRuns: 250 },
    );
  });

  it('ending any one promotion never makes the best deal cheaper', () => {
    fc.assert(
      fc.property(pricingInput, (args) => {
        const best = total(args).total;
        for (const p of args.promotions) {
          expect(total({ ...args, promotions: args.promotions.filter((q) => q !== p) }).total).toBeGreaterThanOrEqual(
            best,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the same merchant promotions always give the same quote', () => {
    fc.assert(
      fc.property(pricingInput, (args) => {
        expect(JSON.stringify(priceOrder(args))).toBe(JSON.stringify(priceOrder(structuredClone(args))));
      }),
      { numRuns: 100 },
    );
  });
});
