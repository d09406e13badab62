import { and, eq } from 'drizzle-orm';
import { storeOfOrder } from '../../domain/orders/order-ids';
import type { Promotion, StackingRules } from '../../domain/pricing';
import { resolveSettings, type StoreSettings } from '../../domain/store-settings';
import type { DoResult, OrderView, StoreHealth } from '../../durable-objects/store/contract';
import { promotions } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { assertOrderScope, assertStoreScope, orderViewer } from '../http/auth';
import { ApiError, notFound } from '../http/errors';
import { db, json } from '../lib/db';
import { findStore, type StoreRow } from './stores.service';

/*
 * The one door into a store: every route, service, queue consumer and cron reaches a
 * StoreDO through this module (its stub, its results unwrapped into the API's errors,
 * the store's context), and an order through the one order-scope rule.
 *
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

/** Forget a brand's cached promotions after a merchant's edit, so the next quote prices with it. */
export function forgetBrandPromotions(brandId: string) {
  promos.delete(brandId);
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

export type StoreStub = ReturnType<typeof storeStub>;

/** A store's health (alerts): its placement window, printers and late tickets at `now`. */
export function storeHealth(env: Env, storeId: string, printerIds: string[], now = Date.now()): Promise<StoreHealth> {
  return storeStub(env, storeId).health({ printerIds }, now);
}

/** Turns a StoreDO result into its value or the ApiError it describes. */
export function unwrap<T>(r: DoResult<T>): T {
  if (r.ok) return r.value;
  throw ApiError.from(r.problem);
}

/** A store's context, checked against the calling token's scope (`assertStoreScope`). */
export async function scopedStoreContext(env: Env, p: Principal | undefined, storeId: string): Promise<StoreContext> {
  const ctx = await storeContext(env, storeId);
  assertStoreScope(p, ctx.store);
  return ctx;
}

/** An order the caller may see or act on, with its store. */
export interface ScopedOrder {
  orderId: string;
  ctx: StoreContext;
  /** The order's StoreDO. */
  store: StoreStub;
  /** How the caller sees the order: pass it to the store's `getOrder` and `act`. */
  viewer: ReturnType<typeof orderViewer>;
  /** The order as the caller sees it; 404 when it is not theirs. */
  read(): Promise<OrderView>;
}

/**
 * Opens an order for a caller under the one order-scope rule (`assertOrderScope`): a
 * malformed id, an unknown store and an order that is not the caller's all answer
 * 404 `order.not_found`.
 */
export async function scopedOrder(env: Env, p: Principal, orderId: string): Promise<ScopedOrder> {
  const storeId = storeOfOrder(orderId);
  const ctx = storeId ? await storeContext(env, storeId).catch(missingAsUndefined) : undefined;
  if (!ctx) throw notFound('order', orderId);
  assertOrderScope(p, ctx.store, orderId);
  const store = storeStub(env, ctx.store.id);
  const viewer = orderViewer(p);
  return { orderId, ctx, store, viewer, read: async () => unwrap(await store.getOrder(orderId, viewer)) };
}

function missingAsUndefined(e: unknown): undefined {
  if (e instanceof ApiError && e.status === 404) return undefined;
  throw e;
}
