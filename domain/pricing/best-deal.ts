import { money } from './allocate';
import { couponCeiling, couponProblem, couponSetProblem } from './coupons';
import type { Evaluation, Evaluator } from './evaluate';
import type { PricingContext } from './ledger';
import type { HeldCoupon, Promotion, RejectedCoupon } from './pricing-types';
import { promotionRuns } from './promotions';

/*
 * Best-deal search. The allowed combinations are: any set of the promotions that run, except
 * that an exclusive promotion runs alone; with any set of coupons the stacking rules allow,
 * provided every promotion in the set lets coupons join it. The search is exact within a fixed
 * evaluation budget, so a StoreDO pricing every order never does unbounded work.
 */

/** Coupon combinations priced per quote at most; the search tries the most promising first. */
export const MAX_EVALUATIONS = 2000;
/** Non-exclusive promotions up to this many are tried in every subset (2^6 = 64). */
export const FULL_PROMOTION_SEARCH = 6;

export interface Choice {
  best: Evaluation;
  rejected: RejectedCoupon[];
}

/**
 * The promotions worth trying: those that run here and now and change the price on their
 * own. Discounts only ever shrink what later offers see, so a promotion worth nothing alone
 * is worth nothing in company.
 */
export function livePromotions(ev: Evaluator): Promotion[] {
  return ev.ctx.input.promotions.filter(
    (p) => promotionRuns(ev.ctx, p) && ev.evaluate([p], []).effectivePromotionIds.length > 0,
  );
}

function promotionSets(live: readonly Promotion[]): Promotion[][] {
  const shared = live.filter((p) => !p.exclusive);
  const sets: Promotion[][] = [];
  if (shared.length <= FULL_PROMOTION_SEARCH) {
    // Largest first, so on a tie the set with every promotion wins.
    for (let mask = (1 << shared.length) - 1; mask >= 0; mask--) sets.push(shared.filter((_, i) => mask & (1 << i)));
  } else {
    sets.push(shared);
    for (const p of shared) sets.push(shared.filter((q) => q !== p));
    sets.push([]);
  }
  for (const p of live) if (p.exclusive) sets.push([p]);
  return sets;
}

function takesCoupons(ctx: PricingContext, set: readonly Promotion[]): boolean {
  return set.every((p) => p.combinesWithCoupons ?? ctx.input.stacking.couponsWithPromotions);
}

/** Coupons' wallet positions, for ordering ties the same way on every run. */
function walletKey(ctx: PricingContext, e: Evaluation): string {
  return e.coupons
    .map((c) => ctx.input.coupons.indexOf(c))
    .sort((x, y) => x - y)
    .join(',');
}

/**
 * Lower total; then more value (gifts); fewer coupons; sooner-expiring coupons; more
 * promotions. The last keys make this a total order, so the winner never depends on the order
 * combinations were tried in, and pruning cannot change it.
 */
function better(ctx: PricingContext, a: Evaluation, b: Evaluation): boolean {
  if (a.total !== b.total) return a.total < b.total;
  if (a.discountTotal !== b.discountTotal) return a.discountTotal > b.discountTotal;
  if (a.coupons.length !== b.coupons.length) return a.coupons.length < b.coupons.length;
  const ea = a.coupons.map((c) => c.validity?.to ?? Number.POSITIVE_INFINITY).sort((x, y) => x - y);
  const eb = b.coupons.map((c) => c.validity?.to ?? Number.POSITIVE_INFINITY).sort((x, y) => x - y);
  for (let i = 0; i < ea.length; i++) if (ea[i] !== eb[i]) return (ea[i] ?? 0) < (eb[i] ?? 0);
  if (a.effectivePromotionIds.length !== b.effectivePromotionIds.length) {
    return a.effectivePromotionIds.length > b.effectivePromotionIds.length;
  }
  if (a.promotions.length !== b.promotions.length) return a.promotions.length > b.promotions.length;
  const pa = a.promotions.map((p) => ctx.input.promotions.indexOf(p)).join(',');
  const pb = b.promotions.map((p) => ctx.input.promotions.indexOf(p)).join(',');
  if (pa !== pb) return pa < pb;
  return walletKey(ctx, a) < walletKey(ctx, b);
}

