import { and, eq } from 'drizzle-orm';
import type { Promotion, StackingRules } from '../../domain/pricing';
import { resolveSettings, type StoreSettings } from '../../domain/store-settings';
import type { DoResult } from '../../durable-objects/store/result';
import { promotions } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db, json } from '../lib/db';
import { findStore, type StoreRow } from './stores.service';

/*
 * What an order request needs besides its body, cached per isolate for a few seconds:
 * store rows and brand promotions change rarely, and the order path must stay cheap.
 */
const TTL_MS = 10_000;
const stores = new Map<string, { at: number; value: StoreContext }>();
const promos = new Map<string, { at: number; value: Promotion[] }>();

export interface StoreContext {
  store: StoreRow;
  settings: StoreSettings;
}

export async function storeContext(env: Env, storeId: string, now = Date.now()): Promise<StoreContext> {
  const hit = stores.get(storeId);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const store = await findStore(env, storeId);
  const value = { store, settings: resolveSettings(json(store.settings, {})) };
  stores.set(storeId, { at: now, value });
  return value;
}

/** Forget cached store rows (after an admin edit, and in tests). */
export function clearStoreContext() {
  stores.clear();
  promos.clear();
}

export async function brandPromotions(env: Env, brandId: string, now = Date.now()): Promise<Promotion[]> {
  const hit = promos.get(brandId);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const rows = await db(env)
    .select({ rule: promotions.rule })
    .from(promotions)
    .where(and(eq(promotions.brandId, brandId), eq(promotions.active, true)));
  const value = rows.map((r) => JSON.parse(r.rule) as Promotion);
  promos.set(brandId, { at: now, value });
  return value;
}

/** Brand stacking policy; one coupon per order on top of automatic promotions. */
export const defaultStacking: StackingRules = {
  maxCouponsPerOrder: 1,
  couponsWithPromotions: true,
  percentageBase: 'discounted',
};

/** The StoreDO for a store. */
export const storeStub = (env: Env, storeId: string) => env.STORE.getByName(storeId);

/** Turns a StoreDO result into its value or the ApiError it describes. */
export function unwrap<T>(r: DoResult<T>): T {
  if (r.ok) return r.value;
  throw ApiError.from(r.problem);
}
