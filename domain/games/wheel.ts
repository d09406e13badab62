/*
 * The lucky wheel (幸运大转盘, issue #20): published odds and the draw. A prize's chance is
 * its weight over the total weight of the prizes still in stock, so the odds a guest reads
 * are exactly the odds the draw uses at that moment.
 */

export type WheelPrizeKind = 'points' | 'coupon' | 'none';

export interface WheelPrize {
  id: string;
  weight: number;
  /** Null: unlimited. */
  stock: number | null;
  awarded: number;
}

export interface WheelWindow {
  active: boolean;
  startsAt: number;
  /** Null: open-ended. */
  endsAt: number | null;
}

/** A uniform draw in [0, 1): `crypto` in production, a seeded generator in tests. */
export type Rng = () => number;

export const inStock = (p: Pick<WheelPrize, 'stock' | 'awarded'>) => p.stock === null || p.awarded < p.stock;

/**
 * The published odds: each prize's chance in percent with two decimals, summing to exactly
 * 100 (largest remainder on basis points, ties to the earlier prize); a prize out of stock
 * shows 0 and `outOfStock`. All prizes out of stock: every chance is 0.
 */
export function wheelOdds(prizes: readonly WheelPrize[]) {
  const total = prizes.reduce((s, p) => s + (inStock(p) ? p.weight : 0), 0);
  const exact = prizes.map((p) => (total > 0 && inStock(p) ? (p.weight * 10_000) / total : 0));
  const bp = exact.map(Math.floor);
  let left = total > 0 ? 10_000 - bp.reduce((s, x) => s + x, 0) : 0;
  const byRemainder = exact
    .map((x, i) => ({ i, rem: x - Math.floor(x) }))
    .filter((x) => x.rem > 0)
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    bp[i]! += 1;
    left -= 1;
  }
  return prizes.map((p, i) => ({ prizeId: p.id, chancePercent: bp[i]! / 100, outOfStock: !inStock(p) }));
}

/** The index of the prize a uniform draw `r` in [0, 1) lands on among those in stock; null if none is. */
export function drawPrize(prizes: readonly WheelPrize[], r: number): number | null {
  const total = prizes.reduce((s, p) => s + (inStock(p) ? p.weight : 0), 0);
  if (total <= 0) return null;
  let x = r * total;
  let last: number | null = null;
  for (let i = 0; i < prizes.length; i++) {
    if (!inStock(prizes[i]!) || prizes[i]!.weight <= 0) continue;
    last = i;
    x -= prizes[i]!.weight;
    if (x < 0) return i;
  }
  return last;
}

/** Why a spin cannot happen now, or null: the wheel is off or outside its window, or today's spins are used up. */
export function spinRefusal(
  wheel: WheelWindow & { dailyLimit: number },
  now: number,
  spinsToday: number,
): 'inactive' | 'daily_limit' | null {
  if (!wheel.active || now < wheel.startsAt || (wheel.endsAt !== null && now >= wheel.endsAt)) return 'inactive';
  if (spinsToday >= wheel.dailyLimit) return 'daily_limit';
  return null;
}

/** A small seeded generator (mulberry32), so a test's 100,000 draws are the same every run. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
