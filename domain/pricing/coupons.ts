import { money, percentOf } from './allocate';
import {
  inScope,
  type Ledger,
  originalIn,
  type PricingContext,
  remainingIn,
  takeFromLines,
  takeFromScope,
  validityProblem,
} from './ledger';
import type { CouponKind, CouponRejection, HeldCoupon, StackingRules } from './pricing-types';

/*
 * Coupons apply after promotions, in a fixed order by kind: a free item first, then
 * amount-off (its threshold is judged before any percentage shrinks the basket), then
 * percentages, then the delivery waiver. Within a kind, in the order the member holds them.
 */

const KIND_ORDER: Record<CouponKind, number> = { free_item: 0, amount: 1, percent: 2, delivery_waiver: 3 };

/** Coupons in the order they apply; `rank` is each coupon's position in the wallet. */
export function couponOrder(coupons: readonly HeldCoupon[], rank: ReadonlyMap<HeldCoupon, number>): HeldCoupon[] {
  return [...coupons].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (rank.get(a) ?? 0) - (rank.get(b) ?? 0),
  );
}

export interface CouponProblem {
  reason: CouponRejection;
  message: string;
}

const VALIDITY_MESSAGES = {
  not_yet_valid: 'this coupon is not valid yet',
  expired: 'this coupon has expired',
  outside_window: 'this coupon is not valid at this time of day or week',
  wrong_store: 'this coupon is not valid at this store',
} as const;

/**
 * Why a coupon cannot apply to this cart in any combination, or null when it might. These
 * depend only on the coupon, the store, the time and the cart, never on other discounts.
 */
export function couponProblem(ctx: PricingContext, c: HeldCoupon): CouponProblem | null {
  const validity = validityProblem(c.validity, ctx.menu, ctx.input.now);
  if (validity) return { reason: validity, message: VALIDITY_MESSAGES[validity] };
  switch (c.kind) {
    case 'delivery_waiver':
      return ctx.deliveryFee > 0
        ? null
        : { reason: 'no_delivery_fee', message: 'this order has no delivery fee to waive' };
    case 'free_item': {
      const hit = ctx.lines.some((l) => l.item.id === c.itemId && inScope(l, c.scope));
      const name = ctx.items.get(c.itemId)?.name ?? c.itemId;
      return hit ? null : { reason: 'not_in_scope', message: `add ${name} to the order to use this coupon` };
    }
    default: {
      if (!ctx.lines.some((l) => inScope(l, c.scope))) {
        return { reason: 'not_in_scope', message: 'nothing in the order is covered by this coupon' };
      }
      if (c.kind === 'amount' && originalIn(ctx, c.scope) < c.threshold) {
        const short = c.threshold - originalIn(ctx, c.scope);
        return {
          reason: 'below_threshold',
          message: `spend ${money(short)} more on eligible items to use this coupon`,
        };
      }
      return null;
    }
  }
}

export type CouponOutcome = { amount: number } | { amount: 0; failure: 'below_threshold' | 'nothing_to_discount' };

function base(c: HeldCoupon, reason: string) {
  return { id: c.id, source: 'coupon' as const, kind: c.kind, name: c.name, reason };
}

