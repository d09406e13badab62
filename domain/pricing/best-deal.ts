import { money } from './allocate';
import { couponProblem, couponSetProblem } from './coupons';
import type { Evaluation, Evaluator } from './evaluate';
import type { PricingContext } from './ledger';
import { promotionRuns } from './promotions';
import type { HeldCoupon, Promotion, RejectedCoupon } from './types';

/*
 * Best-deal search. The allowed combinations are: any set of the promotions that run, except
 * that an exclusive promotion runs alone; with any set of coupons the stacking rules allow,
 * provided every promotion in the set lets coupons join it. The search is exhaustive within a
 * fixed evaluation budget, so a StoreDO pricing every order never does unbounded work.
 */

/** Combinations priced per quote before the search narrows the coupons it tries. */
export const MAX_EVALUATIONS = 1024;
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

/** Lower total; then more value (gifts); fewer coupons; sooner-expiring coupons; more promotions. */
function better(a: Evaluation, b: Evaluation): boolean {
  if (a.total !== b.total) return a.total < b.total;
  if (a.discountTotal !== b.discountTotal) return a.discountTotal > b.discountTotal;
  if (a.coupons.length !== b.coupons.length) return a.coupons.length < b.coupons.length;
  const ea = a.coupons.map((c) => c.validity?.to ?? Number.POSITIVE_INFINITY).sort((x, y) => x - y);
  const eb = b.coupons.map((c) => c.validity?.to ?? Number.POSITIVE_INFINITY).sort((x, y) => x - y);
  for (let i = 0; i < ea.length; i++) if (ea[i] !== eb[i]) return (ea[i] ?? 0) < (eb[i] ?? 0);
  return a.effectivePromotionIds.length > b.effectivePromotionIds.length;
}

/** Subsets of at most `k` out of `n`: an upper bound on the coupon sets tried per promotion set. */
function subsetsUpTo(n: number, k: number): number {
  let sum = 0;
  let term = 1;
  for (let j = 0; j <= Math.min(k, n); j++) {
    sum += term;
    term = (term * (n - j)) / (j + 1);
  }
  return sum;
}

/** Every allowed subset of `coupons` (in their order), smallest first. */
function* couponSets(coupons: readonly HeldCoupon[], ctx: PricingContext): Generator<HeldCoupon[]> {
  const rules = ctx.input.stacking;
  const max = Math.max(0, Math.min(rules.maxCouponsPerOrder, coupons.length));
  const picked: HeldCoupon[] = [];
  function* grow(from: number, size: number): Generator<HeldCoupon[]> {
    if (picked.length === size) {
      yield [...picked];
      return;
    }
    for (let i = from; i < coupons.length; i++) {
      const c = coupons[i];
      if (!c) continue;
      picked.push(c);
      // Allowed sets are closed under removal, so a forbidden prefix prunes its whole branch.
      if (couponSetProblem(picked, rules) === null) yield* grow(i + 1, size);
      picked.pop();
    }
  }
  for (let size = 0; size <= max; size++) yield* grow(0, size);
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

function search(ev: Evaluator, sets: readonly Promotion[][], coupons: readonly HeldCoupon[]): Search {
  let best: Evaluation | undefined;
  const bestWith = new Map<string, number>();
  const consider = (e: Evaluation) => {
    for (const c of e.coupons) bestWith.set(c.id, Math.min(bestWith.get(c.id) ?? Number.POSITIVE_INFINITY, e.total));
    if (!best || better(e, best)) best = e;
  };
  for (const set of sets) {
    if (!takesCoupons(ev.ctx, set)) {
      consider(ev.evaluate(set, []));
      continue;
    }
    for (const cs of couponSets(coupons, ev.ctx)) consider(ev.evaluate(set, cs));
  }
  // `sets` always holds at least the empty set.
  return { best: best!, bestWith };
}

/**
 * Narrows the coupons tried so the whole search fits the budget: each coupon is priced alone
 * (with every promotion, and with none) and the most valuable are kept. Exact whenever the
 * full search fits, which covers every realistic wallet with one or two coupons per order.
 */
function narrow(ev: Evaluator, sets: readonly Promotion[][], coupons: HeldCoupon[]): HeldCoupon[] {
  const k = ev.ctx.input.stacking.maxCouponsPerOrder;
  const open = sets.filter((s) => takesCoupons(ev.ctx, s));
  const cost = (m: number) => sets.length - open.length + open.length * subsetsUpTo(m, k);
  if (cost(coupons.length) <= MAX_EVALUATIONS) return coupons;
  const probes = [open[0] ?? [], []];
  const value = new Map<string, number>();
  for (const c of coupons) {
    let v = 0;
    for (const set of probes) {
      const without = ev.evaluate(set, []).total;
      v = Math.max(v, without - ev.evaluate(set, [c]).total);
    }
    value.set(c.id, v);
  }
  const ranked = coupons
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (value.get(b.c.id) ?? 0) - (value.get(a.c.id) ?? 0) || a.i - b.i)
    .map(({ c }) => c);
  let m = ranked.length;
  while (m > 1 && cost(m) > MAX_EVALUATIONS) m--;
  return ranked.slice(0, m);
}

function names(list: readonly { name: string }[]): string {
  return list.map((x) => x.name).join(', ');
}

/** Why a usable coupon is not in the best deal, judged against that deal. */
function whyNot(ev: Evaluator, found: Search, c: HeldCoupon): RejectedCoupon {
  const { best } = found;
  const withIt = found.bestWith.get(c.id);
  const compare =
    withIt === undefined
      ? `the applied deal totals ${money(best.total)}`
      : `the best deal with this coupon totals ${money(withIt)}; the applied deal totals ${money(best.total)}`;
  const single = couponSetProblem([c], ev.ctx.input.stacking);
  if (single) return { id: c.id, reason: single, message: 'coupons cannot be used on this order' };
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
  const tried = narrow(ev, sets, distinct(usable, Math.max(1, ctx.input.stacking.maxCouponsPerOrder)));
  const found = search(ev, sets, tried);
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
    if (!best || better(e, best)) best = e;
  }
  return best!;
}
