import type { MenuSnapshot, SnapshotItem, SnapshotSpec } from '../menu';
import { scheduleAt } from '../schedule';
import { allocate } from './allocate';
import type { Discount, PricingInput, Scope, Validity } from './pricing-types';
import type { ResolvedLine } from './validate';

/*
 * The running state of one evaluation: what remains payable on each line, how many units
 * unit-level promotions have already claimed, and the discounts so far. Promotions and
 * coupons only ever take from `remaining`, which is how every discount stays capped by
 * what is left of its scope.
 */

export interface GiftLine {
  index: number;
  promotionId: string;
  item: SnapshotItem;
  spec?: SnapshotSpec;
  price: number;
}

export interface Ledger {
  remaining: number[];
  claimed: number[];
  discounts: Discount[];
  gifts: GiftLine[];
  deliveryWaived: number;
}

/** Everything an evaluation reads; built once per quote. */
export interface PricingContext {
  input: PricingInput;
  menu: MenuSnapshot;
  items: Map<string, SnapshotItem>;
  lines: ResolvedLine[];
  units: number;
  deliveryFee: number;
  packingFee: number;
}

/** A ledger with nothing discounted and no unit claimed. */
export function newLedger(lines: readonly ResolvedLine[]): Ledger {
  return {
    remaining: lines.map((l) => l.subtotal),
    claimed: lines.map(() => 0),
    discounts: [],
    gifts: [],
    deliveryWaived: 0,
  };
}

/** A copy to try more discounts on without touching the original. */
export function cloneLedger(l: Ledger): Ledger {
  return {
    remaining: [...l.remaining],
    claimed: [...l.claimed],
    discounts: [...l.discounts],
    gifts: [...l.gifts],
    deliveryWaived: l.deliveryWaived,
  };
}

/** Whether a line falls inside a scope; no lists means the whole order. */
export function inScope(line: ResolvedLine, scope: Scope | undefined): boolean {
  const items = scope?.itemIds ?? [];
  const categories = scope?.categoryIds ?? [];
  if (items.length === 0 && categories.length === 0) return true;
  return items.includes(line.item.id) || categories.includes(line.item.categoryId);
}

export type ValidityProblem = 'not_yet_valid' | 'expired' | 'outside_window' | 'wrong_store';

/** Why an offer cannot run here and now, or null when it can. */
export function validityProblem(
  validity: Validity | undefined,
  menu: MenuSnapshot,
  now: number,
): ValidityProblem | null {
  if (!validity) return null;
  if (validity.storeIds && validity.storeIds.length > 0 && !validity.storeIds.includes(menu.storeId)) {
    return 'wrong_store';
  }
  if (validity.from !== undefined && now < validity.from) return 'not_yet_valid';
  if (validity.to !== undefined && now >= validity.to) return 'expired';
  if (validity.weekly && validity.weekly.length > 0 && !scheduleAt(validity.weekly, menu.timeZone, now).open) {
    return 'outside_window';
  }
  return null;
}

/** Sum of what remains payable on the lines in scope. */
export function remainingIn(ctx: PricingContext, ledger: Ledger, scope: Scope | undefined): number {
  let sum = 0;
  ctx.lines.forEach((line, i) => {
    if (inScope(line, scope)) sum += ledger.remaining[i] ?? 0;
  });
  return sum;
}

/** Sum of the undiscounted subtotals of the lines in scope. */
export function originalIn(ctx: PricingContext, scope: Scope | undefined): number {
  let sum = 0;
  for (const line of ctx.lines) if (inScope(line, scope)) sum += line.subtotal;
  return sum;
}

/**
 * Takes `perLine` cents off the lines (each capped by what remains of it) and records the
 * discount. Returns the amount actually taken; nothing is recorded when it is zero.
 */
export function takeFromLines(
  ctx: PricingContext,
  ledger: Ledger,
  perLine: readonly number[],
  discount: Omit<Discount, 'amount' | 'allocation'>,
): number {
  const allocation: Discount['allocation'] = [];
  let amount = 0;
  perLine.forEach((want, i) => {
    const take = Math.min(Math.max(0, want), ledger.remaining[i] ?? 0);
    if (take <= 0) return;
    ledger.remaining[i] = (ledger.remaining[i] ?? 0) - take;
    allocation.push({ line: ctx.lines[i]?.index ?? i, amount: take });
    amount += take;
  });
  if (amount > 0) ledger.discounts.push({ ...discount, amount, allocation });
  return amount;
}

/**
 * Takes an order-level amount off the lines in scope, capped by what remains there and
 * spread by largest remainder over what remains of each line.
 */
export function takeFromScope(
  ctx: PricingContext,
  ledger: Ledger,
  scope: Scope | undefined,
  amount: number,
  discount: Omit<Discount, 'amount' | 'allocation'>,
): number {
  const weights = ctx.lines.map((line, i) => (inScope(line, scope) ? (ledger.remaining[i] ?? 0) : 0));
  const available = weights.reduce((s, w) => s + w, 0);
  return takeFromLines(ctx, ledger, allocate(Math.min(amount, available), weights), discount);
}
