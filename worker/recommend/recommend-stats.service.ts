import { eq } from 'drizzle-orm';
import { countPairs, newPairCounts, type Popular, popularity, topPartners } from '../../domain/recommend/stats';
import { DAY } from '../../domain/time';
import { brands, itemPairs, itemPopularity, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { storeOrderItems } from './recommend.reads';
import { forgetPartners } from './recommend.service';

/** The window the statistics count: recent enough to follow the menu and the season. */
export const STATS_WINDOW_DAYS = 30;
/** D1 binds at most 100 parameters a statement: 6 columns, 16 rows. */
const ROWS_PER_INSERT = 16;

/**
 * The nightly `recommend.stats` job: per brand, co-purchase partners and per-store popularity
 * by hour band over the last STATS_WINDOW_DAYS of completed orders, each brand's rows replaced
 * whole in one batch. Running it twice for the same `at` writes the same rows.
 */
export async function recomputeRecommendStats(env: Env, at = Date.now()) {
  const d = db(env);
  const all = await d.select({ id: brands.id }).from(brands);
  const written: Record<string, { pairs: number; popular: number }> = {};
  for (const { id: brandId } of all) {
    // A store at a time: one store's month of lines is a bounded read, and only counts are kept.
    const counts = newPairCounts();
    const popular = new Map<string, Popular[]>();
    const storeRows = await d.select({ id: stores.id }).from(stores).where(eq(stores.brandId, brandId));
    for (const { id: storeId } of storeRows) {
      const orders = await storeOrderItems(d, storeId, at - STATS_WINDOW_DAYS * DAY);
      countPairs(counts, orders);
      for (const [key, list] of popularity(orders)) popular.set(key, list);
    }
    const pairRows = [...topPartners(counts)].flatMap(([itemId, partners]) =>
      partners.map((p) => ({
        brandId,
        itemId,
        partnerId: p.partnerId,
        orders: p.orders,
        permille: p.permille,
        updatedAt: at,
      })),
    );
    const popularRows = [...popular].flatMap(([key, list]) => {
      const [storeId, band] = key.split('|') as [string, string];
      return list.map((p) => ({ storeId, band, itemId: p.itemId, brandId, orders: p.orders, updatedAt: at }));
    });
    const chunks = <T>(rows: T[]) =>
      Array.from({ length: Math.ceil(rows.length / ROWS_PER_INSERT) }, (_, i) =>
        rows.slice(i * ROWS_PER_INSERT, (i + 1) * ROWS_PER_INSERT),
      );
    await d.batch([
      d.delete(itemPairs).where(eq(itemPairs.brandId, brandId)),
      d.delete(itemPopularity).where(eq(itemPopularity.brandId, brandId)),
      ...chunks(pairRows).map((rows) => d.insert(itemPairs).values(rows)),
      ...chunks(popularRows).map((rows) => d.insert(itemPopularity).values(rows)),
    ]);
    written[brandId] = { pairs: pairRows.length, popular: popularRows.length };
  }
  forgetPartners();
  return written;
}
