/*
 * A seeded PRNG for the demo history: mulberry32 over an FNV-1a hash of a string key, so
 * every store-day, member or order draws from its own stream and the same key always
 * gives the same numbers (no Math.random anywhere in the history).
 */

/** FNV-1a, 32 bits: a stable number for any key. */
export function hash32(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `n` lowercase hex digits derived from a key (for provider-looking ids). */
export function hexOf(key: string, n: number): string {
  let out = '';
  for (let i = 0; out.length < n; i++) out += hash32(`${key}#${i}`).toString(16).padStart(8, '0');
  return out.slice(0, n);
}

export interface Rng {
  /** [0, 1) */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  /** An element chosen with the given weights (same length as `list`). */
  weighted<T>(list: readonly T[], weights: readonly number[]): T;
}

export function rng(key: string): Rng {
  let a = hash32(key);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)] as (typeof list)[number],
    weighted: (list, weights) => {
      const total = weights.reduce((s, w) => s + w, 0);
      let x = next() * total;
      for (let i = 0; i < list.length; i++) {
        x -= weights[i] ?? 0;
        if (x < 0) return list[i] as (typeof list)[number];
      }
      return list[list.length - 1] as (typeof list)[number];
    },
  };
  return r;
}

/** Largest-remainder split of `amount` by `weights` (as domain/pricing/allocate.ts, kept local: this folder imports nothing). */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + Math.max(0, w), 0);
  if (amount <= 0 || total <= 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((amount * Math.max(0, w)) / total));
  const order = weights
    .map((w, i) => ({ i, rest: (amount * Math.max(0, w)) % total }))
    .sort((x, y) => y.rest - x.rest || x.i - y.i);
  let left = amount - shares.reduce((s, x) => s + x, 0);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left--;
  }
  return shares;
}
