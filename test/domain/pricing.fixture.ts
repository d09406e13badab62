import type { MenuSnapshot, SnapshotItem } from '../../domain/menu';
import { type HeldCoupon, type PricingInput, priceOrder, type Quote } from '../../domain/pricing';

/** Monday 2026-11-23, 12:00 in Shanghai. */
export const NOW = Date.UTC(2026, 10, 23, 4, 0);

function item(p: Partial<SnapshotItem> & Pick<SnapshotItem, 'id' | 'categoryId' | 'name' | 'price'>): SnapshotItem {
  return {
    description: '',
    imageUrl: null,
    calories: null,
    ingredients: [],
    allergens: [],
    tags: [],
    specs: [],
    optionGroups: [],
    availability: [],
    soldOut: false,
    maxPerOrder: null,
    prepSeconds: 60,
    ...p,
  };
}

export const latte = item({
  id: 'latte',
  categoryId: 'coffee',
  name: 'Latte',
  price: 2800,
  specs: [
    { id: 'sm', name: 'Small', price: 2800 },
    { id: 'lg', name: 'Large', price: 3200 },
  ],
  optionGroups: [
    { id: 'milk', name: 'Milk', min: 0, max: 1, options: [{ id: 'oat', name: 'Oat milk', priceDelta: 300 }] },
    {
      id: 'sugar',
      name: 'Sugar',
      min: 1,
      max: 1,
      options: [
        { id: 'full', name: 'Full sugar', priceDelta: 0 },
        { id: 'half', name: 'Half sugar', priceDelta: 0 },
      ],
    },
  ],
});

export const menu: MenuSnapshot = {
  storeId: 'sto_1',
  brandId: 'brd_1',
  version: 3,
  publishedAt: NOW - 86_400_000,
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  categories: [
    {
      id: 'coffee',
      name: 'Coffee',
      items: [
        latte,
        item({ id: 'americano', categoryId: 'coffee', name: 'Americano', price: 2000 }),
        item({ id: 'tea', categoryId: 'coffee', name: 'Jasmine tea', price: 1800, soldOut: true }),
      ],
    },
    {
      id: 'bakery',
      name: 'Bakery',
      items: [
        item({ id: 'croissant', categoryId: 'bakery', name: 'Croissant', price: 1500, maxPerOrder: 3 }),
        item({
          id: 'sandwich',
          categoryId: 'bakery',
          name: 'Breakfast sandwich',
          price: 2500,
          availability: [{ days: [], start: '06:00', end: '10:30' }],
        }),
        item({ id: 'cookie', categoryId: 'bakery', name: 'Cookie', price: 500 }),
      ],
    },
  ],
};

/** A large latte with full sugar, optionally with oat milk. */
export function largeLatte(quantity = 1, oat = false) {
  return { itemId: 'latte', specId: 'lg', optionIds: oat ? ['oat', 'full'] : ['full'], quantity };
}

export function input(over: Partial<PricingInput> = {}): PricingInput {
  return {
    menu,
    cart: [],
    mode: 'dine_in',
    now: NOW,
    promotions: [],
    coupons: [],
    stacking: { maxCouponsPerOrder: 1, couponsWithPromotions: true, percentageBase: 'discounted' },
    fees: { packingPerUnit: 100, packingModes: ['pickup', 'delivery'], delivery: 600 },
    limits: { maxUnitsPerOrder: 50 },
    ...over,
  };
}

/** Prices and insists on a quote. */
export function quote(over: Partial<PricingInput> = {}): Quote {
  const r = priceOrder(input(over));
  if (!r.ok) throw new Error(`expected a quote, got ${JSON.stringify(r.errors)}`);
  return r;
}

export const americano = (quantity: number) => ({ itemId: 'americano', quantity });
export const croissant = (quantity: number) => ({ itemId: 'croissant', quantity });

export type Extra = Pick<HeldCoupon, 'validity' | 'scope' | 'exclusive'>;

export const manJian = (id: string, threshold: number, amountOff: number, extra: Extra = {}): HeldCoupon => ({
  id,
  templateId: `tpl_${id}`,
  name: `满${threshold / 100}减${amountOff / 100}`,
  kind: 'amount',
  threshold,
  amountOff,
  ...extra,
});
export const percentCoupon = (id: string, percentOff: number, extra: Extra & { cap?: number } = {}): HeldCoupon => ({
  id,
  templateId: `tpl_${id}`,
  name: `${percentOff}% off`,
  kind: 'percent',
  percentOff,
  ...extra,
});
export const waiver: HeldCoupon = {
  id: 'c_ship',
  templateId: 'tpl_ship',
  name: 'Free delivery',
  kind: 'delivery_waiver',
};
