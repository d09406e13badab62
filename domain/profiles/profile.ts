/*
 * A member's profile from their completed orders: favourites, taste tags, spending level,
 * meal scenes, order modes, price and delivery sensitivity, health leaning, and when they
 * come back. Pure: orders (with their lines' menu tags and categories) and the zone are
 * parameters; the same history always gives the same profile.
 */
import { orderTags } from '../loyalty/perks';
import { DAY } from '../time';
import { dateKey, localTime } from '../zoned-time';
import {
  defaultProfileConfig,
  type HealthLeaning,
  type MealScene,
  type ProfileConfig,
  type SpendingLevel,
} from './profile-config';

export interface ProfileLine {
  itemId: string;
  name: string;
  quantity: number;
  /** The dish's category name in the catalog, null when the dish is gone. */
  category: string | null;
  /** The dish's menu tags, as on the catalog item. */
  tags: readonly string[];
  optionNames: readonly string[];
}

export interface ProfileOrder {
  at: number;
  /** Cents paid for the order. */
  total: number;
  mode: string;
  /** A coupon or a discount lowered the price. */
  discounted: boolean;
  /** Cents; 0 for a free delivery and for orders that are no delivery. */
  deliveryFee: number;
  lines: readonly ProfileLine[];
}

/** What the member asked not to be used: tags and scenes a recompute leaves out. */
export interface ProfileExclusions {
  tags: string[];
  scenes: MealScene[];
}

export interface ProfileFacts {
  orders: number;
  favouriteDishes: { itemId: string; name: string; count: number }[];
  favouriteCategories: { name: string; count: number }[];
  /** Taste tags by the number of orders that suggest them, most first. */
  tags: { tag: string; count: number }[];
  spending: { averageTicket: number; level: SpendingLevel } | null;
  /** Every scene seen, with its share of orders (0–1), largest first. */
  scenes: { scene: MealScene; share: number }[];
  /** Scenes with at least `sceneShare` of the orders: what a scene audience matches. */
  mainScenes: MealScene[];
  modes: { dine_in: number; pickup: number; delivery: number };
  /** Share of orders that used a coupon or a discount. */
  priceSensitivity: number;
  delivery: { share: number; freeShare: number; feeDeters: boolean };
  health: { friedShare: number; lightShare: number; leaning: HealthLeaning | null };
  lastVisitAt: number | null;
  medianIntervalDays: number | null;
  nextVisitAt: number | null;
}

const share = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) / 100 : 0);

/** Keys by count, most first; ties by key so the answer never depends on input order. */
function top<K extends string>(counts: Map<K, number>, n: number): [K, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n);
}

const bump = <K>(m: Map<K, number>, k: K, by = 1) => m.set(k, (m.get(k) ?? 0) + by);

export function spendingLevel(averageTicket: number, cfg: ProfileConfig = defaultProfileConfig): SpendingLevel {
  if (averageTicket >= cfg.spending.highFromCents) return 'high';
  return averageTicket >= cfg.spending.midFromCents ? 'mid' : 'low';
}

const inHours = (h: number, [from, to]: [number, number]) => (from <= to ? h >= from && h < to : h >= from || h < to);

/**
 * The scene an order belongs to, by local hour and weekday: late night (21:00–04:00),
 * breakfast, a weekday lunch, afternoon tea, or a weekend family meal (a Friday, Saturday
 * or Sunday dinner with a large ticket or many portions). Others (a weekday dinner, a
 * small weekend dinner) are no scene.
 */
export function mealScene(
  o: ProfileOrder,
  timeZone: string,
  cfg: ProfileConfig = defaultProfileConfig,
): MealScene | null {
  const t = localTime(o.at, timeZone);
  const h = Math.floor(t.minutes / 60);
  if (inHours(h, cfg.hours.lateNight)) return 'late_night';
  if (inHours(h, cfg.hours.breakfast)) return 'breakfast';
  if (inHours(h, cfg.hours.lunch) && t.weekday <= 5) return 'weekday_lunch';
  if (inHours(h, cfg.hours.afternoonTea)) return 'afternoon_tea';
  if (inHours(h, cfg.hours.dinner) && t.weekday >= 5) {
    const portions = o.lines.reduce((s, l) => s + l.quantity, 0);
    if (o.total >= cfg.family.ticketCents || portions >= cfg.family.portions) return 'weekend_family';
  }
  return null;
}

/** The middle of the sorted values (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Visits are local days with an order; the next visit is expected the median interval
 * (whole days between visit days) after the last one. Needs two visit days.
 */
