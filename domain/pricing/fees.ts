import type { OrderMode } from './pricing-types';

/**
 * The delivery fee for a distance from banded pricing ("up to 3 km: 5.00, up to 5 km: 8.00"):
 * the fee of the smallest band that reaches `metres`, or null when no band does (out of range).
 */
export function deliveryFeeForDistance(
  bands: readonly { upToMetres: number; fee: number }[],
  metres: number,
): number | null {
  if (!Number.isFinite(metres) || metres < 0) return null;
  let best: { upToMetres: number; fee: number } | null = null;
  for (const band of bands) {
    if (metres <= band.upToMetres && (!best || band.upToMetres < best.upToMetres)) best = band;
  }
  return best ? best.fee : null;
}

/** Packing is charged per paid unit, only in the modes the store lists. */
export function packingFee(perUnit: number, modes: readonly OrderMode[], mode: OrderMode, units: number): number {
  return modes.includes(mode) ? Math.max(0, Math.trunc(perUnit)) * units : 0;
}
