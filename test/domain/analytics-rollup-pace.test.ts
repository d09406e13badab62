import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PACE_MS,
  nextDerivationAt,
  PACE_FROM_ORDERS,
  PACE_MS_PER_ORDER,
  paceMs,
} from '../../domain/analytics/rollup-pace';

describe("a store-day's pace between re-derivations", () => {
  it("a quiet day's figures follow every event: under 200 orders there is no pace", () => {
    expect(paceMs(0)).toBe(0);
    expect(paceMs(PACE_FROM_ORDERS - 1)).toBe(0);
  });

  it('a busy day waits 10 ms for each order it holds: 1,000 orders, 10 s', () => {
    expect(paceMs(PACE_FROM_ORDERS)).toBe(PACE_FROM_ORDERS * PACE_MS_PER_ORDER);
    expect(paceMs(1_000)).toBe(10_000);
  });

  it('a manager never waits more than a minute for the figures, however big the day', () => {
    expect(paceMs(6_000)).toBe(MAX_PACE_MS);
    expect(paceMs(1_000_000)).toBe(MAX_PACE_MS);
  });

  it('the pace never shrinks as the day grows', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), (a, b) => {
        const [small, big] = a <= b ? [a, b] : [b, a];
        expect(paceMs(small)).toBeLessThanOrEqual(paceMs(big));
      }),
    );
  });

  it('a day never re-derived may be at once; one re-derived is due after its pace', () => {
    expect(nextDerivationAt(undefined)).toBe(Number.NEGATIVE_INFINITY);
    expect(nextDerivationAt({ at: 5_000, orders: 100 })).toBe(5_000);
    expect(nextDerivationAt({ at: 5_000, orders: 1_000 })).toBe(15_000);
  });
});
