import { couponProblem } from './coupons';
import type { PricingContext } from './ledger';
import type { CouponChoice, RejectedCoupon } from './pricing-types';

/**
 * Every coupon the member holds, as a guest choosing among them sees it: the ones the quote
 * applied, the others that could apply to this cart (so the guest can switch), and those that
 * cannot, each with its reason. Listed whether the quote chose the best deal or the guest's
 * choice, so a checkout can always offer the alternatives.
 */
export function couponChoices(
  ctx: PricingContext,
  appliedIds: readonly string[],
  rejected: readonly RejectedCoupon[],
): CouponChoice[] {
  const applied = new Set(appliedIds);
  const why = new Map(rejected.map((r) => [r.id, r]));
  return ctx.input.coupons.map((c) => {
    const base = { id: c.id, name: c.name, kind: c.kind, ...(c.validity?.to ? { validUntil: c.validity.to } : {}) };
    if (applied.has(c.id)) return { ...base, applied: true, usable: true };
    const problem = couponProblem(ctx, c);
    if (problem) return { ...base, applied: false, usable: false, ...problem };
    const r = why.get(c.id);
    return { ...base, applied: false, usable: true, ...(r ? { reason: r.reason, message: r.message } : {}) };
  });
}
