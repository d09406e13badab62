import { describe, expect, it } from 'vitest';
import { backtest, chooseMethod, errorOf } from '../../domain/forecast/backtest';
import { fitHoltWinters, holtWinters, holtWintersForecast } from '../../domain/forecast/holt-winters';
import { overallAccuracy, prepForecast } from '../../domain/forecast/prep-forecast';
import { seasonalNaive } from '../../domain/forecast/seasonal-naive';
import { openMsBetween, velocity } from '../../domain/forecast/velocity';

// Two weeks of a dish's daily sales, Monday first: busy weekends.
const WEEK_A = [10, 12, 11, 13, 20, 30, 25];
const WEEK_B = [11, 13, 12, 14, 22, 31, 27];

describe('seasonal naive: same weekday last week', () => {
  it('tomorrow is the same weekday a week before it; eight days out, the week before that', () => {
    const series = [...WEEK_A, ...WEEK_B];
    expect(seasonalNaive(series, 1)).toBe(11); // the Monday after WEEK_B: WEEK_B's Monday
    expect(seasonalNaive(series, 2)).toBe(13);
    expect(seasonalNaive(series, 7)).toBe(27);
    expect(seasonalNaive(series, 8)).toBe(11);
    expect(seasonalNaive([1, 2, 3], 1)).toBeNull();
  });
});

describe('Holt-Winters, additive, worked by hand', () => {
  // Season 2, α = β = γ = 0.5 over 1 3 2 4 4 5 (worked step by step in the comments).
  const fit = holtWinters([1, 3, 2, 4, 4, 5], { alpha: 0.5, beta: 0.5, gamma: 0.5 }, 2)!;

  it('starts from the first two seasons and ends with known states', () => {
    // Init: means 2 and 3 → trend 0.5, level 2.25, seasonals −0.75 / 0.75. Steps 2 and 3 are
    // forecast exactly; step 4 misses by 1 (3 for 4), step 5 by −0.75 (5.75 for 5).
    expect(fit.level).toBe(4.625);
    expect(fit.trend).toBe(0.5625);
    expect(fit.seasonals).toEqual([-0.25, 0.375]);
    expect(fit.sse).toBe(1.5625);
  });

  it('forecasts level + h·trend + the slot’s seasonal term', () => {
    expect(holtWintersForecast(fit, 1)).toBe(4.9375);
    expect(holtWintersForecast(fit, 2)).toBe(6.125);
    expect(holtWintersForecast(fit, 3)).toBe(6.0625);
  });

  it('damping shrinks the trend’s reach: φ + φ² for two steps', () => {
    const damped = holtWinters([1, 3, 2, 4, 4, 5], { alpha: 0.5, beta: 0.5, gamma: 0.5, phi: 0.5 }, 2)!;
    const expected = damped.level + (0.5 + 0.25) * damped.trend + damped.seasonals[1]!;
    expect(holtWintersForecast(damped, 2)).toBe(expected);
  });

  it('a straight trend plus a repeating week is followed exactly, whatever the parameters', () => {
    const series = Array.from({ length: 28 }, (_, t) => 20 + 0.5 * t + [0, -2, -1, 0, 3, 6, 4][t % 7]! - 10 / 7);
    for (const params of [
      { alpha: 0.1, beta: 0.1, gamma: 0.1 },
      { alpha: 0.9, beta: 0.5, gamma: 0.4 },
    ]) {
      const f = holtWinters(series, params)!;
      expect(f.sse).toBeCloseTo(0, 9);
      expect(holtWintersForecast(f, 1)).toBeCloseTo(20 + 0.5 * 28 - 10 / 7, 9);
    }
    expect(holtWinters(series.slice(0, 13), { alpha: 0.5, beta: 0.1, gamma: 0.1 })).toBeNull();
  });

  it('fitting picks the grid point with the least one-step error', () => {
    const noisy = [...WEEK_A, ...WEEK_B, 12, 14, 12, 15, 23, 33, 27, 12, 15, 13, 15, 24, 33, 29];
    const best = fitHoltWinters(noisy)!;
    const other = holtWinters(noisy, { alpha: 0.9, beta: 0.2, gamma: 0.4, phi: 1 })!;
    expect(best.sse).toBeLessThanOrEqual(other.sse);
  });
});

