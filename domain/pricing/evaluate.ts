import { applyCoupon, type CouponOutcome, couponOrder } from './coupons';
import { cloneLedger, type Ledger, newLedger, type PricingContext } from './ledger';
import type { HeldCoupon, PricedLine, Promotion, Quote, RejectedCoupon } from './pricing-types';
import { applyPromotion, promotionOrder } from './promotions';

/** One priced combination of promotions and coupons. */
export interface Evaluation {
  promotions: Promotion[];
  coupons: HeldCoupon[];
  ledger: Ledger;
  /** Promotions that changed the price (or added a gift). */
  effectivePromotionIds: string[];
  outcomes: Map<string, CouponOutcome>;
  total: number;
  discountTotal: number;
}

interface PromotionStage {
  ordered: Promotion[];
  ledger: Ledger;
  effective: string[];
}

/**
 * Prices combinations for one quote. Promotions always run before coupons, so the ledger
 * after each promotion set is computed once and shared by every coupon set tried on it.
 */
export class Evaluator {
  readonly #stages = new Map<string, PromotionStage>();
  readonly #rank: Map<HeldCoupon, number>;
  readonly #promotionRank: Map<Promotion, number>;

  constructor(readonly ctx: PricingContext) {
    this.#rank = new Map(ctx.input.coupons.map((c, i) => [c, i]));
    this.#promotionRank = new Map(ctx.input.promotions.map((p, i) => [p, i]));
  }

  #stage(promotions: readonly Promotion[]): PromotionStage {
    // Keyed by position, not id, so two promotions sharing an id by mistake never share a cache entry.
    const key = promotions
      .map((p) => this.#promotionRank.get(p) ?? -1)
      .sort((a, b) => a - b)
      .join(',');
    let stage = this.#stages.get(key);
    if (!stage) {
      const ordered = promotionOrder(promotions);
      const ledger = newLedger(this.ctx.lines);
      const effective = ordered.filter((p) => applyPromotion(this.ctx, ledger, p) > 0).map((p) => p.id);
      stage = { ordered, ledger, effective };
      this.#stages.set(key, stage);
    }
    return stage;
  }

  /** Prices exactly these promotions and coupons, with no stacking rule checked. */
  evaluate(promotions: readonly Promotion[], coupons: readonly HeldCoupon[]): Evaluation {
    const stage = this.#stage(promotions);
    const ledger = coupons.length > 0 ? cloneLedger(stage.ledger) : stage.ledger;
    const ordered = couponOrder(coupons, this.#rank);
    const outcomes = new Map<string, CouponOutcome>();
    for (const c of ordered) outcomes.set(c.id, applyCoupon(this.ctx, ledger, c));
    const payable = ledger.remaining.reduce((s, r) => s + r, 0);
    return {
      promotions: stage.ordered,
      coupons: ordered,
      ledger,
      effectivePromotionIds: stage.effective,
      outcomes,
      total: payable + this.ctx.packingFee + this.ctx.deliveryFee - ledger.deliveryWaived,
      discountTotal: ledger.discounts.reduce((s, d) => s + d.amount, 0),
    };
  }
}

/** The guest-facing quote for one evaluation. */
export function toQuote(
  ctx: PricingContext,
  e: Evaluation,
  selection: Quote['couponSelection'],
  rejectedCoupons: RejectedCoupon[],
): Quote {
  const { ledger } = e;
  const lines: PricedLine[] = ctx.lines.map((line, i) => {
    const total = ledger.remaining[i] ?? line.subtotal;
    return {
      index: line.index,
      itemId: line.item.id,
      name: line.item.name,
      ...(line.spec ? { specId: line.spec.id, specName: line.spec.name } : {}),
      options: line.options.map((o) => ({ id: o.id, name: o.name, priceDelta: o.priceDelta })),
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      subtotal: line.subtotal,
      discount: line.subtotal - total,
      total,
    };
  });
  for (const g of ledger.gifts) {
    lines.push({
      index: g.index,
      itemId: g.item.id,
      name: g.item.name,
      ...(g.spec ? { specId: g.spec.id, specName: g.spec.name } : {}),
      options: [],
      quantity: 1,
      unitPrice: g.price,
      subtotal: g.price,
      discount: g.price,
      total: 0,
      gift: true,
      promotionId: g.promotionId,
    });
  }
  const itemsSubtotal = lines.reduce((s, l) => s + l.subtotal, 0);
  const itemDiscountTotal = lines.reduce((s, l) => s + l.discount, 0);
  const applied = e.coupons.filter((c) => (e.outcomes.get(c.id)?.amount ?? 0) > 0);
  return {
    ok: true,
    lines,
    itemsSubtotal,
    discounts: ledger.discounts,
    discountTotal: e.discountTotal,
    itemDiscountTotal,
    packingFee: ctx.packingFee,
    deliveryFee: ctx.deliveryFee,
    deliveryFeeWaived: ledger.deliveryWaived,
    total: e.total,
    appliedPromotionIds: e.effectivePromotionIds,
    appliedCouponIds: applied.map((c) => c.id),
    rejectedCoupons,
    couponSelection: selection,
    units: ctx.units,
  };
}
