import { bestDeal, chosenDeal } from './pricing/best-deal';
import { couponChoices } from './pricing/coupon-choices';
import { couponProblem } from './pricing/coupons';
import { Evaluator, toQuote } from './pricing/evaluate';
import { packingFee } from './pricing/fees';
import type { PricingContext } from './pricing/ledger';
import type { LineError, PricingInput, PricingResult, RejectedCoupon } from './pricing/pricing-types';
import { promotionRuns } from './pricing/promotions';
import { indexMenu, resolveCart } from './pricing/validate';

/*
 * The pricing engine: pure, integer cents, time as a parameter. One call validates the cart
 * against the published menu, applies promotions and coupons under the stacking rules, and
 * returns a quote whose line discounts add up exactly, so any one line can be refunded.
 */

export { allocate, percentOf } from './pricing/allocate';
export { FULL_PROMOTION_SEARCH, MAX_EVALUATIONS } from './pricing/best-deal';
export { couponSetProblem } from './pricing/coupons';
export { deliveryFeeForDistance } from './pricing/fees';
export type {
  CartLine,
  Channel,
  CouponChoice,
  CouponKind,
  CouponRejection,
  Discount,
  DiscountAllocation,
  HeldCoupon,
  LineError,
  LineErrorCode,
  OrderMode,
  PricedLine,
  PricingInput,
  PricingResult,
  Promotion,
  Quote,
  RejectedCoupon,
  Scope,
  StackingRules,
  Validity,
} from './pricing/pricing-types';
export { type MenuPromotions, menuPromotions, type PromotionBadge, promotionLabel } from './pricing/promotion-badges';
export { whyNotRunning } from './pricing/promotion-windows';

function context(input: PricingInput): PricingContext | { ok: false; errors: LineError[] } {
  const cart = resolveCart({
    menu: input.menu,
    cart: input.cart,
    now: input.now,
    maxUnitsPerOrder: input.limits.maxUnitsPerOrder,
    ...(input.soldOutItemIds ? { soldOutItemIds: input.soldOutItemIds } : {}),
  });
  if (!cart.ok) return cart;
  return {
    input,
    menu: input.menu,
    items: indexMenu(input.menu),
    lines: cart.lines,
    units: cart.units,
    deliveryFee: input.mode === 'delivery' ? Math.max(0, Math.trunc(input.fees.delivery)) : 0,
    packingFee: packingFee(input.fees.packingPerUnit, input.fees.packingModes, input.mode, cart.units),
  };
}

/**
 * Prices an order. With `chosenCouponIds` undefined it picks the lowest-total combination the
 * stacking rules allow and says why every other held coupon was not used; with an array it
 * applies exactly those coupons, reporting each that cannot apply instead of failing. Cart
 * problems come back all at once, each naming its line (-1 for the whole order).
 */
export function priceOrder(input: PricingInput): PricingResult {
  const ctx = context(input);
  if ('ok' in ctx) return ctx;
  const ev = new Evaluator(ctx);
  const selection = input.chosenCouponIds === undefined ? 'best' : 'chosen';
  const { best, rejected } = input.chosenCouponIds === undefined ? bestDeal(ev) : chosenDeal(ev, input.chosenCouponIds);
  const quote = toQuote(ctx, best, selection, rejected);
  return { ...quote, coupons: couponChoices(ctx, quote.appliedCouponIds, rejected) };
}

/**
 * Prices exactly the given promotions and coupons, ignoring stacking rules and exclusivity
 * (promotions that are not running and coupons that cannot apply are skipped). For "what if"
 * tools and for checking the best-deal search against brute force.
 */
export function priceCombination(
  input: PricingInput,
  promotionIds: readonly string[],
  couponIds: readonly string[],
): PricingResult {
  const ctx = context(input);
  if ('ok' in ctx) return ctx;
  const ev = new Evaluator(ctx);
  const promotions = input.promotions.filter((p) => promotionIds.includes(p.id) && promotionRuns(ctx, p));
  const rejected: RejectedCoupon[] = [];
  const coupons = input.coupons.filter((c) => {
    if (!couponIds.includes(c.id)) return false;
    const problem = couponProblem(ctx, c);
    if (problem) rejected.push({ id: c.id, ...problem });
    return problem === null;
  });
  return toQuote(ctx, ev.evaluate(promotions, coupons), 'chosen', rejected);
}
