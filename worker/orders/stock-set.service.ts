import type { z } from '@hono/zod-openapi';
import type { StockSet } from '../../schema/api/orders.schemas';
import type { Env } from '../env';
import { type StoreContext, storeStub } from '../stores/store-gateway';

/** Sets a dish's count (and optionally its daily default) in a store: for its staff and for a supplier's key alike. */
export function setStoreStock(env: Env, ctx: StoreContext, itemId: string, body: z.infer<typeof StockSet>) {
  return storeStub(env, ctx.store.id).setStock({
    brandId: ctx.store.brandId,
    timeZone: ctx.store.timeZone,
    settings: ctx.settings,
    itemId,
    count: body.count,
    dailyDefault: body.dailyDefault,
  });
}
