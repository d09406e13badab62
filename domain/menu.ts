import type { MenuPromotions, PromotionBadge } from './pricing/promotion-badges';
import { type ScheduleState, scheduleAt, type WeeklySlot } from './schedule';
import { isoInZone } from './zoned-time';

/*
 * The published menu of one store: a snapshot built at publish time (prices after
 * per-store overrides, off-shelf items removed) and rendered per request, because
 * availability windows depend on the clock while everything else does not.
 */

export interface SnapshotOption {
  id: string;
  name: string;
  priceDelta: number;
}

export interface SnapshotOptionGroup {
  id: string;
  name: string;
  min: number;
  max: number;
  options: SnapshotOption[];
}

export interface SnapshotSpec {
  id: string;
  name: string;
  price: number;
}

export interface SnapshotItem {
  id: string;
  categoryId: string;
  name: string;
  description: string;
  price: number;
  imageUrl: string | null;
  calories: number | null;
  ingredients: string[];
  allergens: string[];
  tags: string[];
  specs: SnapshotSpec[];
  optionGroups: SnapshotOptionGroup[];
  availability: WeeklySlot[];
  soldOut: boolean;
  maxPerOrder: number | null;
  prepSeconds: number;
}

export interface MenuSnapshot {
  storeId: string;
  brandId: string;
  version: number;
  publishedAt: number;
  timeZone: string;
  currency: string;
  categories: { id: string; name: string; items: SnapshotItem[] }[];
}

export type UnavailableReason = 'sold_out' | 'outside_hours';

export interface RenderedItem extends Omit<SnapshotItem, 'availability' | 'soldOut'> {
  available: boolean;
  unavailableReason?: UnavailableReason;
  /** ISO time the item is next orderable when outside its window. */
  nextAvailableAt?: string;
  availabilityWindows: WeeklySlot[];
  /** The merchant's promotions on this dish now ("第二份半价", "限时特价 ¥9.9"). */
  promotions: PromotionBadge[];
}

export interface RenderedMenu {
  storeId: string;
  version: number;
  publishedAt: string;
  currency: string;
  /** Promotions on the whole order running now ("满30减8"). */
  promotions: PromotionBadge[];
  categories: { id: string; name: string; items: RenderedItem[] }[];
}

/** Availability of a single item at an instant: window first, then live sold-out. */
export function itemAvailability(item: SnapshotItem, timeZone: string, now: number): ScheduleState {
  return scheduleAt(item.availability, timeZone, now);
}

/**
 * A compact key of everything in the rendered menu that depends on the clock, plus the
 * earliest instant at which it can change. Equal keys render identical bodies, so the
 * key makes the ETag and `changesAt` bounds how long a cache may keep it.
 */
export function clockKey(snapshot: MenuSnapshot, now: number): { key: string; changesAt?: number } {
  let key = '';
  let changesAt: number | undefined;
  for (const c of snapshot.categories) {
    for (const item of c.items) {
      if (item.availability.length === 0) continue;
      const s = itemAvailability(item, snapshot.timeZone, now);
      key += s.open ? '1' : `0${s.next ?? ''}`;
      const edge = s.open ? s.until : s.next;
      if (edge !== undefined && (changesAt === undefined || edge < changesAt)) changesAt = edge;
    }
  }
  return { key, changesAt };
}

/** The guest-facing menu at `now`. */
export function renderMenu(snapshot: MenuSnapshot, now: number, offers?: MenuPromotions): RenderedMenu {
  const tz = snapshot.timeZone;
  return {
    storeId: snapshot.storeId,
    version: snapshot.version,
    publishedAt: isoInZone(snapshot.publishedAt, tz),
    currency: snapshot.currency,
    promotions: offers?.order ?? [],
    categories: snapshot.categories.map((c) => ({
      id: c.id,
      name: c.name,
      items: c.items.map((item) => {
        const { availability, soldOut, ...rest } = item;
        const window = itemAvailability(item, tz, now);
        const base = { ...rest, availabilityWindows: availability, promotions: offers?.items.get(item.id) ?? [] };
        if (!window.open) {
          return {
            ...base,
            available: false,
            unavailableReason: 'outside_hours' as const,
            ...(window.next !== undefined ? { nextAvailableAt: isoInZone(window.next, tz) } : {}),
          };
        }
        if (soldOut) return { ...base, available: false, unavailableReason: 'sold_out' as const };
        return { ...base, available: true };
      }),
    })),
  };
}

/** 32-bit FNV-1a as hex: a cheap, stable digest for ETags. */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
