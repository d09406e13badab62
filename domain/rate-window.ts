/**
 * Counts events over a sliding window in one-second buckets: constant work per order,
 * however busy the store is (counting order rows for the last minute grew with load).
 */
export class RateWindow {
  private readonly buckets = new Map<number, number>();

  constructor(private readonly windowMs = 60_000) {}

  private prune(now: number) {
    const oldest = Math.floor((now - this.windowMs) / 1000);
    for (const second of this.buckets.keys()) if (second <= oldest) this.buckets.delete(second);
  }

  /** Events in the window ending at `now`, and when the oldest of them leaves it. */
  count(now: number): { n: number; freesAt: number | null } {
    this.prune(now);
    let n = 0;
    let first: number | null = null;
    for (const [second, c] of this.buckets) {
      n += c;
      if (first === null || second < first) first = second;
    }
    return { n, freesAt: first === null ? null : (first + 1) * 1000 + this.windowMs };
  }

  add(now: number) {
    const second = Math.floor(now / 1000);
    this.buckets.set(second, (this.buckets.get(second) ?? 0) + 1);
  }
}
