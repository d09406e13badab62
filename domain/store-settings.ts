import type { DispatchPick } from './delivery/dispatch-rules';
import { defaultRouting, type StationRouting } from './kitchen/kitchen-routing';
import type { OrderMode } from './orders/order-state';
import { DEFAULT_MAX_UNSERVED_ROUNDS } from './sessions/presence';
import { localDay, parseHhmm } from './zoned-time';

/** Per-store ordering policy; stored as JSON on the store, missing keys take these defaults. */
export interface StoreSettings {
  /** Minutes an unpaid order holds its stock and coupons before it expires. */
  unpaidExpiryMinutes: number;
  /** Open orders (paid, not yet handed over) past which new orders wait. */
  maxOpenOrders: number;
  /** Orders admitted to the kitchen (paid, or an open tab) per rolling minute; unpaid ones do not count. */
  maxOrdersPerMinute: number;
  /** Unpaid orders one guest may have at the store at once (see `domain/orders/unpaid-holds.ts`). */
  maxUnpaidOrdersPerGuest: number;
  /** Minutes to pay an order that takes a dish with a daily count (at most `unpaidExpiryMinutes`). */
  limitedStockPaymentMinutes: number;
  /** Lapsed unpaid orders holding limited stock per guest and business day before their unpaid orders may hold none. */
  limitedStockStrikes: number;
  /** Table areas whose guests pay after the meal (an open tab). */
  payLaterAreas: string[];
  /** Rounds a diner may have on an open tab, unpaid and not yet served, before ordering more. */
  maxUnservedRoundsPerDiner: number;
  packingFeePerUnit: number;
  packingModes: OrderMode[];
  /** Delivery fee by distance, nearest band first; beyond the last band delivery is refused. */
  deliveryBands: { upToMetres: number; fee: number }[];
  maxUnitsPerOrder: number;
  /** Dishes the kitchen prepares at once, for wait estimates. */
  kitchenParallelism: number;
  /** A guest may urge an order at most once per this many minutes. */
  urgeCooldownMinutes: number;
  /** Local time the business day rolls over (late-night stores close after midnight). */
  dayStartsAt: string;
  /** Ticket prefixes per mode, e.g. A001 for dine-in. */
  ticketPrefixes: Record<OrderMode, string>;
  /** Which kitchen station cooks what. */
  stationRouting: StationRouting;
  /** Ticket age colours on kitchen displays: yellow after warn, red after late (minutes). */
  kitchenWarnMinutes: number;
  kitchenLateMinutes: number;
  /** Which carrier a delivery goes to when staff do not name one: the lowest fee or the soonest promise. */
  dispatchPick: DispatchPick;
  /** Delivery slots a guest may choose (domain/delivery/slots.ts): their length in minutes. */
  deliverySlotMinutes: number;
  /** The earliest delivery slot starts at least this many minutes from now. */
  deliveryLeadMinutes: number;
  /** Minutes before a rider can leave with an as-soon-as-possible order (its promise). */
  deliveryPrepMinutes: number;
  /** A rider's speed for the as-soon-as-possible promise, metres per minute. */
  riderMetresPerMinute: number;
}

export const defaultStoreSettings: StoreSettings = {
  unpaidExpiryMinutes: 15,
  maxOpenOrders: 500,
  maxOrdersPerMinute: 600,
  maxUnpaidOrdersPerGuest: 2,
  limitedStockPaymentMinutes: 5,
  limitedStockStrikes: 2,
  payLaterAreas: [],
  maxUnservedRoundsPerDiner: DEFAULT_MAX_UNSERVED_ROUNDS,
  packingFeePerUnit: 100,
  packingModes: ['pickup', 'delivery'],
  deliveryBands: [
    { upToMetres: 1500, fee: 300 },
    { upToMetres: 3000, fee: 500 },
    { upToMetres: 5000, fee: 800 },
  ],
  maxUnitsPerOrder: 50,
  kitchenParallelism: 4,
  urgeCooldownMinutes: 5,
  dayStartsAt: '04:00',
  ticketPrefixes: { dine_in: 'A', pickup: 'B', delivery: 'C' },
  stationRouting: defaultRouting,
  kitchenWarnMinutes: 8,
  kitchenLateMinutes: 15,
  dispatchPick: 'cheapest',
  deliverySlotMinutes: 30,
  deliveryLeadMinutes: 30,
  deliveryPrepMinutes: 20,
  riderMetresPerMinute: 250,
};

/** Merges stored settings over the defaults, ignoring keys of the wrong type. */
export function resolveSettings(raw: unknown): StoreSettings {
  const out: StoreSettings = { ...defaultStoreSettings };
  if (!raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw)) {
    const key = k as keyof StoreSettings;
    if (key in out && typeof v === typeof out[key] && Array.isArray(v) === Array.isArray(out[key])) {
      (out as unknown as Record<string, unknown>)[key] = v;
    }
  }
  return out;
}

/**
 * The business day an instant belongs to, as `YYYY-MM-DD` in store time: before
 * `dayStartsAt` it still counts as the previous day, so a 01:30 order at a late-night
 * store gets the same ticket series as the evening.
 */
export function businessDay(now: number, timeZone: string, dayStartsAt: string): string {
  const shift = (parseHhmm(dayStartsAt) ?? 0) * 60_000;
  return localDay(now - shift, timeZone);
}

/** A001, A002 …; past 999 the number simply grows (A1000). */
export function ticketNumber(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(3, '0')}`;
}