/** Identical coupons (same template and terms) price identically: keep only as many as could be used at once. */
function distinct(coupons: readonly HeldCoupon[], max: number): HeldCoupon[] {
  const seen = new Map<string, number>();
  return coupons.filter((c) => {
    const { id: _id, name: _name, validity, ...terms } = c;
    const key = JSON.stringify([terms, validity?.to ?? null]);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n < max;
  });
}

interface Search {
  best: Evaluation;
  /** Lowest total seen with each coupon in the set, for telling the guest what it would have cost. */
  bestWith: Map<string, number>;
}

/**
 * Branch and bound over coupon sets on top of each promotion set. Promotion sets are priced
 * first (cheap, cached) and visited from the lowest total up; on each, coupons are ranked by
 * the most they could save there, and a branch is cut as soon as even its best case cannot
 * reach the best total found. Ties are still visited, so the tie-break is unaffected.
 */
function search(ev: Evaluator, sets: readonly Promotion[][], coupons: readonly HeldCoupon[]): Search {
  const { ctx } = ev;
  const rules = ctx.input.stacking;
  const k = Math.max(0, Math.min(rules.maxCouponsPerOrder, coupons.length));
  const bestWith = new Map<string, number>();
  let best: Evaluation | undefined;
  const consider = (e: Evaluation) => {
    for (const c of e.coupons) bestWith.set(c.id, Math.min(bestWith.get(c.id) ?? Number.POSITIVE_INFINITY, e.total));
    if (!best || better(ctx, e, best)) best = e;
  };
  const staged = sets.map((set, order) => ({ set, order, e: ev.evaluate(set, []) }));
  for (const s of staged) consider(s.e);
  staged.sort((a, b) => a.e.total - b.e.total || a.order - b.order);

  let budget = MAX_EVALUATIONS;
  for (const { set, e: stage } of staged) {
    if (k === 0 || !takesCoupons(ctx, set)) continue;
    const ranked = coupons
      .map((c, i) => ({ c, i, most: couponCeiling(ctx, stage.ledger, c) }))
      .filter((x) => x.most > 0)
      .sort((a, b) => b.most - a.most || a.i - b.i);
    const picked: HeldCoupon[] = [];
    const grow = (from: number, saved: number): void => {
      for (let i = from; i < ranked.length && budget > 0; i++) {
        let reach = saved;
        for (let j = i; j < Math.min(ranked.length, i + k - picked.length); j++) reach += ranked[j]?.most ?? 0;
        // Ranked by ceiling, so no later coupon at this depth can do better either.
        if (best && stage.total - reach > best.total) return;
        const r = ranked[i];
        if (!r) return;
        picked.push(r.c);
        // Allowed sets are closed under removal, so a forbidden set prunes all its supersets.
        if (couponSetProblem(picked, rules) === null) {
          budget--;
          consider(ev.evaluate(set, picked));
          if (picked.length < k) grow(i + 1, saved + r.most);
        }
        picked.pop();
      }
    };
    grow(0, 0);
  }
  // `sets` always holds at least the empty set.
  return { best: best!, bestWith };
}

function names(list: readonly { name: string }[]): string {
  return list.map((x) => x.name).join(', ');
}

/** Why a usable coupon is not in the best deal, judged against that deal. */
function whyNot(ev: Evaluator, found: Search, c: HeldCoupon): RejectedCoupon {
  const { best } = found;
  const single = couponSetProblem([c], ev.ctx.input.stacking);
  if (single) return { id: c.id, reason: single, message: 'coupons cannot be used on this order' };
  // Pruned coupons were never priced; price them alone on the promotions they could join.
  const withIt =
    found.bestWith.get(c.id) ?? ev.evaluate(takesCoupons(ev.ctx, best.promotions) ? best.promotions : [], [c]).total;
  const compare = `with this coupon the order would total ${money(withIt)}; the applied deal totals ${money(best.total)}`;
  if (!takesCoupons(ev.ctx, best.promotions)) {
    return {
      id: c.id,
      reason: 'not_combinable',
      message: `cannot be combined with ${names(best.promotions)}; ${compare}`,
    };
  }
  const together = [...best.coupons, c];
  const rule = couponSetProblem(together, ev.ctx.input.stacking);
  if (rule) {
    const why =
      rule === 'limit_reached'
        ? `only ${ev.ctx.input.stacking.maxCouponsPerOrder} coupon(s) per order`
        : `it cannot be combined with ${names(best.coupons)}`;
    return { id: c.id, reason: 'worse_than_chosen', message: `${why}; ${compare}` };
  }
  const outcome = ev.evaluate(best.promotions, together).outcomes.get(c.id);
  if (outcome && 'failure' in outcome && outcome.failure === 'below_threshold') {
    return {
      id: c.id,
      reason: 'below_threshold',
      message: 'after the other discounts the order is below its threshold',
    };
  }
  return { id: c.id, reason: 'worse_than_chosen', message: `adds nothing on top of the applied discounts; ${compare}` };
}

