import { formatYuan } from '../money';
/*
 * Integer money arithmetic. Every split rounds the same way every time, so a refund of one
 * line gives back exactly the cents that line was discounted.
 */

/**
 * Splits `amount` over `weights` in proportion, by largest remainder: each share is
 * floored, and the cents left over go one each to the largest fractional parts, ties to the
 * lower index. When `amount <= sum(weights)` no share exceeds its weight, which is why
 * discounts are weighted by what remains of each line.
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const shares = weights.map(() => 0);
  const total = weights.reduce((s, w) => s + Math.max(0, w), 0);
  if (amount <= 0 || total <= 0) return shares;
  const safe = amount * total <= Number.MAX_SAFE_INTEGER;
  const rests: { i: number; rest: number | bigint }[] = [];
  let given = 0;
  weights.forEach((raw, i) => {
    const w = Math.max(0, raw);
    if (safe) {
      const num = amount * w;
      const rest = num % total;
      const q = (num - rest) / total;
      shares[i] = q;
      rests.push({ i, rest });
      given += q;
    } else {
      const num = BigInt(amount) * BigInt(w);
      const q = num / BigInt(total);
      shares[i] = Number(q);
      rests.push({ i, rest: num - q * BigInt(total) });
      given += Number(q);
    }
  });
  rests.sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (let k = 0; k < amount - given; k++) {
    const r = rests[k];
    if (r) shares[r.i] = (shares[r.i] ?? 0) + 1;
  }
  return shares;
}

/**
 * `percent`% of `base`, floored to the cent (the house keeps the fraction). Percentages
 * are read to two decimals (12.5 = 12.5%), clamped to 0..100, and computed in integers.
 */
export function percentOf(base: number, percent: number): number {
  if (!(base > 0) || !(percent > 0)) return 0;
  const basisPoints = Math.min(10_000, Math.round(percent * 100));
  const num = base * basisPoints;
  if (num <= Number.MAX_SAFE_INTEGER) return (num - (num % 10_000)) / 10_000;
  return Number((BigInt(base) * BigInt(basisPoints)) / 10_000n);
}

/** A cent amount as "12.30" for messages. */
export const money = formatYuan;
