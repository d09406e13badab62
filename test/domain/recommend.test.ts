import { describe, expect, it } from 'vitest';
import type { MenuSnapshot, SnapshotItem } from '../../domain/menu';
import { type RecommendInput, recommend, summariseHistory } from '../../domain/recommend/recommend';
import {
  coPurchases,
  countPairs,
  hourBand,
  newPairCounts,
  popularity,
  topPartners,
} from '../../domain/recommend/stats';
import { itemTraits } from '../../domain/recommend/traits';
import type { WeeklySlot } from '../../domain/schedule';

/** Wednesday 2 December 2026, 15:00 in Shanghai: afternoon, no breakfast, no late night. */
const AFTERNOON = Date.parse('2026-12-02T15:00:00+08:00');
const LATE = Date.parse('2026-12-02T22:30:00+08:00');

function dish(id: string, name: string, extra: Partial<SnapshotItem> = {}): SnapshotItem {
  return {
    id,
    categoryId: '',
    name,
    description: '',
    price: 1500,
    imageUrl: null,
    calories: 600,
    ingredients: [],
    allergens: [],
    tags: [],
    specs: [],
    optionGroups: [],
    availability: [],
    soldOut: false,
    maxPerOrder: null,
    prepSeconds: 60,
    ...extra,
  };
}

const MORNING: WeeklySlot[] = [{ days: [], start: '06:00', end: '10:30' }];
const NIGHT: WeeklySlot[] = [{ days: [], start: '21:00', end: '02:00' }];

const menu: MenuSnapshot = {
  storeId: 'sto_a',
  brandId: 'brd_a',
  version: 1,
  publishedAt: 0,
  timeZone: 'Asia/Shanghai',
  currency: 'CNY',
  categories: [
    {
      id: 'cat_noodles',
      name: '面食 Noodles',
      items: [
        dish('itm_beef', '红烧牛肉面', { calories: 680 }),
        dish('itm_dandan', '担担面', { calories: 590 }),
        dish('itm_cold', '四川凉面', { calories: 430, tags: ['cold', 'vegetarian'] }),
      ],
    },
    {
      id: 'cat_snacks',
      name: '小吃 Snacks',
      items: [
        dish('itm_pot', '煎锅贴', { calories: 480 }),
        dish('itm_roll', '炸春卷', { calories: 360 }),
        dish('itm_skewers', '深夜烤串', { tags: ['late-night'], availability: NIGHT }),
      ],
    },
    {
      id: 'cat_breakfast',
      name: '早餐 Breakfast',
      items: [dish('itm_youtiao', '豆浆油条', { tags: ['breakfast'], availability: MORNING })],
    },
    {
      id: 'cat_drinks',
      name: '饮品 Drinks',
      items: [dish('itm_milktea', '珍珠奶茶', { calories: 420 }), dish('itm_plum', '酸梅汤', { tags: ['cold'] })],
    },
    { id: 'cat_new', name: '新品 New', items: [dish('itm_mango', '杨枝甘露', { tags: ['new', 'cold'] })] },
  ].map((c) => ({ ...c, items: c.items.map((i) => ({ ...i, categoryId: c.id })) })),
};

const order = (itemIds: string[], at = AFTERNOON - 86_400_000) => ({ storeId: 'sto_a', localHour: 15, itemIds, at });

/** The brand's afternoon: noodles with milk tea, potstickers with beef noodles, plum with dan dan. */
const brandOrders = [
  ...Array.from({ length: 6 }, () => order(['itm_beef', 'itm_milktea'])),
  ...Array.from({ length: 4 }, () => order(['itm_beef', 'itm_pot'])),
  ...Array.from({ length: 3 }, () => order(['itm_dandan', 'itm_plum'])),
  ...Array.from({ length: 2 }, () => order(['itm_mango'])),
];

const base = (over: Partial<RecommendInput> = {}): RecommendInput => ({
  strategy: 'blend',
  guest: {
    history: summariseHistory([
      order(['itm_beef', 'itm_pot']),
      order(['itm_beef']),
      order(['itm_youtiao', 'itm_beef']),
      order(['itm_youtiao']),
    ]),
    tags: [],
  },
  partners: coPurchases(brandOrders),
  popular: popularity(brandOrders).get(`sto_a|${hourBand(15)}`) ?? [],
  menu,
  soldOut: new Set(),
  weather: null,
  now: AFTERNOON,
  ...over,
});

describe('what a dish is', () => {
  it('reads drinks, hot and iced, fried and light dishes from names, categories and tags', () => {
    const traits = (name: string, category: string, tags: string[] = [], calories: number | null = 500) => [
      ...itemTraits({ name, category, tags, calories }),
    ];
    expect(traits('珍珠奶茶', '饮品 Drinks')).toEqual(['drink', 'hot_drink', 'milk_tea']);
    expect(traits('酸梅汤', '饮品 Drinks', ['cold'])).toEqual(['drink', 'iced_drink']);
    expect(traits('炸春卷', '小吃 Snacks')).toEqual(['snack', 'fried']);
    expect(traits('老北京炸酱面', '面食', [], 620)).toEqual([]);
    expect(traits('四川凉面', '面食', ['vegetarian'], 430)).toEqual(['light']);
  });
});