function visits(orders: readonly ProfileOrder[], timeZone: string) {
  if (orders.length === 0) return { lastVisitAt: null, medianIntervalDays: null, nextVisitAt: null };
  const lastVisitAt = Math.max(...orders.map((o) => o.at));
  const days = [...new Set(orders.map((o) => dateKey(localTime(o.at, timeZone))))].sort();
  const ordinal = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY;
  const gaps = days.slice(1).map((d, i) => ordinal(d) - ordinal(days[i]!));
  const m = median(gaps);
  return {
    lastVisitAt,
    medianIntervalDays: m,
    nextVisitAt: m === null ? null : lastVisitAt + Math.round(m * DAY),
  };
}

function health(orders: readonly ProfileOrder[], cfg: ProfileConfig) {
  const fried = new Set(cfg.friedTags);
  const light = new Set(cfg.lightTags);
  let portions = 0;
  let friedPortions = 0;
  let lightPortions = 0;
  for (const o of orders)
    for (const l of o.lines) {
      const tags = l.tags.map((t) => t.toLowerCase());
      portions += l.quantity;
      if (tags.some((t) => fried.has(t))) friedPortions += l.quantity;
      if (tags.some((t) => light.has(t))) lightPortions += l.quantity;
    }
  const friedShare = share(friedPortions, portions);
  const lightShare = share(lightPortions, portions);
  let leaning: HealthLeaning | null = null;
  if (portions > 0) {
    if (friedShare >= cfg.leaningShare && friedShare > lightShare) leaning = 'fried';
    else if (lightShare >= cfg.leaningShare && lightShare > friedShare) leaning = 'light';
    else leaning = 'balanced';
  }
  return { friedShare, lightShare, leaning };
}

/**
 * Free delivery "deters" a fee when the member has enough delivery orders and nearly all
 * of them carried no fee: they order delivery when it is free. A rough signal, no model.
 */
function delivery(orders: readonly ProfileOrder[], cfg: ProfileConfig) {
  const deliveries = orders.filter((o) => o.mode === 'delivery');
  const free = deliveries.filter((o) => o.deliveryFee === 0).length;
  const freeShare = share(free, deliveries.length);
  return {
    share: share(deliveries.length, orders.length),
    freeShare,
    feeDeters: deliveries.length >= cfg.delivery.minOrders && freeShare >= cfg.delivery.freeShare,
  };
}

/** The member's profile from their completed orders, leaving out what they excluded. */
export function computeProfile(
  orders: readonly ProfileOrder[],
  exclusions: ProfileExclusions,
  timeZone: string,
  cfg: ProfileConfig = defaultProfileConfig,
): ProfileFacts {
  const recent = [...orders].sort((a, b) => b.at - a.at).slice(0, cfg.maxOrders);
  const n = recent.length;
  const dishes = new Map<string, number>();
  const names = new Map<string, string>();
  const categories = new Map<string, number>();
  const tags = new Map<string, number>();
  const scenes = new Map<MealScene, number>();
  const modes = { dine_in: 0, pickup: 0, delivery: 0 };
  const excludedTags = new Set(exclusions.tags.map((t) => t.toLowerCase()));
  const excludedScenes = new Set(exclusions.scenes);
  let discounted = 0;
  for (const o of recent) {
    for (const l of o.lines) {
      bump(dishes, l.itemId, l.quantity);
      if (!names.has(l.itemId)) names.set(l.itemId, l.name);
      if (l.category) bump(categories, l.category, l.quantity);
    }
    const hour = Math.floor(localTime(o.at, timeZone).minutes / 60);
    for (const t of orderTags(o.lines, hour)) if (!excludedTags.has(t)) bump(tags, t);
    const scene = mealScene(o, timeZone, cfg);
    if (scene && !excludedScenes.has(scene)) bump(scenes, scene);
    if (o.mode in modes) modes[o.mode as keyof typeof modes]++;
    if (o.discounted) discounted++;
  }
  const sceneShares = top(scenes, scenes.size).map(([scene, c]) => ({ scene, share: share(c, n) }));
  const averageTicket = n > 0 ? Math.round(recent.reduce((s, o) => s + o.total, 0) / n) : 0;
  return {
    orders: n,
    favouriteDishes: top(dishes, cfg.top.dishes).map(([itemId, count]) => ({
      itemId,
      name: names.get(itemId) ?? itemId,
      count,
    })),
    favouriteCategories: top(categories, cfg.top.categories).map(([name, count]) => ({ name, count })),
    tags: top(tags, cfg.top.tags).map(([tag, count]) => ({ tag, count })),
    spending: n > 0 ? { averageTicket, level: spendingLevel(averageTicket, cfg) } : null,
    scenes: sceneShares,
    mainScenes: sceneShares.filter((s) => s.share >= cfg.sceneShare).map((s) => s.scene),
    modes: { dine_in: share(modes.dine_in, n), pickup: share(modes.pickup, n), delivery: share(modes.delivery, n) },
    priceSensitivity: share(discounted, n),
    delivery: delivery(recent, cfg),
    health: health(recent, cfg),
    ...visits(recent, timeZone),
  };
}
