import { allocate, money, percentOf } from './allocate';
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
import type { Promotion } from './pricing-types';
import { channelMatches, inClosingWindow } from './promotion-windows';
import { orderable } from './validate';

/*
 * Promotions run in stages: unit-level offers first (they claim whole units, so one cup is
 * never both the flash-price cup and the free cup), then percentages over what remains, then
 * spend thresholds judged on what the guest would actually pay, then gifts.
 */

const STAGE: Record<Promotion['kind'], number> = {
  flash_price: 0,
  member_price: 0,
  combo: 1,
  second_half: 2,
  bxgy: 3,
  percentage: 4,
  tier_discount: 4,
  closing_markdown: 4,
  threshold: 5,
  free_gift: 6,
};

/** Promotions in the order they apply: stage, then higher priority, then as listed. */
export function promotionOrder(promotions: readonly Promotion[]): Promotion[] {
  return promotions
    .map((p, i) => ({ p, i }))
    .sort((a, b) => STAGE[a.p.kind] - STAGE[b.p.kind] || (b.p.priority ?? 0) - (a.p.priority ?? 0) || a.i - b.i)
    .map(({ p }) => p);
}

/** Whether a promotion can run for this store, time, channel and member at all. */
export function promotionRuns(ctx: PricingContext, p: Promotion): boolean {
  const { input } = ctx;
  if (validityProblem(p.validity, ctx.menu, input.now) !== null) return false;
  if (!channelMatches(p.channels, input.mode, input.group === true)) return false;
  if (p.kind === 'tier_discount') {
    const tier = input.member?.tierId;
    return tier !== undefined && p.tierIds.includes(tier);
  }
  if (p.kind === 'member_price') {
    if (!input.member) return false;
    return !p.tierIds?.length || (input.member.tierId !== undefined && p.tierIds.includes(input.member.tierId));
  }
  if (p.kind === 'closing_markdown') {
    return inClosingWindow(p.minutesBeforeClose, input.openingHours, ctx.menu.timeZone, input.now);
  }
  return true;
}

/** Units of a line no unit-level promotion has claimed yet. */
function free(ctx: PricingContext, ledger: Ledger, i: number): number {
  return (ctx.lines[i]?.quantity ?? 0) - (ledger.claimed[i] ?? 0);
}

interface Run {
  i: number;
  count: number;
  price: number;
}

/** Unclaimed units in scope as runs of equal price, cheapest or dearest first, ties by line. */
function runs(ctx: PricingContext, ledger: Ledger, p: Promotion, order: 'asc' | 'desc', itemId?: string): Run[] {
  const out: Run[] = [];
  ctx.lines.forEach((line, i) => {
    if (itemId !== undefined && line.item.id !== itemId) return;
    if (!inScope(line, p.scope)) return;
    const count = free(ctx, ledger, i);
    if (count > 0) out.push({ i, count, price: line.unitPrice });
  });
  return out.sort((a, b) => (order === 'asc' ? a.price - b.price : b.price - a.price) || a.i - b.i);
}

function base(p: Promotion, reason: string) {
  return { id: p.id, source: 'promotion' as const, kind: p.kind, name: p.name, reason };
}

function flashPrice(
  ctx: PricingContext,
  ledger: Ledger,
  p: Extract<Promotion, { kind: 'flash_price' | 'member_price' }>,
): number {
  const perLine = ctx.lines.map(() => 0);
  const candidates = ctx.lines
    .map((line, i) => ({ line, i, saving: line.basePrice - p.price }))
    .filter(
      ({ line, i, saving }) =>
        line.item.id === p.itemId &&
        (p.specId === undefined || line.spec?.id === p.specId) &&
        inScope(line, p.scope) &&
        saving > 0 &&
        free(ctx, ledger, i) > 0,
    )
    .sort((a, b) => b.saving - a.saving || a.i - b.i);
  let left = (p.kind === 'flash_price' ? p.maxQuantity : undefined) ?? Number.POSITIVE_INFINITY;
  let units = 0;
  for (const c of candidates) {
    const n = Math.min(free(ctx, ledger, c.i), left);
    if (n <= 0) break;
    perLine[c.i] = n * c.saving;
    ledger.claimed[c.i] = (ledger.claimed[c.i] ?? 0) + n;
    left -= n;
    units += n;
  }
  const item = ctx.items.get(p.itemId)?.name ?? p.itemId;
  const who = p.kind === 'member_price' ? 'member price: ' : '';
  return takeFromLines(ctx, ledger, perLine, base(p, `${who}${item} at ${money(p.price)} × ${units}`));
}

