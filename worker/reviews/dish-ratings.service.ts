import { eq } from 'drizzle-orm';
import { averageRating } from '../../domain/reviews/review-rules';
import { dishRatings } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

export interface DishRating {
  average: number;
  count: number;
}

export interface StoreDishRatings {
  /** Changes whenever a rating does: part of the menu's ETag. */
  stamp: string;
  byItem: Map<string, DishRating>;
}

/*
 * The menu shows each dish's rating from the running totals kept with every review: one
 * indexed read per store, held per isolate for a minute, so a menu read costs at most one
 * small D1 query a minute, never a scan of reviews.
 */
const TTL_MS = 60_000;
const memory = new Map<string, { at: number; ratings: StoreDishRatings }>();

/** Forgets this isolate's copy (after a review rated dishes of the store, and between tests). */
export function forgetDishRatings(storeId?: string) {
  if (storeId) memory.delete(storeId);
  else memory.clear();
}

/** Every rated dish of a store: average (one decimal) and count. */
export async function storeDishRatings(env: Env, storeId: string, now = Date.now()): Promise<StoreDishRatings> {
  const hit = memory.get(storeId);
  if (hit && now - hit.at < TTL_MS) return hit.ratings;
  const rows = await db(env)
    .select({
      itemId: dishRatings.itemId,
      sum: dishRatings.ratingSum,
      count: dishRatings.ratingCount,
      updatedAt: dishRatings.updatedAt,
    })
    .from(dishRatings)
    .where(eq(dishRatings.storeId, storeId))
    .all();
  let latest = 0;
  let total = 0;
  const byItem = new Map<string, DishRating>();
  for (const r of rows) {
    byItem.set(r.itemId, { average: averageRating(r.sum, r.count), count: r.count });
    latest = Math.max(latest, r.updatedAt);
    total += r.count;
  }
  const ratings = { stamp: `${total}.${latest}`, byItem };
  memory.set(storeId, { at: now, ratings });
  return ratings;
}

/** The rendered menu with each rated dish's `rating`; unrated dishes have none. */
export function withDishRatings<M extends { categories: { items: { id: string }[] }[] }>(
  menu: M,
  ratings: StoreDishRatings,
): M {
  if (ratings.byItem.size === 0) return menu;
  return {
    ...menu,
    categories: menu.categories.map((c) => ({
      ...c,
      items: c.items.map((i) => {
        const rating = ratings.byItem.get(i.id);
        return rating ? { ...i, rating } : i;
      }),
    })),
  };
}
