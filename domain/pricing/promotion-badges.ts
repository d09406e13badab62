import type { MenuSnapshot, SnapshotItem } from '../menu';
import { formatYuan } from '../money';
import { scheduleAt, type WeeklySlot } from '../schedule';
import { validityProblem } from './ledger';
import type { Channel, Promotion } from './pricing-types';
import { closingWindow } from './promotion-windows';

/*
 * What a guest sees of the merchant's promotions on the menu: a short Chinese badge per
 * dish ("第二份半价", "限时特价 ¥9.9") and the order-wide offers ("满30减8") above it.
 * Pure, from the promotions, the snapshot and the clock, so the menu's ETag can carry it.
 */

export interface PromotionBadge {
  promotionId: string;
  kind: Promotion['kind'];
  name: string;
  label: string;
  /** Order modes it is for, when not every one. */
  channels?: Channel[];
  /** Members only (a member price or tier discount). */
  membersOnly?: boolean;
  /** A flash price's unit price in cents, for the card's crossed-out list price; its spec, when it has one. */
  price?: number;
  specId?: string;
}

export interface MenuPromotions {
  /** Badges per item id. */
  items: Map<string, PromotionBadge[]>;
  /** Offers on the whole order, not on particular dishes. */
  order: PromotionBadge[];
  /** A digest input: equal keys mean equal badges. */
  key: string;
  /** The earliest instant a badge can appear or disappear, when known. */
  changesAt?: number;
}

/** Cents as a short yuan amount: 3000 → "30", 990 → "9.9", 1250 → "12.5". */
export function shortYuan(cents: number): string {
  return formatYuan(Math.trunc(cents)).replace(/\.?0+$/, '');
}

/** Percent off as Chinese 折: 20 → "8折", 15 → "8.5折", 12.5 → "8.75折". */
export function zhe(percentOff: number): string {
  const tenths = Math.round((100 - percentOff) * 100) / 1000;
  return `${tenths}折`;
}

/** The badge text of a promotion: the merchant's own, or one derived from its terms. */
export function promotionLabel(p: Promotion, items?: ReadonlyMap<string, SnapshotItem>): string {
  if (p.badge) return p.badge;
  switch (p.kind) {
    case 'threshold':
      return `满${shortYuan(p.threshold)}减${shortYuan(p.amountOff)}`;
    case 'percentage':
      return zhe(p.percentOff);
    case 'tier_discount':
      return `会员${zhe(p.percentOff)}`;
    case 'member_price':
      return `会员价 ¥${shortYuan(p.price)}`;
    case 'second_half':
      return '第二份半价';
    case 'combo':
      return `套餐价 ¥${shortYuan(p.price)}`;
    case 'free_gift':
      return `满${shortYuan(p.threshold)}送${items?.get(p.giftItemId)?.name ?? '赠品'}`;
    case 'flash_price':
      return `限时特价 ¥${shortYuan(p.price)}`;
    case 'bxgy':
      return `买${p.buy}送${p.get}`;
    case 'closing_markdown':
      return `打烊前${zhe(p.percentOff)}`;
  }
}

/** Items a promotion names on its own (flash and member prices, combo slots). */
function namedItems(p: Promotion): string[] | undefined {
  if (p.kind === 'flash_price' || p.kind === 'member_price') return [p.itemId];
  if (p.kind === 'combo') return [...new Set(p.slots.flatMap((s) => s.itemIds))];
  return undefined;
}

function scoped(p: Promotion): boolean {
  return (p.scope?.itemIds?.length ?? 0) > 0 || (p.scope?.categoryIds?.length ?? 0) > 0;
}

/** Edges of a promotion's validity after `now` (start, end, weekly slot edges, closing window). */
function nextEdge(p: Promotion, menu: MenuSnapshot, now: number, hours: readonly WeeklySlot[] | undefined) {
  const edges: number[] = [];
  const v = p.validity;
  if (v?.from !== undefined && v.from > now) edges.push(v.from);
  if (v?.to !== undefined && v.to > now) edges.push(v.to);
  if (v?.weekly?.length) {
    const s = scheduleAt(v.weekly, menu.timeZone, now);
    const edge = s.open ? s.until : s.next;
    if (edge !== undefined) edges.push(edge);
  }
  if (p.kind === 'closing_markdown') {
    const w = closingWindow(p.minutesBeforeClose, hours, menu.timeZone, now);
    if (w) edges.push(w.open ? w.to : w.from);
  }
  return edges.length > 0 ? Math.min(...edges) : undefined;
}

/**
 * The badges of the promotions that run at `now` for this store's menu. Member-only offers
 * are shown (a reason to sign in); per-guest limits are not judged here.
 */
export function menuPromotions(
  promotions: readonly Promotion[],
  menu: MenuSnapshot,
  now: number,
  hours?: readonly WeeklySlot[],
): MenuPromotions {
  const all = new Map<string, SnapshotItem>();
  for (const c of menu.categories) for (const i of c.items) all.set(i.id, i);
  const items = new Map<string, PromotionBadge[]>();
  const order: PromotionBadge[] = [];
  let changesAt: number | undefined;
  let key = '';
  for (const p of promotions) {
    const edge = nextEdge(p, menu, now, hours);
    if (edge !== undefined && (changesAt === undefined || edge < changesAt)) changesAt = edge;
    if (validityProblem(p.validity, menu, now) !== null) continue;
    if (p.kind === 'closing_markdown' && !closingWindow(p.minutesBeforeClose, hours, menu.timeZone, now)?.open) {
      continue;
    }
    const badge: PromotionBadge = {
      promotionId: p.id,
      kind: p.kind,
      name: p.name,
      label: promotionLabel(p, all),
      ...(p.channels?.length ? { channels: p.channels } : {}),
      ...(p.kind === 'member_price' || p.kind === 'tier_discount' ? { membersOnly: true } : {}),
      ...(p.kind === 'flash_price' ? { price: p.price, ...(p.specId ? { specId: p.specId } : {}) } : {}),
    };
    key += `${JSON.stringify(badge)};`;
    const named = namedItems(p);
    const targets =
      named ??
      (scoped(p)
        ? [...all.values()]
            .filter((i) => p.scope?.itemIds?.includes(i.id) || p.scope?.categoryIds?.includes(i.categoryId))
            .map((i) => i.id)
        : undefined);
    if (!targets) {
      order.push(badge);
      continue;
    }
    for (const id of targets) {
      if (!all.has(id)) continue;
      const list = items.get(id) ?? [];
      list.push(badge);
      items.set(id, list);
    }
  }
  return { items, order, key, ...(changesAt !== undefined ? { changesAt } : {}) };
}