describe('recommendations', () => {
  it('a fixed history, weather and time give exactly these dishes and reasons, every time', () => {
    const first = recommend(base());
    expect(first).toEqual(recommend(base()));
    expect(first.strategy).toBe('blend');
    expect(first.items.map((i) => [i.itemId, i.reason.code, i.reason.text])).toEqual([
      ['itm_beef', 'favourite', '你常点的'],
      ['itm_milktea', 'goes_with', '配红烧牛肉面刚好'],
      ['itm_pot', 'goes_with', '配红烧牛肉面刚好'],
      ['itm_dandan', 'popular', '这个时段大家都在点'],
      ['itm_plum', 'popular', '这个时段大家都在点'],
      ['itm_mango', 'popular', '这个时段大家都在点'],
    ]);
    expect(first.items.map((i) => i.score)).toEqual([1.85, 0.9, 0.8, 0.09, 0.09, 0.06]);
    expect(first.combos.map((c) => [c.itemIds, c.reason.code, c.reason.text])).toEqual([
      [['itm_beef', 'itm_milktea'], 'goes_with', '珍珠奶茶配红烧牛肉面刚好'],
    ]);
  });

  it('never suggests a dish out of its daypart or sold out, even a favourite', () => {
    const r = recommend(base({ soldOut: new Set(['itm_beef']) }));
    const ids = r.items.map((i) => i.itemId);
    expect(ids).not.toContain('itm_youtiao');
    expect(ids).not.toContain('itm_beef');
    expect(ids).not.toContain('itm_skewers');
    expect(r.combos.flatMap((c) => c.itemIds)).not.toContain('itm_beef');
  });

  it('rain brings a hot drink with its reason, and a hot drink with a snack', () => {
    const r = recommend(base({ weather: 'rain' }));
    expect(r.items).toContainEqual(
      expect.objectContaining({ itemId: 'itm_milktea', reason: { code: 'weather', text: '下雨了，来杯热饮' } }),
    );
    expect(r.items.find((i) => i.itemId === 'itm_plum')?.reason.code).not.toBe('weather');
    expect(r.combos.find((c) => c.reason.code === 'weather')).toEqual({
      itemIds: ['itm_milktea', 'itm_pot'],
      score: 0.9,
      reason: { code: 'weather', text: '下雨了，热饮配小吃' },
    });
  });

  it('heat brings an iced drink', () => {
    const r = recommend(base({ weather: 'heat' }));
    expect(r.items.find((i) => i.itemId === 'itm_plum')?.reason).toEqual({ code: 'weather', text: '天热了，来杯冰饮' });
  });

  it('late at night the late-night dish is offered, and breakfast is not', () => {
    const r = recommend(base({ now: LATE }));
    expect(r.items.find((i) => i.itemId === 'itm_skewers')?.reason).toEqual({
      code: 'late_night',
      text: '夜深了，来份宵夜',
    });
    expect(r.items.map((i) => i.itemId)).not.toContain('itm_youtiao');
  });

  it('a guest who mostly eats fried food is offered a light meal', () => {
    const fried = summariseHistory([
      order(['itm_pot']),
      order(['itm_roll', 'itm_beef']),
      order(['itm_pot', 'itm_dandan']),
    ]);
    const r = recommend(base({ guest: { history: fried, tags: [] } }));
    expect(r.items.find((i) => i.itemId === 'itm_cold')?.reason).toEqual({
      code: 'light_meal',
      text: '换换口味，来份清淡的',
    });
  });

  it('a milk-tea lover gets a milk tea and dessert combo', () => {
    const r = recommend(base({ guest: { history: summariseHistory([]), tags: ['milk tea'] } }));
    expect(r.combos[0]).toEqual({
      itemIds: ['itm_milktea', 'itm_mango'],
      score: 1.5,
      reason: { code: 'milk_tea_dessert', text: '珍珠奶茶配杨枝甘露，甜上加甜' },
    });
  });

  it('a guest with little history is shown popular dishes not yet tried', () => {
    const r = recommend(base({ guest: { history: summariseHistory([order(['itm_beef'])]), tags: [] } }));
    expect(r.items.filter((i) => i.reason.code === 'explore').map((i) => i.itemId)).toEqual([
      'itm_milktea',
      'itm_pot',
      'itm_dandan',
    ]);
    expect(r.items.find((i) => i.itemId === 'itm_beef')?.reason.code).toBe('popular');
  });

  it('without a known guest, or with the popular strategy, the list is popular-now only', () => {
    for (const r of [recommend(base({ guest: null })), recommend(base({ strategy: 'popular' }))]) {
      expect(r.strategy).toBe('popular');
      expect(r.items.every((i) => i.reason.code === 'popular')).toBe(true);
      expect(r.items.map((i) => i.itemId).slice(0, 3)).toEqual(['itm_beef', 'itm_milktea', 'itm_pot']);
      expect(r.combos).toEqual([
        { itemIds: ['itm_beef', 'itm_milktea'], score: 1.6, reason: { code: 'popular', text: '大家常一起点' } },
      ]);
    }
  });
});

describe('statistics', () => {
  it("keeps each dish's partners seen together at least twice, most first", () => {
    const pairs = coPurchases(brandOrders);
    expect(pairs.get('itm_beef')).toEqual([
      { partnerId: 'itm_milktea', orders: 6, permille: 600 },
      { partnerId: 'itm_pot', orders: 4, permille: 400 },
    ]);
    expect(pairs.has('itm_mango')).toBe(false);
  });

  it('counting a store at a time gives the same partners as counting the brand at once', () => {
    const counts = newPairCounts();
    countPairs(counts, brandOrders.slice(0, 7));
    countPairs(counts, brandOrders.slice(7));
    expect(topPartners(counts)).toEqual(coPurchases(brandOrders));
  });
});
