/*
 * Brand-day figures (issue #15): points and coupons are a brand's currency, counted per
 * calendar day in the brand's time zone. The SQL in `worker/analytics/brand-day-statements.ts`
 * sums the ledger by these same rules.
 */

export type PointsBucket = 'issued' | 'used' | 'expired';

/** Credits that issue points; a reversal of an earning (`reverse`) nets out of issued. */
export const ISSUING_KINDS = ['earn', 'reverse', 'referral', 'checkin', 'review'] as const;
/** Debits that use points; a points payment given back (`pay_return`) nets out of used. */
export const USING_KINDS = ['redeem', 'pay', 'pay_return'] as const;
/** An `adjust` with this ref prefix gives back points a failed redemption took: it nets out of used. */
export const REDEEM_UNDO_PREFIX = 'redeem_undo:';

/**
 * Which figure a ledger entry moves, and by how much (positive = the figure grows).
 * Dice and the wheel: a play's cost is points used, its winnings points issued. Other adjustments (a
 * referral reward taken back) net out of issued.
 */
export function pointsEffect(kind: string, amount: number, ref: string): { bucket: PointsBucket; points: number } {
  if (kind === 'expire') return { bucket: 'expired', points: -amount };
  if ((USING_KINDS as readonly string[]).includes(kind)) return { bucket: 'used', points: -amount };
  if (kind === 'dice' || kind === 'wheel')
    return amount < 0 ? { bucket: 'used', points: -amount } : { bucket: 'issued', points: amount };
  if (kind === 'adjust' && ref.startsWith(REDEEM_UNDO_PREFIX)) return { bucket: 'used', points: -amount };
  return { bucket: 'issued', points: amount };
}

/** A day's points figures from its ledger entries. */
export function pointsDay(entries: { kind: string; amount: number; ref: string }[]) {
  const out = { pointsIssued: 0, pointsUsed: 0, pointsExpired: 0 };
  for (const e of entries) {
    const { bucket, points } = pointsEffect(e.kind, e.amount, e.ref);
    if (bucket === 'issued') out.pointsIssued += points;
    else if (bucket === 'used') out.pointsUsed += points;
    else out.pointsExpired += points;
  }
  return out;
}
