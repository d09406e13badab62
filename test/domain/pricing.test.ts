import { describe, expect, it } from 'vitest';
import {
  allocate,
  deliveryFeeForDistance,
  type HeldCoupon,
  type Promotion,
  percentOf,
  priceOrder,
} from '../../domain/pricing';
import { input, largeLatte, NOW, quote } from './pricing.fixture';

const americano = (quantity: number) => ({ itemId: 'americano', quantity });
const croissant = (quantity: number) => ({ itemId: 'croissant', quantity });

type Extra = Pick<HeldCoupon, 'validity' | 'scope' | 'exclusive'>;

const manJian = (id: string, threshold: number, amountOff: number, extra: Extra = {}): HeldCoupon => ({
  id,
  templateId: `tpl_${id}`,
  name: `满${threshold / 100}减${amountOff / 100}`,
  kind: 'amount',
  threshold,
  amountOff,
  ...extra,
});
const percentCoupon = (id: string, percentOff: number, extra: Extra & { cap?: number } = {}): HeldCoupon => ({
  id,
  templateId: `tpl_${id}`,
  name: `${percentOff}% off`,
  kind: 'percent',
  percentOff,
  ...extra,
});
const waiver: HeldCoupon = { id: 'c_ship', templateId: 'tpl_ship', name: 'Free delivery', kind: 'delivery_waiver' };

