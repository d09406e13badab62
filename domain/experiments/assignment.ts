/*
 * Experiments (issue #20): which variant a member sees. A pure function of the experiment's
 * id, salt and variant weights and the member's id, so every worker, the queue consumers and
 * the guest's app agree without a read. Weights may change while an experiment runs; members
 * already exposed keep the variant recorded at their first exposure (the service reads the
 * row first), so only members not yet exposed follow the new weights.
 */
import { hash32 } from '../hash32';

export interface WeightedVariant {
  key: string;
  weight: number;
}

/** Buckets per experiment: fine enough for weights down to 0.01 % of the total. */
const BUCKETS = 10_000;

/** The member's bucket in [0, 10 000) for this experiment: stable forever for the same id and salt. */
export function memberBucket(experimentId: string, salt: string, memberId: string): number {
  return hash32(`${salt}:${experimentId}:${memberId}`) % BUCKETS;
}

/**
 * The variant a member's bucket falls in: the buckets are split in the variants' order in
 * proportion to their integer weights (largest-remainder free: each variant's upper edge is
 * floor(cumulative weight × 10 000 / total), so the last variant always ends at 10 000).
 */
export function assignVariant(
  experimentId: string,
  salt: string,
  variants: readonly WeightedVariant[],
  memberId: string,
): string {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  if (variants.length === 0 || total <= 0) throw new Error('an experiment needs variants with positive weight');
  const bucket = memberBucket(experimentId, salt, memberId);
  let cumulative = 0;
  for (const v of variants) {
    cumulative += v.weight;
    if (bucket < Math.floor((cumulative * BUCKETS) / total)) return v.key;
  }
  return variants[variants.length - 1]!.key;
}

/**
 * Whether a member is in the brand's campaign holdout: measured, never sent a campaign coupon
 * or push by any campaign, so the lift of all campaigns together can be read. Keyed by the
 * brand alone (not per campaign), so the same members are held out of every campaign.
 * `percent` may be fractional down to 0.01.
 */
export function inBrandHoldout(brandId: string, memberId: string, percent: number): boolean {
  if (!(percent > 0)) return false;
  return hash32(`brand-holdout:${brandId}:${memberId}`) % BUCKETS < Math.round(percent * 100);
}

/** A slice split into the members the brand holds out and the rest, each in the slice's order. */
export function splitBrandHoldout(
  brandId: string,
  memberIds: readonly string[],
  percent: number,
): { held: string[]; rest: string[] } {
  const held: string[] = [];
  const rest: string[] = [];
  for (const id of memberIds) (inBrandHoldout(brandId, id, percent) ? held : rest).push(id);
  return { held, rest };
}