/** Node budget for one combo search; slots are few, so this is only a guard against odd data. */
const COMBO_NODES = 20_000;

/** The dearest way to fill every slot with distinct unclaimed units, or null. */
function fillCombo(
  ctx: PricingContext,
  p: Extract<Promotion, { kind: 'combo' }>,
  avail: number[],
): { picks: number[]; sum: number } | null {
  const candidates = p.slots.map((slot) =>
    ctx.lines
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => slot.itemIds.includes(line.item.id) && inScope(line, p.scope))
      .sort((a, b) => b.line.basePrice - a.line.basePrice || a.i - b.i),
  );
  const bestRest: number[] = [];
  for (let s = candidates.length - 1, acc = 0; s >= 0; s--) {
    acc += candidates[s]?.[0]?.line.basePrice ?? 0;
    bestRest[s] = acc;
  }
  let best: { picks: number[]; sum: number } | null = null;
  let nodes = 0;
  const picks: number[] = [];
  const dfs = (s: number, sum: number): void => {
    if (nodes++ > COMBO_NODES) return;
    if (s === candidates.length) {
      if (!best || sum > best.sum) best = { picks: [...picks], sum };
      return;
    }
    if (best && sum + (bestRest[s] ?? 0) <= best.sum) return;
    for (const { line, i } of candidates[s] ?? []) {
      if ((avail[i] ?? 0) <= 0) continue;
      avail[i] = (avail[i] ?? 0) - 1;
      picks.push(i);
      dfs(s + 1, sum + line.basePrice);
      picks.pop();
      avail[i] = (avail[i] ?? 0) + 1;
    }
  };
  dfs(0, 0);
  return best;
}

function combo(ctx: PricingContext, ledger: Ledger, p: Extract<Promotion, { kind: 'combo' }>): number {
  if (p.slots.length === 0) return 0;
  const avail = ctx.lines.map((_, i) => free(ctx, ledger, i));
  const perLine = ctx.lines.map(() => 0);
  const max = p.maxApplications ?? Number.POSITIVE_INFINITY;
  let applied = 0;
  while (applied < max) {
    const fill = fillCombo(ctx, p, avail);
    if (!fill || fill.sum <= p.price) break;
    // The combo price replaces the units' base prices; option upcharges stay payable.
    const shares = allocate(
      fill.sum - p.price,
      fill.picks.map((i) => ctx.lines[i]?.basePrice ?? 0),
    );
    fill.picks.forEach((i, k) => {
      perLine[i] = (perLine[i] ?? 0) + (shares[k] ?? 0);
      avail[i] = (avail[i] ?? 0) - 1;
      ledger.claimed[i] = (ledger.claimed[i] ?? 0) + 1;
    });
    applied++;
  }
  return takeFromLines(ctx, ledger, perLine, base(p, `combo at ${money(p.price)} × ${applied}`));
}

function secondHalf(ctx: PricingContext, ledger: Ledger, p: Extract<Promotion, { kind: 'second_half' }>): number {
  const perLine = ctx.lines.map(() => 0);
  const itemIds = [...new Set(ctx.lines.map((l) => l.item.id))];
  let pairs = 0;
  for (const itemId of itemIds) {
    // Dearest first, so each half-price unit is the cheaper one of its pair.
    const units = runs(ctx, ledger, p, 'desc', itemId).flatMap((r) => Array.from({ length: r.count }, () => r));
    for (let k = 1; k < units.length; k += 2) {
      const first = units[k - 1];
      const second = units[k];
      if (!first || !second) break;
      perLine[second.i] = (perLine[second.i] ?? 0) + Math.floor(second.price / 2);
      ledger.claimed[first.i] = (ledger.claimed[first.i] ?? 0) + 1;
      ledger.claimed[second.i] = (ledger.claimed[second.i] ?? 0) + 1;
      pairs++;
    }
  }
  return takeFromLines(ctx, ledger, perLine, base(p, `second unit at half price × ${pairs}`));
}