/** The lowest-total allowed combination, and why each held coupon outside it was not used. */
export function bestDeal(ev: Evaluator): Choice {
  const { ctx } = ev;
  const rejected: RejectedCoupon[] = [];
  const usable: HeldCoupon[] = [];
  for (const c of ctx.input.coupons) {
    const problem = couponProblem(ctx, c);
    if (problem) rejected.push({ id: c.id, ...problem });
    else usable.push(c);
  }
  const sets = promotionSets(livePromotions(ev));
  const found = search(ev, sets, distinct(usable, Math.max(1, ctx.input.stacking.maxCouponsPerOrder)));
  // A coupon that did nothing is never spent (the tie-break already prefers fewer coupons).
  const idle = found.best.coupons.filter((c) => 'failure' in (found.best.outcomes.get(c.id) ?? { failure: true }));
  if (idle.length > 0) {
    found.best = ev.evaluate(
      found.best.promotions,
      found.best.coupons.filter((c) => !idle.includes(c)),
    );
  }
  const used = new Set(found.best.coupons.map((c) => c.id));
  for (const c of usable) if (!used.has(c.id)) rejected.push(whyNot(ev, found, c));
  const order = new Map(ctx.input.coupons.map((c, i) => [c.id, i]));
  rejected.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { best: found.best, rejected };
}

/**
 * Applies exactly the coupons the guest chose, in their order of choice: each that cannot
 * apply is reported and dropped, never failing the quote. Promotions are then the best set
 * that lets the remaining coupons join.
 */
export function chosenDeal(ev: Evaluator, chosenIds: readonly string[]): Choice {
  const { ctx } = ev;
  const rejected: RejectedCoupon[] = [];
  let accepted: HeldCoupon[] = [];
  for (const id of new Set(chosenIds)) {
    const c = ctx.input.coupons.find((x) => x.id === id);
    if (!c) {
      rejected.push({ id, reason: 'not_held', message: 'this coupon is not in the wallet' });
      continue;
    }
    const problem = couponProblem(ctx, c);
    if (problem) {
      rejected.push({ id, ...problem });
      continue;
    }
    const rule = couponSetProblem([...accepted, c], ctx.input.stacking);
    if (rule === 'limit_reached') {
      const max = ctx.input.stacking.maxCouponsPerOrder;
      rejected.push({ id, reason: rule, message: `only ${max} coupon(s) per order` });
    } else if (rule) {
      const others = accepted.length > 0 ? names(accepted) : 'other coupons';
      rejected.push({ id, reason: rule, message: `cannot be combined with ${others}` });
    } else {
      accepted.push(c);
    }
  }
  const live = livePromotions(ev);
  for (;;) {
    // The empty promotion set always takes coupons, so `sets` is never empty.
    const sets = promotionSets(live).filter((s) => accepted.length === 0 || takesCoupons(ctx, s));
    const found = bestWith(ev, sets, accepted);
    // A coupon that did nothing is handed back rather than spent, and promotions re-chosen without it.
    const failed = accepted.filter((c) => {
      const o = found.outcomes.get(c.id);
      return !o || 'failure' in o;
    });
    if (failed.length === 0) return { best: found, rejected };
    for (const c of failed) {
      const o = found.outcomes.get(c.id);
      const below = o && 'failure' in o && o.failure === 'below_threshold';
      rejected.push({
        id: c.id,
        reason: below ? 'below_threshold' : 'nothing_to_discount',
        message: below
          ? 'after the other discounts the order is below its threshold'
          : 'nothing is left for this coupon to discount',
      });
    }
    accepted = accepted.filter((c) => !failed.includes(c));
  }
}

function bestWith(ev: Evaluator, sets: readonly Promotion[][], coupons: HeldCoupon[]): Evaluation {
  let best: Evaluation | undefined;
  for (const set of sets) {
    const e = ev.evaluate(set, coupons);
    if (!best || better(ev.ctx, e, best)) best = e;
  }
  return best!;
}
