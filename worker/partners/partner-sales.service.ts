import { itemSalesByDay as rows } from '../analytics/sales.reads';
import type { Env } from '../env';
import { db } from '../lib/db';

/** One store's dish sales per business day, read from the KPI rollups. */
export async function itemSalesByDay(
  env: Env,
  store: { id: string; brandId: string; name: string },
  from: string,
  to: string,
) {
  const scope = { brandId: store.brandId, stores: [{ id: store.id, name: store.name }], all: false };
  const found = await rows(db(env), scope, from, to);
  return {
    storeId: store.id,
    from,
    to,
    days: found.map((r) => ({ ...r, name: r.name ?? r.itemId })),
  };
}
