/*
 * Recommendations with reasons: the guest's favourites, what goes with them, what the weather
 * and the hour call for, a light meal for a frequent fried-food eater, a milk tea and a dessert
 * for a milk-tea lover, and popular dishes a new guest has not tried. Only dishes on the
 * store's menu, in their daypart and not sold out. Pure and deterministic: the same history,
 * statistics, menu, weather and time give the same list and reasons (ties break by menu order).
 * A guest without history rights (anonymous, no personalisation consent) gets popular-now only.
 */

import type { WeatherKind } from '../campaigns/weather';
import { itemAvailability, type MenuSnapshot, type SnapshotItem } from '../menu';
import { localTime } from '../zoned-time';
import { hourBand, type Partner, type Popular } from './stats';
import { itemTraits, type Trait, tagTraits } from './traits';

/** How to mix: `blend` everything the guest allows, `popular` popular-now only (an experiment's control). */
export const strategies = ['blend', 'popular'] as const;
export type Strategy = (typeof strategies)[number];
export const isStrategy = (s: string): s is Strategy => (strategies as readonly string[]).includes(s);

export const reasonCodes = [
  'favourite',
  'goes_with',
  'weather',
  'late_night',
  'breakfast',
  'light_meal',
  'milk_tea_dessert',
  'explore',
  'popular',
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

export interface Reason {
  code: ReasonCode;
  text: string;
}

export interface PastOrder {
  at: number;
  itemIds: readonly string[];
}

export interface HistorySummary {
  orders: number;
  /** Per dish, the orders it was in. */
  counts: ReadonlyMap<string, number>;
  /** Each order's distinct dishes. */
  baskets: readonly (readonly string[])[];
}

export function summariseHistory(orders: readonly PastOrder[]): HistorySummary {
  const counts = new Map<string, number>();
  const baskets = orders.map((o) => [...new Set(o.itemIds)]);
  for (const b of baskets) for (const id of b) counts.set(id, (counts.get(id) ?? 0) + 1);
  return { orders: orders.length, counts, baskets };
}

export interface RecommendInput {
  strategy: Strategy;
  /** Null for an anonymous guest or one without the personalisation consent: popular-now only. */
  guest: { history: HistorySummary; tags: readonly string[] } | null;
  /** Brand-wide co-purchase partners per dish (the nightly job's table). */
  partners: ReadonlyMap<string, readonly Partner[]>;
  /** This store's most ordered dishes in the hour band of `now`. */
  popular: readonly Popular[];
  menu: MenuSnapshot;
  /** Dishes whose count ran out today (the store's live stock). */
  soldOut: ReadonlySet<string>;
  weather: WeatherKind | null;
  now: number;
  limit?: number;
}

export interface ItemPick {
  itemId: string;
  score: number;
  reason: Reason;
}

export interface ComboPick {
  itemIds: string[];
  score: number;
  reason: Reason;
}

export interface Recommendations {
  items: ItemPick[];
  combos: ComboPick[];
  /** The strategy that made the list: `popular` whenever the guest is not known. */
  strategy: Strategy;
}

/** A dish counts as a favourite from this many of the guest's orders, and this share of them (a habit, not chance). */
export const FAVOURITE_ORDERS = 2;
export const FAVOURITE_SHARE = 0.25;
/** Fewer orders than this is "little history": popular dishes not yet tried are suggested. */
export const EXPLORE_BELOW_ORDERS = 3;
const DEFAULT_LIMIT = 6;
/** At most this many dishes per reason in the first pass, so the list is a mix. */
const PER_REASON: Record<ReasonCode, number> = {
  favourite: 3,
  goes_with: 2,
  weather: 2,
  late_night: 2,
  breakfast: 2,
  light_meal: 2,
  milk_tea_dessert: 2,
  explore: 3,
  popular: 99,
};

/** What the weather calls for; the drink first (a snack is the side, `base` ranks them). */
const WEATHER_ITEM: Record<WeatherKind, { trait: Trait; base: number; text: string }[]> = {
  rain: [
    { trait: 'hot_drink', base: 0.9, text: '下雨了，来杯热饮' },
    { trait: 'snack', base: 0.75, text: '下雨天，来份小吃' },
  ],
  cold: [{ trait: 'hot_drink', base: 0.9, text: '天冷了，来杯热饮' }],
  heat: [{ trait: 'iced_drink', base: 0.9, text: '天热了，来杯冰饮' }],
};

interface Candidate {
  item: SnapshotItem;
  index: number;
  traits: Set<Trait>;
  /** This store's orders of it in the band, as a share of the top dish's (0–1). */
  pop: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The dishes a guest can order now: on the menu, in their window, not sold out; in menu order. */
function orderable(input: RecommendInput): { all: Map<string, SnapshotItem>; candidates: Candidate[] } {
  const { menu, now, soldOut, popular } = input;
  const top = popular.reduce((m, p) => Math.max(m, p.orders), 0);
  const pop = new Map(popular.map((p) => [p.itemId, top ? p.orders / top : 0]));
  const all = new Map<string, SnapshotItem>();
  const candidates: Candidate[] = [];
  for (const c of menu.categories) {
    for (const item of c.items) {
      all.set(item.id, item);
      if (item.soldOut || soldOut.has(item.id) || !itemAvailability(item, menu.timeZone, now).open) continue;
      const traits = itemTraits({ name: item.name, category: c.name, tags: item.tags, calories: item.calories });
      candidates.push({ item, index: candidates.length, traits, pop: pop.get(item.id) ?? 0 });
    }
  }
  return { all, candidates };
}

const byScore = (a: { score: number; index: number }, b: { score: number; index: number }) =>
  b.score - a.score || a.index - b.index;

export function recommend(input: RecommendInput): Recommendations {
  const limit = input.limit ?? DEFAULT_LIMIT;
  const { all, candidates } = orderable(input);
  const byId = new Map(candidates.map((c) => [c.item.id, c]));
  const mostPopular = (pred: (c: Candidate) => boolean) =>
    candidates.filter(pred).sort((a, b) => b.pop - a.pop || a.index - b.index)[0];

  if (input.strategy === 'popular' || !input.guest) {
    const items = candidates
      .map((c) => ({ c, score: round(c.pop), index: c.index }))
      .sort(byScore)
      .slice(0, limit)
      .map(({ c, score }) => ({ itemId: c.item.id, score, reason: popularReason(c) }));
    // The pair guests most often buy together, led by the most popular dish that has one.
    const combos: ComboPick[] = [];
    for (const first of items) {
      const partner = (input.partners.get(first.itemId) ?? []).find((p) => byId.has(p.partnerId));
      if (!partner) continue;
      combos.push({
        itemIds: [first.itemId, partner.partnerId],
        score: round(first.score + partner.permille / 1000),
        reason: { code: 'popular', text: '大家常一起点' },
      });
      break;
    }
    return { items, combos, strategy: 'popular' };
  }

  const { history, tags } = input.guest;
  const offers: { c: Candidate; score: number; index: number; reason: Reason }[] = [];
  const offer = (c: Candidate | undefined, score: number, code: ReasonCode, text: string) => {
    if (c) offers.push({ c, score: round(score), index: c.index, reason: { code, text } });
  };
  const share = (pred: (t: Set<Trait>) => boolean) => {
    if (history.orders === 0) return 0;
    const hits = history.baskets.filter((b) =>
      b.some((id) => {
        const item = all.get(id);
        return item ? pred(traitsOf(input.menu, item)) : false;
      }),
    ).length;
    return hits / history.orders;
  };

  // Favourites: dishes in at least two and a quarter of the guest's orders, most ordered first.
  const favourites = [...history.counts]
    .filter(([, n]) => n >= FAVOURITE_ORDERS && n / history.orders >= FAVOURITE_SHARE)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const favouriteIds = new Set(favourites.map(([id]) => id));
  for (const [id, n] of favourites) {
    const c = byId.get(id);
    offer(c, 1 + n / history.orders + 0.1 * (c?.pop ?? 0), 'favourite', '你常点的');
  }

  // What goes with the three top favourites (orderable or not: the habit is what counts).
  for (const [id] of favourites.slice(0, 3)) {
    const name = all.get(id)?.name;
    if (!name) continue;
    for (const p of input.partners.get(id) ?? []) {
      if (favouriteIds.has(p.partnerId)) continue;
      const c = byId.get(p.partnerId);
      offer(c, 0.6 + 0.4 * (p.permille / 1000) + 0.1 * (c?.pop ?? 0), 'goes_with', `配${name}刚好`);
    }
  }

  // The moment: weather at the store and the hour.
  for (const w of input.weather ? WEATHER_ITEM[input.weather] : []) {
    for (const c of candidates) if (c.traits.has(w.trait)) offer(c, w.base + 0.1 * c.pop, 'weather', w.text);
  }
  const band = hourBand(Math.floor(localTime(input.now, input.menu.timeZone).minutes / 60));
  for (const c of candidates) {
    if (band === 'late_night' && c.traits.has('late_night'))
      offer(c, 0.85 + 0.1 * c.pop, 'late_night', '夜深了，来份宵夜');
    if (band === 'breakfast' && c.traits.has('breakfast'))
      offer(c, 0.85 + 0.1 * c.pop, 'breakfast', '早上好，来份早餐');
  }

  // Health and taste: a frequent fried-food eater is offered something light.
  const tasteTags = tagTraits(tags);
  const friedEater = tasteTags.has('fried') || (history.orders >= 3 && share((t) => t.has('fried')) >= 0.5);
  if (friedEater) {
    for (const c of candidates) {
      if (c.traits.has('light') && !c.traits.has('drink'))
        offer(c, 0.8 + 0.1 * c.pop, 'light_meal', '换换口味，来份清淡的');
    }
  }

  // Every other dish: popular now; for a guest with little history, untried ones are "explore".
  const little = history.orders < EXPLORE_BELOW_ORDERS;
  for (const c of candidates) {
    if (little && !history.counts.has(c.item.id) && c.pop > 0)
      offer(c, 0.5 + 0.4 * c.pop, 'explore', '人气之选，还没试过');
    else offer(c, 0.3 * c.pop, 'popular', popularReason(c).text);
  }

  // Each dish under its best reason; a first pass keeps the mix, a second fills up.
  offers.sort(byScore);
  const best = new Map<string, (typeof offers)[number]>();
  for (const o of offers) if (!best.has(o.c.item.id)) best.set(o.c.item.id, o);
  const ranked = [...best.values()];
  const picked: typeof ranked = [];
  const perCode = new Map<ReasonCode, number>();
  for (const o of ranked) {
    if (picked.length >= limit) break;
    const n = perCode.get(o.reason.code) ?? 0;
    if (n >= PER_REASON[o.reason.code]) continue;
    perCode.set(o.reason.code, n + 1);
    picked.push(o);
  }
  for (const o of ranked) if (picked.length < limit && !picked.includes(o)) picked.push(o);
  picked.sort(byScore);
  const items = picked.map((o) => ({ itemId: o.c.item.id, score: o.score, reason: o.reason }));

  const combos = blendCombos(input, { byId, favourites, tasteTags, share, mostPopular });
  return { items, combos, strategy: 'blend' };
}

function popularReason(c: Candidate): Reason {
  return { code: 'popular', text: c.pop > 0 ? '这个时段大家都在点' : '本店推荐' };
}

function traitsOf(menu: MenuSnapshot, item: SnapshotItem): Set<Trait> {
  const category = menu.categories.find((c) => c.id === item.categoryId)?.name ?? '';
  return itemTraits({ name: item.name, category, tags: item.tags, calories: item.calories });
}

interface BlendParts {
  byId: Map<string, Candidate>;
  favourites: [string, number][];
  tasteTags: Set<Trait>;
  share: (pred: (t: Set<Trait>) => boolean) => number;
  mostPopular: (pred: (c: Candidate) => boolean) => Candidate | undefined;
}

/** Up to three combos: milk tea and a dessert, a favourite and its partner, a rainy-day pair. */
function blendCombos(input: RecommendInput, p: BlendParts): ComboPick[] {
  const combos: ComboPick[] = [];
  const history = input.guest!.history;
  const milkTeaLover = p.tasteTags.has('milk_tea') || (history.orders >= 2 && p.share((t) => t.has('milk_tea')) >= 0.4);
  if (milkTeaLover) {
    const ownTea = p.favourites.map(([id]) => p.byId.get(id)).find((c) => c?.traits.has('milk_tea'));
    const tea = ownTea ?? p.mostPopular((c) => c.traits.has('milk_tea'));
    const dessert = p.mostPopular((c) => c.traits.has('dessert') && c !== tea);
    if (tea && dessert) {
      combos.push({
        itemIds: [tea.item.id, dessert.item.id],
        score: 1.5,
        reason: { code: 'milk_tea_dessert', text: `${tea.item.name}配${dessert.item.name}，甜上加甜` },
      });
    }
  }
  for (const [id] of p.favourites) {
    const fav = p.byId.get(id);
    if (!fav) continue;
    const partner = (input.partners.get(id) ?? []).find((x) => p.byId.has(x.partnerId));
    if (!partner) continue;
    combos.push({
      itemIds: [id, partner.partnerId],
      score: round(1 + partner.permille / 1000),
      reason: { code: 'goes_with', text: `${p.byId.get(partner.partnerId)!.item.name}配${fav.item.name}刚好` },
    });
    break;
  }
  if (input.weather === 'rain' || input.weather === 'cold') {
    const drink = p.mostPopular((c) => c.traits.has('hot_drink'));
    const snack = p.mostPopular((c) => c.traits.has('snack'));
    if (drink && snack) {
      combos.push({
        itemIds: [drink.item.id, snack.item.id],
        score: 0.9,
        reason: {
          code: 'weather',
          text: input.weather === 'rain' ? '下雨了，热饮配小吃' : '天冷了，热饮配小吃',
        },
      });
    }
  }
  const seen = new Set<string>();
  return combos
    .filter((c) => {
      const key = [...c.itemIds].sort().join('+');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => b.score - a.score);
}
