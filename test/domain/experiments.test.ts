import { describe, expect, it } from 'vitest';
import { assignVariant, inBrandHoldout, splitBrandHoldout } from '../../domain/experiments/assignment';
import { experimentResults, newcombeDifference, wilson } from '../../domain/experiments/stats';

const halves = [
  { key: 'grid', weight: 1 },
  { key: 'list', weight: 1 },
];

describe('who sees which variant', () => {
  it('gives a member the same variant every time, and splits 10,000 members 50/50 within ±2 %', () => {
    const counts = { grid: 0, list: 0 } as Record<string, number>;
    for (let i = 0; i < 10_000; i++) {
      const v = assignVariant('exp_menu', 'salt1', halves, `mbr_${i}`);
      expect(assignVariant('exp_menu', 'salt1', halves, `mbr_${i}`)).toBe(v);
      counts[v]! += 1;
    }
    expect(Math.abs(counts.grid! - 5_000)).toBeLessThanOrEqual(200);
    expect(Math.abs(counts.list! - 5_000)).toBeLessThanOrEqual(200);
  });

  it('follows uneven weights (90/10) within tolerance', () => {
    let small = 0;
    for (let i = 0; i < 10_000; i++) {
      if (
        assignVariant(
          'exp_x',
          's',
          [
            { key: 'a', weight: 9 },
            { key: 'b', weight: 1 },
          ],
          `m${i}`,
        ) === 'b'
      )
        small++;
    }
    expect(Math.abs(small - 1_000)).toBeLessThanOrEqual(200);
  });

  it('holds the same brand members out of every campaign, about the share asked', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `mbr_${i}`);
    const { held, rest } = splitBrandHoldout('brd_1', ids, 10);
    expect(held.length + rest.length).toBe(10_000);
    expect(Math.abs(held.length - 1_000)).toBeLessThanOrEqual(200);
    expect(held.every((id) => inBrandHoldout('brd_1', id, 10))).toBe(true);
    expect(splitBrandHoldout('brd_1', ids, 0).held).toEqual([]);
  });
});

describe('the result with 95 % intervals', () => {
  it('matches a hand computation: control 20/100, variant 30/100', () => {
    // Wilson, z = 1.96, z² = 3.8416, n = 100: denom = 1 + z²/n = 1.038416.
    // Control p = 0.2: centre = (0.2 + z²/2n) / denom = 0.219208 / 1.038416 = 0.21110;
    //   half = z·√(p(1−p)/n + z²/4n²) / denom = 1.96·√(0.0016 + 0.00009604) / 1.038416 = 0.07773
    //   → [0.13337, 0.28883].
    // Variant p = 0.3: centre = 0.319208 / 1.038416 = 0.30740; half = 1.96·√(0.0021 + 0.00009604) / 1.038416
    //   = 0.08845 → [0.21895, 0.39585].
    // Newcombe: d = 0.1; low = d − √((0.3 − 0.21895)² + (0.28883 − 0.2)²) = 0.1 − √0.014460 = −0.02025;
    //   high = d + √((0.39585 − 0.3)² + (0.2 − 0.13337)²) = 0.1 + √0.013627 = 0.21673.
    const control = wilson(20, 100);
    expect(control.low).toBeCloseTo(0.13337, 4);
    expect(control.high).toBeCloseTo(0.28883, 4);
    const d = newcombeDifference(30, 100, 20, 100);
    expect(d.diff).toBeCloseTo(0.1, 10);
    expect(d.low).toBeCloseTo(-0.02025, 4);
    expect(d.high).toBeCloseTo(0.21673, 4);

    const [a, b] = experimentResults([
      { key: 'grid', exposed: 100, converted: 20 },
      { key: 'list', exposed: 100, converted: 30 },
    ]);
    expect(a!.vsControl).toBeNull();
    expect(b!.rate).toBe(0.3);
    expect(b!.interval.low).toBeCloseTo(0.21895, 4);
    expect(b!.vsControl!.low).toBeCloseTo(-0.02025, 4);
  });

  it('says nothing is known before anyone is exposed', () => {
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });
});
