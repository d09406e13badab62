/*
 * An experiment's result with 95 % intervals. A rate's interval is Wilson's score interval
 * (good at small counts and near 0 or 1, where the normal approximation leaves [0, 1]); the
 * difference of two rates uses Newcombe's hybrid score interval (Newcombe 1998, method 10),
 * built from the two Wilson intervals, so it inherits their behaviour at small counts.
 */

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's score interval for `successes` out of `trials`; [0, 1] when there are no trials. */
export function wilson(successes: number, trials: number, z = Z95): Interval {
  if (trials <= 0) return { low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Newcombe's interval for p₁ − p₂ (variant minus control): with (l₁, u₁) and (l₂, u₂) the
 * Wilson intervals, low = d − √((p₁−l₁)² + (u₂−p₂)²), high = d + √((u₁−p₁)² + (p₂−l₂)²).
 */
export function newcombeDifference(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  z = Z95,
): Interval & { diff: number } {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const a = wilson(x1, n1, z);
  const b = wilson(x2, n2, z);
  const diff = p1 - p2;
  return {
    diff,
    low: diff - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: diff + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

export interface VariantCounts {
  key: string;
  exposed: number;
  converted: number;
}

export interface VariantResult extends VariantCounts {
  rate: number;
  interval: Interval;
  /** Against the control (the first variant); null for the control itself. */
  vsControl: (Interval & { diff: number }) | null;
}

/** Each variant's rate with its Wilson interval, and its difference from the control (the first variant). */
export function experimentResults(counts: readonly VariantCounts[]): VariantResult[] {
  const control = counts[0];
  return counts.map((c, i) => ({
    ...c,
    rate: c.exposed > 0 ? c.converted / c.exposed : 0,
    interval: wilson(c.converted, c.exposed),
    vsControl:
      i === 0 || !control ? null : newcombeDifference(c.converted, c.exposed, control.converted, control.exposed),
  }));
}
