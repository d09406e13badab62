import { asc, eq } from 'drizzle-orm';
import { stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { notFound } from '../http/errors';
import { db } from '../lib/db';

/** The stores a report covers; `all` means every store of the brand, so queries need no store list. */
export interface StoreScope {
  brandId: string;
  stores: { id: string; name: string }[];
  all: boolean;
}

/**
 * The one scoping rule for KPIs: an admin sees every store of the brand (or the ones named), a
 * store manager their own stores (or the ones named among them). A store the caller may not
 * see is reported as missing (404 `store.not_found`), so ids do not leak across brands.
 */
export async function storeScope(
  env: Env,
  p: Principal,
  requested: string | string[] | undefined,
): Promise<StoreScope> {
  const brandStores = await db(env)
    .select({ id: stores.id, name: stores.name })
    .from(stores)
    .where(eq(stores.brandId, p.brandId))
    .orderBy(asc(stores.id))
    .all();
  const visible = p.role === 'admin' ? brandStores : brandStores.filter((s) => p.storeIds.includes(s.id));
  const named = requested === undefined ? [] : [...new Set(Array.isArray(requested) ? requested : [requested])];
  if (named.length === 0) {
    return { brandId: p.brandId, stores: visible, all: p.role === 'admin' };
  }
  const byId = new Map(visible.map((s) => [s.id, s]));
  const chosen = named.map((id) => {
    const store = byId.get(id);
    if (!store) throw notFound('store', id);
    return store;
  });
  return { brandId: p.brandId, stores: chosen, all: p.role === 'admin' && chosen.length === brandStores.length };
}
