import { describe, expect, it } from 'vitest';
import { computeProfile, mealScene, median, type ProfileOrder, spendingLevel } from '../../domain/profiles/profile';
import { defaultProfileConfig } from '../../domain/profiles/profile-config';

/** An instant written as local wall time with its offset: 2026-11-16 is a Monday. */
const at = (iso: string) => Date.parse(iso);
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;

const tea = { itemId: 'itm_tea', name: 'Milk tea', category: 'Milk Tea', tags: ['sweet'], optionNames: [] };
const chicken = { itemId: 'itm_chicken', name: 'Fried chicken', category: 'Snacks', tags: ['fried'], optionNames: [] };
const salad = { itemId: 'itm_salad', name: 'Salad', category: 'Bowls', tags: ['light'], optionNames: [] };

const order = (when: string, total: number, lines: [typeof tea, number][], extra: Partial<ProfileOrder> = {}) => ({
  at: at(when),
  total,
  mode: 'pickup',
  discounted: false,
  deliveryFee: 0,
  lines: lines.map(([l, quantity]) => ({ ...l, quantity })),
  ...extra,
});

describe('spending level', () => {
  it('bands the average ticket: under ¥30 low, from ¥30 mid, from ¥80 high', () => {
    expect([2999, 3000, 7999, 8000].map((c) => spendingLevel(c))).toEqual(['low', 'mid', 'mid', 'high']);
  });
});

describe('meal scenes, in Shanghai time', () => {
  it('a weekday lunch, late night past midnight, breakfast, afternoon tea', () => {
    expect(mealScene(order('2026-11-16T12:30+08:00', 3000, [[tea, 1]]), TZ)).toBe('weekday_lunch');
    expect(mealScene(order('2026-11-17T01:30+08:00', 3000, [[tea, 1]]), TZ)).toBe('late_night');
    expect(mealScene(order('2026-11-17T08:00+08:00', 800, [[tea, 1]]), TZ)).toBe('breakfast');
    expect(mealScene(order('2026-11-17T15:00+08:00', 800, [[tea, 1]]), TZ)).toBe('afternoon_tea');
  });

  it('a Friday or weekend dinner is a family meal with a big ticket or many portions, else no scene', () => {
    expect(mealScene(order('2026-11-20T18:30+08:00', 16_000, [[tea, 1]]), TZ)).toBe('weekend_family');
    expect(mealScene(order('2026-11-22T19:00+08:00', 5_000, [[chicken, 4]]), TZ)).toBe('weekend_family');
    expect(mealScene(order('2026-11-22T19:00+08:00', 5_000, [[chicken, 1]]), TZ)).toBeNull();
    expect(mealScene(order('2026-11-18T19:00+08:00', 16_000, [[tea, 1]]), TZ)).toBeNull();
    // A Saturday lunch is no weekday lunch.
    expect(mealScene(order('2026-11-21T12:30+08:00', 3000, [[tea, 1]]), TZ)).toBeNull();
  });
});

describe('the profile', () => {
  const history = [
    order(
      '2026-11-16T12:30+08:00',
      3500,
      [
        [tea, 1],
        [chicken, 1],
      ],
      { discounted: true },
    ),
    order('2026-11-17T12:15+08:00', 3000, [[tea, 2]]),
    order('2026-11-18T22:30+08:00', 4500, [[chicken, 1]], { mode: 'delivery' }),
    order(
      '2026-11-21T18:30+08:00',
      16_000,
      [
        [chicken, 2],
        [tea, 3],
      ],
      { mode: 'dine_in' },
    ),
    order('2026-11-23T12:40+08:00', 1500, [[tea, 1]]),
    order('2026-11-26T12:20+08:00', 3000, [
      [salad, 1],
      [tea, 1],
    ]),
  ];

  it('does not depend on the order the history comes in', () => {
    const none = { tags: [], scenes: [] };
    expect(computeProfile([...history].reverse(), none, TZ)).toEqual(computeProfile(history, none, TZ));
  });

  it('reads favourites, tags, scenes, modes, sensitivity, health and the next visit', () => {
    const p = computeProfile(history, { tags: [], scenes: [] }, TZ);
    expect(p.favouriteDishes.map((d) => [d.itemId, d.count])).toEqual([
      ['itm_tea', 8],
      ['itm_chicken', 4],
      ['itm_salad', 1],
    ]);
    expect(p.tags.slice(0, 2)).toEqual([
      { tag: 'milk tea', count: 5 },
      { tag: 'sweet', count: 5 },
    ]);
    expect(p.tags.map((t) => t.tag)).toContain('late night');
    expect(p.spending).toEqual({ averageTicket: 5250, level: 'mid' });
    expect(p.mainScenes).toEqual(['weekday_lunch']);
    expect(p.modes).toEqual({ dine_in: 0.17, pickup: 0.67, delivery: 0.17 });
    expect(p.priceSensitivity).toBe(0.17);
    expect(p.health).toEqual({ friedShare: 0.31, lightShare: 0.08, leaning: 'fried' });
    // Visit days 16, 17, 18, 21, 23, 26: gaps 1, 1, 3, 2, 3, median 2.
    expect(p.medianIntervalDays).toBe(2);
    expect(p.nextVisitAt).toBe(at('2026-11-26T12:20+08:00') + 2 * DAY);
  });

  it('leaves out what the member excluded', () => {
    const p = computeProfile(history, { tags: ['Milk Tea'], scenes: ['weekday_lunch'] }, TZ);
    expect(p.tags.map((t) => t.tag)).not.toContain('milk tea');
    expect(p.scenes.map((s) => s.scene)).toEqual(['late_night', 'weekend_family']);
    expect(p.mainScenes).toEqual([]);
  });

  it('free delivery deters a fee once most of several delivery orders were free', () => {
    const deliveries = [1, 2, 3].map((d) =>
      order(`2026-11-1${d}T19:00+08:00`, 3000, [[tea, 1]], { mode: 'delivery', deliveryFee: 0 }),
    );
    expect(computeProfile(deliveries, { tags: [], scenes: [] }, TZ).delivery).toEqual({
      share: 1,
      freeShare: 1,
      feeDeters: true,
    });
    const paid = deliveries.map((o) => ({ ...o, deliveryFee: 500 }));
    expect(computeProfile(paid, { tags: [], scenes: [] }, TZ).delivery.feeDeters).toBe(false);
  });

  it('an empty history is an empty profile', () => {
    const p = computeProfile([], { tags: [], scenes: [] }, TZ);
    expect(p).toMatchObject({ orders: 0, spending: null, lastVisitAt: null, nextVisitAt: null });
    expect(p.health.leaning).toBeNull();
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([3, 1, 2, 4])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(defaultProfileConfig.sceneShare).toBe(0.25);
  });
});