describe('cart validation', () => {
  it('names every bad line at once, each with its field and code', () => {
    const r = priceOrder(
      input({
        limits: { maxUnitsPerOrder: 5 },
        soldOutItemIds: new Set(['cookie']),
        cart: [
          { itemId: 'nope', quantity: 1 },
          { itemId: 'latte', optionIds: ['full'], quantity: 1 },
          { itemId: 'latte', specId: 'xl', optionIds: ['full'], quantity: 1 },
          { itemId: 'latte', specId: 'lg', optionIds: ['oat', 'ketchup'], quantity: 1 },
          { itemId: 'sandwich', quantity: 1 },
          americano(0),
          americano(1.5),
          { itemId: 'tea', quantity: 1 },
          croissant(2),
          croissant(2),
          { itemId: 'cookie', quantity: 1 },
        ],
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(({ line, code, field }) => [line, code, field])).toEqual([
      [0, 'order.item_unknown', 'itemId'],
      [1, 'order.spec_invalid', 'specId'],
      [2, 'order.spec_invalid', 'specId'],
      [3, 'order.option_invalid', 'optionIds'],
      [3, 'order.options_out_of_range', 'optionIds'],
      [4, 'order.item_unavailable', 'itemId'],
      [5, 'order.quantity_invalid', 'quantity'],
      [6, 'order.quantity_invalid', 'quantity'],
      [7, 'order.sold_out', 'itemId'],
      [9, 'order.item_limit', 'quantity'],
      [10, 'order.sold_out', 'itemId'],
      [-1, 'order.order_limit', 'quantity'],
    ]);
    expect(r.errors.find((e) => e.line === 3 && e.code === 'order.options_out_of_range')?.message).toContain('Sugar');
  });

  it('serves the breakfast sandwich in its morning window', () => {
    const morning = NOW - 3 * 3_600_000; // 09:00 in Shanghai
    expect(quote({ now: morning, cart: [{ itemId: 'sandwich', quantity: 1 }] }).total).toBe(2500);
  });

  it('prices a line as spec plus option deltas', () => {
    const q = quote({ cart: [largeLatte(2, true)] });
    expect(q.lines[0]).toMatchObject({ unitPrice: 3500, subtotal: 7000, specName: 'Large', discount: 0, total: 7000 });
    expect(q.lines[0]?.options.map((o) => o.id)).toEqual(['oat', 'full']);
  });
});

describe('promotions', () => {
  it('buy 2 get 1 free applies three times for nine cups when max is 3', () => {
    const bxgy: Promotion = { id: 'p_b2g1', name: '买二送一', kind: 'bxgy', buy: 2, get: 1, maxApplications: 3 };
    const nine = quote({ cart: [americano(9)], promotions: [bxgy] });
    expect(nine.discounts).toMatchObject([{ id: 'p_b2g1', amount: 6000 }]);
    expect(nine.total).toBe(12_000);
    expect(quote({ cart: [americano(12)], promotions: [bxgy] }).total).toBe(24_000 - 6000);
    expect(quote({ cart: [americano(8)], promotions: [bxgy] }).discountTotal).toBe(4000);
  });

  it('buy 2 get 1 gives away the cheapest cup in scope', () => {
    const bxgy: Promotion = { id: 'p', name: 'b2g1', kind: 'bxgy', buy: 2, get: 1, maxApplications: 1 };
    const q = quote({ cart: [largeLatte(2), americano(1)], promotions: [bxgy] });
    expect(q.lines.map((l) => l.discount)).toEqual([0, 2000]);
  });

  it('the second of the same item is half price, the cheaper of each pair', () => {
    const half: Promotion = { id: 'p_half', name: '第二份半价', kind: 'second_half' };
    const q = quote({
      cart: [largeLatte(1), { itemId: 'latte', specId: 'sm', optionIds: ['half'], quantity: 1 }, americano(3)],
      promotions: [half],
    });
    expect(q.lines.map((l) => l.discount)).toEqual([0, 1400, 1000]);
  });

  it('a combo replaces the base prices and keeps option upcharges, split by largest remainder', () => {
    const combo: Promotion = {
      id: 'p_combo',
      name: 'Latte + croissant 35',
      kind: 'combo',
      slots: [{ itemIds: ['latte'] }, { itemIds: ['croissant'] }],
      price: 3500,
      maxApplications: 1,
    };
    const q = quote({ cart: [largeLatte(1, true), croissant(1)], promotions: [combo] });
    expect(q.lines.map((l) => l.discount)).toEqual([817, 383]);
    expect(q.total).toBe(3500 + 300);
    const twice = quote({ cart: [largeLatte(2), croissant(2)], promotions: [combo] });
    expect(twice.discountTotal).toBe(1200);
  });

  it('a flash price covers at most its quantity', () => {
    const flash: Promotion = {
      id: 'p_flash',
      name: '秒杀',
      kind: 'flash_price',
      itemId: 'americano',
      price: 1000,
      maxQuantity: 2,
    };
    expect(quote({ cart: [americano(3)], promotions: [flash] }).total).toBe(4000);
  });

  it('a free gift joins the order at zero once the spend reaches its threshold', () => {
    const gift: Promotion = {
      id: 'p_gift',
      name: '满50送曲奇',
      kind: 'free_gift',
      threshold: 5000,
      giftItemId: 'cookie',
    };
    const q = quote({ cart: [americano(3)], promotions: [gift] });
    expect(q.lines[1]).toMatchObject({
      index: 1,
      itemId: 'cookie',
      gift: true,
      subtotal: 500,
      discount: 500,
      total: 0,
    });
    expect(q).toMatchObject({ total: 6000, itemsSubtotal: 6500, itemDiscountTotal: 500, units: 3 });
    expect(quote({ cart: [americano(2)], promotions: [gift] }).lines).toHaveLength(1);
  });

  it('a member tier discount applies only to that tier', () => {
    const tier: Promotion = {
      id: 'p_gold',
      name: 'Gold 10%',
      kind: 'tier_discount',
      tierIds: ['gold'],
      percentOff: 10,
    };
    const cart = [americano(2)];
    expect(quote({ cart, promotions: [tier], member: { id: 'm', tierId: 'gold' } }).total).toBe(3600);
    expect(quote({ cart, promotions: [tier], member: { id: 'm', tierId: 'silver' } }).total).toBe(4000);
    expect(quote({ cart, promotions: [tier] }).total).toBe(4000);
  });

  it('每满30减5 repeats for every full 30', () => {
    const each: Promotion = {
      id: 'p',
      name: '每满30减5',
      kind: 'threshold',
      threshold: 3000,
      amountOff: 500,
      repeat: true,
    };
    expect(quote({ cart: [largeLatte(2)], promotions: [each] }).discountTotal).toBe(1000);
  });

  it('among exclusive spend tiers the guest gets the best one only', () => {
    const promotions: Promotion[] = [
      { id: 'p30', name: '满30减5', kind: 'threshold', threshold: 3000, amountOff: 500, exclusive: true },
      { id: 'p50', name: '满50减12', kind: 'threshold', threshold: 5000, amountOff: 1200, exclusive: true },
    ];
    const q = quote({ cart: [americano(3)], promotions });
    expect(q.appliedPromotionIds).toEqual(['p50']);
    expect(q.total).toBe(4800);
  });

  it('a promotion outside its dates, hours or stores does not run', () => {
    const base = { name: '20%', kind: 'percentage' as const, percentOff: 20 };
    const promotions: Promotion[] = [
      { ...base, id: 'future', validity: { from: NOW + 1 } },
      { ...base, id: 'past', validity: { to: NOW } },
      { ...base, id: 'morning', validity: { weekly: [{ days: [], start: '07:00', end: '10:00' }] } },
      { ...base, id: 'elsewhere', validity: { storeIds: ['sto_2'] } },
    ];
    expect(quote({ cart: [americano(1)], promotions }).total).toBe(2000);
  });

  it('spreads an order-level discount over lines so refunding one line is exact', () => {
    const p: Promotion = { id: 'p', name: '满30减8', kind: 'threshold', threshold: 3000, amountOff: 800 };
    const q = quote({ cart: [largeLatte(1), croissant(1), americano(1)], promotions: [p] });
    expect(q.lines.map((l) => l.discount)).toEqual([382, 179, 239]);
    expect(q.discounts[0]?.allocation).toEqual([
      { line: 0, amount: 382 },
      { line: 1, amount: 179 },
      { line: 2, amount: 239 },
    ]);
    expect(q.lines[1]?.total).toBe(1321);
  });
});

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

describe('fees', () => {
  it('charges packing per unit only in the listed modes, and delivery only for delivery', () => {
    const cart = [largeLatte(2)];
    expect(quote({ cart, mode: 'dine_in' })).toMatchObject({ packingFee: 0, deliveryFee: 0, total: 6400 });
    expect(quote({ cart, mode: 'pickup' })).toMatchObject({ packingFee: 200, deliveryFee: 0, total: 6600 });
    expect(quote({ cart, mode: 'delivery' })).toMatchObject({ packingFee: 200, deliveryFee: 600, total: 7200 });
  });

  it('a delivery waiver discounts the fee, not the lines', () => {
    const q = quote({ cart: [largeLatte(2)], mode: 'delivery', coupons: [waiver] });
    expect(q).toMatchObject({ deliveryFeeWaived: 600, discountTotal: 600, itemDiscountTotal: 0, total: 6600 });
    expect(q.lines.every((l) => l.discount === 0)).toBe(true);
    expect(q.discounts).toMatchObject([{ id: 'c_ship', amount: 600, allocation: [] }]);
  });

  it('finds the delivery fee band for a distance, or null when out of range', () => {
    const bands = [
      { upToMetres: 5000, fee: 800 },
      { upToMetres: 3000, fee: 500 },
    ];
    expect(deliveryFeeForDistance(bands, 0)).toBe(500);
    expect(deliveryFeeForDistance(bands, 3000)).toBe(500);
    expect(deliveryFeeForDistance(bands, 3001)).toBe(800);
    expect(deliveryFeeForDistance(bands, 5001)).toBeNull();
    expect(deliveryFeeForDistance(bands, -1)).toBeNull();
    expect(deliveryFeeForDistance([], 10)).toBeNull();
  });
});

describe('money arithmetic', () => {
  it('allocates by largest remainder with ties to the lower index', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(1000, [3333, 3333, 3334])).toEqual([333, 333, 334]);
    expect(allocate(7, [0, 5, 5])).toEqual([0, 4, 3]);
    expect(allocate(5, [0, 0])).toEqual([0, 0]);
    expect(allocate(3, [2 ** 40, 2 ** 40, 1])).toEqual([2, 1, 0]);
  });

  it('floors percentages in integers, reading two decimals', () => {
    expect(percentOf(999, 12.5)).toBe(124);
    expect(percentOf(1000, 12.3)).toBe(123);
    expect(percentOf(500, 150)).toBe(500);
    expect(percentOf(500, -5)).toBe(0);
  });

  it('gives the same answer for the same input', () => {
    const args = input({
      mode: 'delivery',
      cart: [largeLatte(2, true), americano(3), croissant(1)],
      promotions: [
        { id: 'p', name: '满30减8', kind: 'threshold', threshold: 3000, amountOff: 800 },
        { id: 'h', name: 'half', kind: 'second_half' },
      ],
      coupons: [manJian('c', 3000, 700), percentCoupon('d', 15), waiver],
    });
    expect(JSON.stringify(priceOrder(args))).toBe(JSON.stringify(priceOrder(args)));
  });
});
