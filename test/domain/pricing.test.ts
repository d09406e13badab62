import { describe, expect, it } from 'vitest';
import { allocate, deliveryFeeForDistance, type Promotion, percentOf, priceOrder } from '../../domain/pricing';
import { americano, croissant, input, largeLatte, manJian, NOW, percentCoupon, quote, waiver } from './pricing.fixture';

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