/** Applies one coupon to the ledger after whatever came before it. */
export function applyCoupon(ctx: PricingContext, ledger: Ledger, c: HeldCoupon): CouponOutcome {
  let amount = 0;
  switch (c.kind) {
    case 'amount': {
      const eligible = remainingIn(ctx, ledger, c.scope);
      if (eligible < c.threshold) return { amount: 0, failure: 'below_threshold' };
      const reason = `${money(eligible)} on eligible items reaches ${money(c.threshold)}: ${money(c.amountOff)} off`;
      amount = takeFromScope(ctx, ledger, c.scope, Math.max(0, c.amountOff), base(c, reason));
      break;
    }
    case 'percent': {
      const original = ctx.input.stacking.percentageBase === 'original';
      const from = original ? originalIn(ctx, c.scope) : remainingIn(ctx, ledger, c.scope);
      const raw = percentOf(from, c.percentOff);
      const want = c.cap !== undefined ? Math.min(raw, Math.max(0, c.cap)) : raw;
      const capped = want < raw ? ` (capped at ${money(want)})` : '';
      const reason = `${c.percentOff}% off ${money(from)} ${original ? 'before' : 'after'} other discounts${capped}`;
      amount = takeFromScope(ctx, ledger, c.scope, want, base(c, reason));
      break;
    }
    case 'free_item': {
      // The dearest matching unit, so a guest who added a large cup gets the large cup free.
      let best = -1;
      let bestTake = 0;
      ctx.lines.forEach((line, i) => {
        if (line.item.id !== c.itemId || !inScope(line, c.scope)) return;
        const take = Math.min(line.unitPrice, ledger.remaining[i] ?? 0);
        if (take > bestTake) {
          best = i;
          bestTake = take;
        }
      });
      if (best >= 0) {
        const perLine = ctx.lines.map((_, i) => (i === best ? bestTake : 0));
        amount = takeFromLines(ctx, ledger, perLine, base(c, `one ${ctx.lines[best]?.item.name ?? c.itemId} free`));
      }
      break;
    }
    case 'delivery_waiver': {
      amount = Math.max(0, ctx.deliveryFee - ledger.deliveryWaived);
      if (amount > 0) {
        ledger.deliveryWaived += amount;
        ledger.discounts.push({ ...base(c, `delivery fee ${money(amount)} waived`), amount, allocation: [] });
      }
      break;
    }
  }
  return amount > 0 ? { amount } : { amount: 0, failure: 'nothing_to_discount' };
}

/**
 * The most a coupon could take off once this ledger's discounts are in place, whatever other
 * coupons run before it: later discounts only shrink what it sees. The best-deal search uses
 * it to skip combinations that cannot win.
 */
export function couponCeiling(ctx: PricingContext, ledger: Ledger, c: HeldCoupon): number {
  switch (c.kind) {
    case 'amount': {
      const left = remainingIn(ctx, ledger, c.scope);
      return left < c.threshold ? 0 : Math.min(Math.max(0, c.amountOff), left);
    }
    case 'percent': {
      const left = remainingIn(ctx, ledger, c.scope);
      const from = ctx.input.stacking.percentageBase === 'original' ? originalIn(ctx, c.scope) : left;
      const raw = percentOf(from, c.percentOff);
      return Math.min(c.cap !== undefined ? Math.min(raw, Math.max(0, c.cap)) : raw, left);
    }
    case 'free_item': {
      let most = 0;
      ctx.lines.forEach((line, i) => {
        if (line.item.id === c.itemId && inScope(line, c.scope)) {
          most = Math.max(most, Math.min(line.unitPrice, ledger.remaining[i] ?? 0));
        }
      });
      return most;
    }
    case 'delivery_waiver':
      return Math.max(0, ctx.deliveryFee - ledger.deliveryWaived);
  }
}

/**
 * Whether these coupons may be used together under the stacking rules: within the count
 * limit, no exclusive coupon in company, and their kinds fitting inside one allowed group.
 * Returns the rule that forbids them, or null.
 */
export function couponSetProblem(
  coupons: readonly HeldCoupon[],
  rules: StackingRules,
): 'limit_reached' | 'not_combinable' | null {
  if (coupons.length > Math.max(0, rules.maxCouponsPerOrder)) return 'limit_reached';
  if (coupons.length <= 1) return null;
  if (coupons.some((c) => c.exclusive)) return 'not_combinable';
  const groups = rules.combinableCouponKinds;
  if (!groups) return null;
  const fits = groups.some((group) => {
    const left = [...group];
    return coupons.every((c) => {
      const k = left.indexOf(c.kind);
      if (k < 0) return false;
      left.splice(k, 1);
      return true;
    });
  });
  return fits ? null : 'not_combinable';
}