describe('backtests and the chooser', () => {
  it('a rolling-origin backtest forecasts each of the last days from the history h days before it', () => {
    const seen: number[] = [];
    const lastValue = (history: readonly number[]) => {
      seen.push(history.length);
      return history.at(-1)!;
    };
    // Targets 4 and 6 at horizon 2 come from the histories ending two days before them (at 2 and 3).
    const e = backtest([1, 2, 3, 4, 6], lastValue, 2, 2)!;
    expect(seen).toEqual([2, 3]);
    expect(e).toEqual({ days: 2, mae: (2 + 3) / 2, wape: 5 / 10, absError: 5, actual: 10 });
    expect(backtest([1, 2], lastValue, 2, 2)).toBeNull();
  });

  it('picks the method with the lower error; a tie goes to the one named first', () => {
    const low = errorOf(7, 100, 14);
    const high = errorOf(14, 100, 14);
    expect(
      chooseMethod([
        ['seasonal_naive', high],
        ['holt_winters', low],
      ]),
    ).toBe('holt_winters');
    expect(
      chooseMethod([
        ['seasonal_naive', low],
        ['holt_winters', high],
      ]),
    ).toBe('seasonal_naive');
    expect(
      chooseMethod([
        ['seasonal_naive', low],
        ['holt_winters', low],
      ]),
    ).toBe('seasonal_naive');
    expect(
      chooseMethod([
        ['seasonal_naive', low],
        ['holt_winters', null],
      ]),
    ).toBe('seasonal_naive');
  });

  it('a dish that sells the same every week keeps seasonal naive: Holt-Winters cannot do better', () => {
    const series = Array.from({ length: 56 }, (_, t) => WEEK_A[t % 7]!);
    const p = prepForecast(series, 2)!;
    expect(p.backtest.seasonalNaive).toMatchObject({ days: 14, mae: 0, wape: 0 });
    expect(p).toMatchObject({ method: 'seasonal_naive', forecast: 12, quantity: 12 });
  });

  it('a dish growing every day goes to Holt-Winters, whose backtest error is lower', () => {
    const series = Array.from({ length: 56 }, (_, t) => 10 + t + WEEK_A[t % 7]!);
    const p = prepForecast(series, 1)!;
    // Seasonal naive is a week behind the growth: 7 units short every day.
    expect(p.backtest.seasonalNaive!.mae).toBeCloseTo(7, 9);
    expect(p.backtest.holtWinters!.mae).toBeLessThan(p.backtest.seasonalNaive!.mae);
    expect(p.method).toBe('holt_winters');
    expect(p.forecast).toBeCloseTo(10 + 56 + WEEK_A[0]!, 6);
    expect(p.quantity).toBe(76);
  });

  it('overall accuracy adds the dishes’ errors, for the chosen method and for each', () => {
    const flat = prepForecast(
      Array.from({ length: 56 }, (_, t) => WEEK_A[t % 7]!),
      2,
    )!;
    const growing = prepForecast(
      Array.from({ length: 56 }, (_, t) => 10 + t + WEEK_A[t % 7]!),
      2,
    )!;
    const all = overallAccuracy([flat, growing]);
    expect(all.seasonalNaive!.absError).toBeCloseTo(growing.backtest.seasonalNaive!.absError, 9);
    expect(all.chosen!.mae).toBeLessThanOrEqual(all.seasonalNaive!.mae);
    expect(all.chosen!.days).toBe(28);
  });

  it('too little history: a week and a day gives seasonal naive, less gives nothing', () => {
    expect(prepForecast([...WEEK_A, 9], 1)).toMatchObject({ method: 'seasonal_naive', forecast: 12 });
    expect(prepForecast([1, 2, 3], 1)).toBeNull();
  });
});

describe('velocity: units per open hour, today against the same weekday', () => {
  const HOUR = 3_600_000;
  it('counts only open hours', () => {
    const hours = [{ days: [], start: '07:00', end: '22:00' }];
    const from = Date.parse('2026-11-23T04:00+08:00');
    expect(openMsBetween(hours, 'Asia/Shanghai', from, Date.parse('2026-11-23T10:30+08:00'))).toBe(3.5 * HOUR);
    expect(openMsBetween([], 'Asia/Shanghai', from, from + 2 * HOUR)).toBe(2 * HOUR);
  });

  it('today twice as fast as the same weekday is a ratio of 2', () => {
    const v = velocity({ units: 20, openMs: 4 * HOUR }, [
      { units: 8, openMs: 4 * HOUR },
      { units: 12, openMs: 4 * HOUR },
    ]);
    expect(v).toEqual({
      today: { units: 20, perHour: 5 },
      sameWeekday: { weeks: 2, units: 10, perHour: 2.5 },
      ratio: 2,
    });
    expect(velocity({ units: 3, openMs: 0 }, []).ratio).toBeNull();
  });
});
