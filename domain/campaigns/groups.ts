/*
 * Group buys and bargain ladders: who may join or help, what a filled group pays back,
 * and which rungs a count of helpers has reached. Pure: no clock, no storage.
 */
import type { OrderStatus } from '../orders/order-state';
import { allocate } from '../pricing/allocate';

/** Why a member may not open or join a group (422 `group.refused`). */
export type GroupRefusal = 'already_in_group' | 'device_used' | 'daily_limit' | 'order_not_eligible';

/** Why a friend may not help a bargain (422 `bargain.refused`). */
export type BargainRefusal = 'self_help' | 'already_helped' | 'device_used' | 'daily_limit';

/** Why an order cannot carry a group seat; all are reported as `order_not_eligible`. */
export type OrderIneligibility =
  | 'not_found'
  | 'not_yours'
  | 'other_brand'
  | 'not_paid'
  | 'refunded'
  | 'no_item'
  | 'not_held'
  | 'already_grouped';

/**
 * Orders whose money is in and that the kitchen has not started: a group-buy order waits,
 * held, until its group fills, so a group that fails can be cancelled with nothing cooked.
 */
const PAID: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['paid', 'accepted']);

export interface GroupOrderFacts {
  memberId: string | null;
  brandId: string;
  status: OrderStatus;
  total: number;
  paid: number;
  /** Sum of refunds already taken from the order's payments. */
  refunded: number;
  lines: { itemId: string; total: number; gift?: boolean }[];
  /** Placed as a group-buy order (held from the kitchen). */
  kitchenHold: boolean;
}

/** Whether an order can carry this member's seat in a group for `itemId`; null when it can. */
export function orderIneligibility(
  order: GroupOrderFacts,
  want: { memberId: string; brandId: string; itemId: string },
): OrderIneligibility | null {
  if (order.memberId !== want.memberId) return 'not_yours';
  if (order.brandId !== want.brandId) return 'other_brand';
  if (!PAID.has(order.status) || order.total <= 0 || order.paid < order.total) return 'not_paid';
  if (order.refunded > 0) return 'refunded';
  if (!order.kitchenHold) return 'not_held';
  if (groupLineTotal(order.lines, want.itemId) <= 0) return 'no_item';
  return null;
}

/** What the member paid for the group item: the total of its (non-gift) lines. */
export function groupLineTotal(lines: GroupOrderFacts['lines'], itemId: string): number {
  return lines.filter((l) => l.itemId === itemId && !l.gift).reduce((s, l) => s + l.total, 0);
}

/**
 * The reward of a filled group: `percentOff`% of what the member paid for the group item,
 * rounded down to the fen so the brand never pays back more than it promised.
 */
export function groupRewardAmount(lines: GroupOrderFacts['lines'], itemId: string, percentOff: number): number {
  return Math.floor((groupLineTotal(lines, itemId) * percentOff) / 100);
}

/**
 * The reward split over the order's tenders in proportion to what each originally paid.
 * Original amounts (not what is left) keep the split the same on every retry, so each
 * tender's deterministic refund id always carries the same amount.
 */
export function splitReward(amount: number, tenders: readonly number[]): number[] {
  return allocate(amount, tenders);
}

/** Facts about a would-be joiner, read before (or after) the conditional join. */
export interface JoinFacts {
  alreadyMember: boolean;
  deviceUsed: boolean;
  groupsToday: number;
  maxGroupsPerDay: number;
}

/** The first rule a join breaks, in the order a guest should hear them. */
export function joinRefusal(f: JoinFacts): GroupRefusal | null {
  if (f.alreadyMember) return 'already_in_group';
  if (f.deviceUsed) return 'device_used';
  if (f.groupsToday >= f.maxGroupsPerDay) return 'daily_limit';
  return null;
}

/** Why a group takes no one now (409), or null while it has room and time. */
export function groupClosed(
  g: { status: 'open' | 'filled' | 'failed'; joined: number; size: number; expiresAt: number },
  now: number,
): 'full' | 'expired' | null {
  if (g.status === 'filled' || g.joined >= g.size) return 'full';
  if (g.status === 'failed' || g.expiresAt <= now) return 'expired';
  return null;
}

export interface HelpFacts {
  isInitiator: boolean;
  alreadyHelped: boolean;
  deviceUsed: boolean;
  helpsToday: number;
  maxHelpsPerDay: number;
}

/** The first rule a help breaks (the state checks, expired or done, come between the first two and the rest). */
export function helpRefusal(f: HelpFacts): BargainRefusal | null {
  if (f.isInitiator) return 'self_help';
  if (f.alreadyHelped) return 'already_helped';
  if (f.deviceUsed) return 'device_used';
  if (f.helpsToday >= f.maxHelpsPerDay) return 'daily_limit';
  return null;
}

export interface Rung {
  helpers: number;
  templateId: string;
}

/** Rungs in climbing order (config order is not trusted). */
export const sortedRungs = (rungs: readonly Rung[]): Rung[] => [...rungs].sort((a, b) => a.helpers - b.helpers);

/** The rungs `helpers` friends have reached, lowest first. */
export function rungsReached(rungs: readonly Rung[], helpers: number): Rung[] {
  return sortedRungs(rungs).filter((r) => r.helpers <= helpers);
}

/** The next rung to reach and how many more helpers it needs, or null at the top. */
export function nextRung(rungs: readonly Rung[], helpers: number): (Rung & { needed: number }) | null {
  const next = sortedRungs(rungs).find((r) => r.helpers > helpers);
  return next ? { ...next, needed: next.helpers - helpers } : null;
}

/** Helpers at which the ladder is complete: the top rung. */
export const ladderTop = (rungs: readonly Rung[]): number => Math.max(...rungs.map((r) => r.helpers));

/** The issue key of a rung's coupon: one per bargain and rung, so replays issue nothing. */
export const rungIssueKey = (bargainId: string, rung: Rung) => `bargain:${bargainId}:${rung.helpers}`;

/** The issue key of a filled group's coupon for one member. */
export const groupIssueKey = (groupId: string, memberId: string) => `group:${groupId}:${memberId}`;

/**
 * The refund id of one tender's group reward. An order sits in at most one group, so the
 * payment id already makes it unique; the group suffix makes it traceable. 44 characters:
 * within the providers' 64 for out_refund_no / out_request_no.
 */
export const groupRefundId = (paymentId: string, groupId: string) =>
  `rfd_${paymentId}_grp${groupId.replace(/^grp_/, '').slice(0, 8)}`;
