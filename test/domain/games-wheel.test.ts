import { describe, expect, it } from 'vitest';
import { drawPrize, seededRng, spinRefusal, type WheelPrize, wheelOdds } from '../../domain/games/wheel';

const prize = (id: string, weight: number, stock: number | null = null, awarded = 0): WheelPrize => ({
  id,
  weight,
  stock,
  awarded,
});

describe('the lucky wheel', () => {
  it('publishes odds that add up to exactly 100, with a prize out of stock shown as such', () => {
    const odds = wheelOdds([prize('a', 1), prize('b', 1), prize('c', 1)]);
    expect(odds.map((o) => o.chancePercent)).toEqual([33.34, 33.33, 33.33]);
    expect(odds.reduce((s, o) => s + o.chancePercent * 100, 0)).toBe(10_000);

    const out = wheelOdds([prize('a', 5, 2, 2), prize('b', 3), prize('c', 1)]);
    expect(out).toEqual([
      { prizeId: 'a', chancePercent: 0, outOfStock: true },
      { prizeId: 'b', chancePercent: 75, outOfStock: false },
      { prizeId: 'c', chancePercent: 25, outOfStock: false },
    ]);
    expect(wheelOdds([prize('a', 1, 0)]).map((o) => o.chancePercent)).toEqual([0]);
  });

  it('100,000 seeded draws land within half a point of each published chance', () => {
    const prizes = [prize('big', 1), prize('mid', 9), prize('small', 30), prize('thanks', 60), prize('gone', 50, 1, 1)];
    const odds = wheelOdds(prizes);
    const rng = seededRng(20_26);
    const hits = prizes.map(() => 0);
    const n = 100_000;
    for (let i = 0; i < n; i++) hits[drawPrize(prizes, rng())!]! += 1;
    expect(hits[4]).toBe(0);
    for (const [i, o] of odds.entries()) expect(Math.abs((hits[i]! / n) * 100 - o.chancePercent)).toBeLessThan(0.5);
    // And a chi-square test at 3 degrees of freedom (p = 0.001 critical value 16.27).
    const chi = odds.slice(0, 4).reduce((s, o, i) => {
      const expected = (n * o.chancePercent) / 100;
      return s + (hits[i]! - expected) ** 2 / expected;
    }, 0);
    expect(chi).toBeLessThan(16.27);
  });

  it('draws only prizes in stock, and nothing when none is', () => {
    const prizes = [prize('a', 1, 1, 1), prize('b', 1)];
    for (const r of [0, 0.3, 0.999999]) expect(drawPrize(prizes, r)).toBe(1);
    expect(drawPrize([prize('a', 1, 0)], 0.5)).toBeNull();
  });

  it('refuses a spin outside the window, when switched off, or past the daily limit', () => {
    const w = { active: true, startsAt: 100, endsAt: 200, dailyLimit: 2 };
    expect(spinRefusal(w, 150, 1)).toBeNull();
    expect(spinRefusal(w, 99, 0)).toBe('inactive');
    expect(spinRefusal(w, 200, 0)).toBe('inactive');
    expect(spinRefusal({ ...w, active: false }, 150, 0)).toBe('inactive');
    expect(spinRefusal({ ...w, endsAt: null }, 10_000, 2)).toBe('daily_limit');
  });
});