function buyXGetY(ctx: PricingContext, ledger: Ledger, p: Extract<Promotion, { kind: 'bxgy' }>): number {
  const buy = Math.max(0, Math.floor(p.buy));
  const get = Math.floor(p.get);
  if (!(get >= 1) || !(p.maxApplications >= 1)) return 0;
  const sorted = runs(ctx, ledger, p, 'asc');
  const total = sorted.reduce((s, r) => s + r.count, 0);
  const applications = Math.min(Math.floor(p.maxApplications), Math.floor(total / (buy + get)));
  if (applications <= 0) return 0;
  let freeLeft = applications * get;
  let claimLeft = applications * (buy + get);
  const perLine = ctx.lines.map(() => 0);
  for (const r of sorted) {
    if (claimLeft <= 0) break;
    const claim = Math.min(r.count, claimLeft);
    const freeUnits = Math.min(claim, freeLeft);
    perLine[r.i] = (perLine[r.i] ?? 0) + freeUnits * r.price;
    ledger.claimed[r.i] = (ledger.claimed[r.i] ?? 0) + claim;
    claimLeft -= claim;
    freeLeft -= freeUnits;
  }
  return takeFromLines(ctx, ledger, perLine, base(p, `buy ${buy} get ${get} free × ${applications}`));
}

function percentage(ctx: PricingContext, ledger: Ledger, p: Promotion & { percentOff: number }, reason: string) {
  const from =
    ctx.input.stacking.percentageBase === 'original' ? originalIn(ctx, p.scope) : remainingIn(ctx, ledger, p.scope);
  return takeFromScope(ctx, ledger, p.scope, percentOf(from, p.percentOff), base(p, reason));
}

function threshold(ctx: PricingContext, ledger: Ledger, p: Extract<Promotion, { kind: 'threshold' }>): number {
  const eligible = remainingIn(ctx, ledger, p.scope);
  const at = Math.max(0, p.threshold);
  if (eligible <= 0 || eligible < at || !(p.amountOff > 0)) return 0;
  const times = p.repeat && at > 0 ? Math.floor(eligible / at) : 1;
  const reason = `${money(eligible)} on eligible items reaches ${money(at)}: ${money(p.amountOff)} off${times > 1 ? ` × ${times}` : ''}`;
  return takeFromScope(ctx, ledger, p.scope, times * p.amountOff, base(p, reason));
}

function freeGift(ctx: PricingContext, ledger: Ledger, p: Extract<Promotion, { kind: 'free_gift' }>): number {
  const eligible = remainingIn(ctx, ledger, p.scope);
  if (eligible <= 0 || eligible < p.threshold) return 0;
  const item = ctx.items.get(p.giftItemId);
  if (!item || !orderable(item, ctx.menu, ctx.input.now, ctx.input.soldOutItemIds)) return 0;
  const spec = p.giftSpecId === undefined ? item.specs[0] : item.specs.find((s) => s.id === p.giftSpecId);
  if (p.giftSpecId !== undefined && !spec) return 0;
  const price = Math.max(0, spec ? spec.price : item.price);
  const index = ctx.input.cart.length + ledger.gifts.length;
  ledger.gifts.push({ index, promotionId: p.id, item, ...(spec ? { spec } : {}), price });
  const reason = `${money(eligible)} on eligible items reaches ${money(p.threshold)}: ${item.name} free`;
  ledger.discounts.push({ ...base(p, reason), amount: price, allocation: [{ line: index, amount: price }] });
  // A zero-priced gift still counts as applied.
  return Math.max(price, 1);
}

/**
 * Applies one promotion to the ledger and returns how much it was worth (a gift counts at
 * its menu price, and at least 1 so a free gift on a zero-priced item still counts as used).
 */
export function applyPromotion(ctx: PricingContext, ledger: Ledger, p: Promotion): number {
  switch (p.kind) {
    case 'flash_price':
    case 'member_price':
      return flashPrice(ctx, ledger, p);
    case 'combo':
      return combo(ctx, ledger, p);
    case 'second_half':
      return secondHalf(ctx, ledger, p);
    case 'bxgy':
      return buyXGetY(ctx, ledger, p);
    case 'percentage':
      return percentage(ctx, ledger, p, `${p.percentOff}% off eligible items`);
    case 'tier_discount':
      return percentage(ctx, ledger, p, `${p.percentOff}% member discount (${ctx.input.member?.tierId ?? ''})`);
    case 'closing_markdown':
      return percentage(ctx, ledger, p, `${p.percentOff}% off what is left before closing`);
    case 'threshold':
      return threshold(ctx, ledger, p);
    case 'free_gift':
      return freeGift(ctx, ledger, p);
  }
}
