import { allocate } from '../pricing/allocate';
import { type LocalDate, localTime, zonedEpoch } from '../zoned-time';

/*
 * Points arithmetic: what an order earns, what a refund takes back, and which lots a
 * debit draws from. Pure; the ledger and lots live in D1 (`worker/loyalty`).
 */

export interface EarnLine {
  index: number;
  quantity: number;
  /** What the guest paid for the line after discounts, cents. */
  total: number;
  /** Free gifts and reward lines never earn. */
  gift?: boolean;
}

export interface OrderEarning {
  total: number;
  perLine: { index: number; quantity: number; points: number }[];
}

/**
 * Points for a completed order: `perYuan × multiplier` per yuan actually paid for its
 * dishes. Discounts are already out of each line's total; fees, gifts and whatever was
 * paid with points earn nothing. The total is floored once and spread over the lines by
 * largest remainder, so per-line reversals add up exactly.
 */
export function orderEarning(
  lines: readonly EarnLine[],
  opts: { perYuan: number; multiplier: number; paidWithPoints?: number },
): OrderEarning {
  const eligible = lines.map((l) => (l.gift ? 0 : Math.max(0, l.total)));
  const byPoints = allocate(
    Math.min(
      opts.paidWithPoints ?? 0,
      eligible.reduce((s, x) => s + x, 0),
    ),
    eligible,
  );
  const paid = eligible.map((x, i) => x - (byPoints[i] ?? 0));
  const sum = paid.reduce((s, x) => s + x, 0);
  // Rate in hundredths of a point per yuan keeps 1.2× and 1.5× in integers.
  const rate = Math.max(0, Math.round(opts.perYuan * opts.multiplier * 100));
  const total = Math.floor((sum * rate) / 10_000);
  const shares = allocate(total, paid);
  return {
    total,
    perLine: lines.map((l, i) => ({ index: l.index, quantity: l.quantity, points: shares[i] ?? 0 })),
  };
}

/**
 * What an earning is worth after refunds: each line's points are spread over its units
 * (largest remainder, first units first) and refunded units give back the last shares,
 * so refunding a whole line takes back exactly what it earned.
 */
export function pointsAfterRefunds(earning: OrderEarning, refundedUnits: ReadonlyMap<number, number>): number {
  let kept = 0;
  for (const l of earning.perLine) {
    const units = allocate(
      l.points,
      Array.from({ length: l.quantity }, () => 1),
    );
    const keep = Math.max(0, l.quantity - (refundedUnits.get(l.index) ?? 0));
    kept += units.slice(0, keep).reduce((s, x) => s + x, 0);
  }
  return kept;
}

export interface Lot {
  id: string;
  orderId: string | null;
  remaining: number;
  availableAt: number;
  expiresAt: number;
  createdAt: number;
}

const live = (l: Lot, now: number) => l.remaining > 0 && l.expiresAt > now;

/** Points that can be spent now. */
export function spendable(lots: readonly Lot[], now: number): number {
  return lots.filter((l) => live(l, now) && l.availableAt <= now).reduce((s, l) => s + l.remaining, 0);
}

/** Points still inside their refund window. */
export function pendingPoints(lots: readonly Lot[], now: number): number {
  return lots.filter((l) => live(l, now) && l.availableAt > now).reduce((s, l) => s + l.remaining, 0);
}

/** Oldest expiry first; the earliest-made lot first among equals. */
const fifo = (a: Lot, b: Lot) => a.expiresAt - b.expiresAt || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);

export interface DebitPlan {
  take: { lotId: string; amount: number }[];
  /** What could not be covered. A spend with a shortfall is refused; a reversal records it. */
  shortfall: number;
}

/**
 * Which lots a debit draws from. A spend takes only spendable points, oldest expiry
 * first. A reversal first takes back the order's own lot (pending or not), then, if the
 * member already spent those points, spendable lots FIFO; it never goes below zero.
 */
export function planDebit(
  lots: readonly Lot[],
  amount: number,
  now: number,
  opts: { reversalOf?: string } = {},
): DebitPlan {
  const order: Lot[] = [];
  if (opts.reversalOf) order.push(...lots.filter((l) => l.orderId === opts.reversalOf && live(l, now)).sort(fifo));
  order.push(...lots.filter((l) => !order.includes(l) && live(l, now) && l.availableAt <= now).sort(fifo));
  const take: DebitPlan['take'] = [];
  let left = Math.max(0, amount);
  for (const l of order) {
    if (left === 0) break;
    const n = Math.min(l.remaining, left);
    take.push({ lotId: l.id, amount: n });
    left -= n;
  }
  return { take, shortfall: left };
}

/** Lots whose expiry has passed with points left: each expires whole. */
export function expiredLots(lots: readonly Lot[], now: number): Lot[] {
  return lots.filter((l) => l.remaining > 0 && l.expiresAt <= now);
}

/** Spendable or pending points that expire before `until`, by expiry instant. */
export function expiringBefore(lots: readonly Lot[], now: number, until: number) {
  const byExpiry = new Map<number, number>();
  for (const l of lots) {
    if (live(l, now) && l.expiresAt <= until) byExpiry.set(l.expiresAt, (byExpiry.get(l.expiresAt) ?? 0) + l.remaining);
  }
  return [...byExpiry.entries()].sort((a, b) => a[0] - b[0]).map(([at, points]) => ({ at, points }));
}

/**
 * When points earned at `earnedAt` expire: the end of the `months`-th month after the
 * month they were earned, at local midnight ("earned in March 2026, gone with March 2027").
 */
export function lotExpiresAt(earnedAt: number, timeZone: string, months: number): number {
  const t = localTime(earnedAt, timeZone);
  const index = t.year * 12 + (t.month - 1) + months + 1;
  const first: LocalDate = { year: Math.floor(index / 12), month: (index % 12) + 1, day: 1, weekday: 0 };
  return zonedEpoch(first, 0, timeZone);
}

/** What `points` pay toward `due` cents, within the brand's share cap of the order total. */
export function pointsPayment(
  opts: { points: number; due: number; orderTotal: number; alreadyByPoints: number },
  rules: { centsPerPoint: number; maxPaymentPercent: number },
): { points: number; cents: number; capCents: number } {
  const capCents = Math.max(0, Math.floor((opts.orderTotal * rules.maxPaymentPercent) / 100) - opts.alreadyByPoints);
  const cents = Math.min(opts.points * rules.centsPerPoint, opts.due, capCents);
  const points = Math.floor(cents / rules.centsPerPoint);
  return { points, cents: points * rules.centsPerPoint, capCents };
}
