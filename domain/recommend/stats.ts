/*
 * What the nightly job counts from a window of completed orders, and the offline evaluation
 * counts the same way: which dishes go together (bought in the same order, brand-wide) and
 * which dishes a store sells in each hour band. Pure: orders come in as item ids.
 */

/** A completed order as the statistics see it: the distinct dishes in it (gifts left out). */
export interface OrderItems {
  storeId: string;
  /** Store-local hour the order was placed, 0–23. */
  localHour: number;
  itemIds: readonly string[];
}

/** Parts of the day whose guests want different things. */
export const hourBands = ['breakfast', 'lunch', 'afternoon', 'dinner', 'late_night'] as const;
export type HourBand = (typeof hourBands)[number];

/** The band of a local hour: breakfast 05–10, lunch 10–14, afternoon 14–17, dinner 17–21, late night 21–05. */
export function hourBand(localHour: number): HourBand {
  if (localHour >= 5 && localHour < 10) return 'breakfast';
  if (localHour >= 10 && localHour < 14) return 'lunch';
  if (localHour >= 14 && localHour < 17) return 'afternoon';
  if (localHour >= 17 && localHour < 21) return 'dinner';
  return 'late_night';
}

export interface Partner {
  partnerId: string;
  /** Orders holding both dishes. */
  orders: number;
  /** Of the orders holding the dish, the share (‰) also holding the partner. */
  permille: number;
}

/** Pairs seen in fewer orders than this are chance, not a habit. */
export const MIN_PAIR_ORDERS = 2;
/** Partners kept per dish: the table stays a few rows per dish. */
export const PARTNERS_PER_ITEM = 5;

const byCount =
  <T extends { orders: number }>(key: (x: T) => string) =>
  (a: T, b: T) =>
    b.orders - a.orders || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** Running counts for co-purchases: orders per dish and per pair (fed a store at a time by the job). */
export interface PairCounts {
  alone: Map<string, number>;
  pairs: Map<string, Map<string, number>>;
}

export const newPairCounts = (): PairCounts => ({ alone: new Map(), pairs: new Map() });

/** Adds these orders to the counts (and returns them). */
export function countPairs(counts: PairCounts, orders: readonly OrderItems[]): PairCounts {
  for (const o of orders) {
    const items = [...new Set(o.itemIds)];
    for (const a of items) {
      counts.alone.set(a, (counts.alone.get(a) ?? 0) + 1);
      let row = counts.pairs.get(a);
      if (!row) {
        row = new Map();
        counts.pairs.set(a, row);
      }
      for (const b of items) if (b !== a) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  return counts;
}

/** Each dish's top partners: the dishes most often in the same order, most first (ties by id). */
export function topPartners(
  counts: PairCounts,
  perItem = PARTNERS_PER_ITEM,
  minOrders = MIN_PAIR_ORDERS,
): Map<string, Partner[]> {
  const out = new Map<string, Partner[]>();
  for (const [itemId, row] of [...counts.pairs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const total = counts.alone.get(itemId) ?? 1;
    const partners = [...row]
      .filter(([, n]) => n >= minOrders)
      .map(([partnerId, n]) => ({ partnerId, orders: n, permille: Math.round((n * 1000) / total) }))
      .sort(byCount((p) => p.partnerId))
      .slice(0, perItem);
    if (partners.length) out.set(itemId, partners);
  }
  return out;
}

/** Each dish's top partners in these orders. */
export function coPurchases(
  orders: readonly OrderItems[],
  perItem = PARTNERS_PER_ITEM,
  minOrders = MIN_PAIR_ORDERS,
): Map<string, Partner[]> {
  return topPartners(countPairs(newPairCounts(), orders), perItem, minOrders);
}

export interface Popular {
  itemId: string;
  orders: number;
}

/** Dishes kept per store and band. */
export const POPULAR_PER_BAND = 12;

/** Per store and hour band, the dishes in the most orders (ties by id), keyed `storeId|band`. */
export function popularity(orders: readonly OrderItems[], perBand = POPULAR_PER_BAND): Map<string, Popular[]> {
  const counts = new Map<string, Map<string, number>>();
  for (const o of orders) {
    const key = `${o.storeId}|${hourBand(o.localHour)}`;
    let row = counts.get(key);
    if (!row) {
      row = new Map();
      counts.set(key, row);
    }
    for (const id of new Set(o.itemIds)) row.set(id, (row.get(id) ?? 0) + 1);
  }
  const out = new Map<string, Popular[]>();
  for (const [key, row] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.set(
      key,
      [...row]
        .map(([itemId, n]) => ({ itemId, orders: n }))
        .sort(byCount((p) => p.itemId))
        .slice(0, perBand),
    );
  }
  return out;
}
