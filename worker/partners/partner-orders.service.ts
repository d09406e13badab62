import { and, asc, eq, gt, or } from 'drizzle-orm';
import type { OrderView } from '../../durable-objects/store/contract';
import { orderHistory } from '../../schema/d1/tables';
import type { Env } from '../env';
import { validationFailed } from '../http/errors';
import { db } from '../lib/db';
import { publicOrder } from '../orders/order-view';

/**
 * A store's orders in order of change, from D1 history (the events consumer keeps it, so a
 * change shows within seconds): each order once, at its latest change. Keyset-paged by
 * (updated_at, id); the cursor is where the partner got to, so polling with the last
 * `nextCursor` returns only what changed since.
 */
export async function ordersChangedSince(env: Env, storeId: string, since: string | undefined, limit: number) {
  let at = -1;
  let id = '';
  if (since) {
    const [a, i] = since.split('~');
    at = Number(a);
    id = i ?? '';
    if (!Number.isSafeInteger(at) || at < 0) {
      throw validationFailed([{ path: 'since', message: 'not a cursor this API gave' }]);
    }
  }
  const h = orderHistory;
  const rows = await db(env)
    .select({ body: h.body, updatedAt: h.updatedAt, id: h.id })
    .from(h)
    .where(and(eq(h.storeId, storeId), or(gt(h.updatedAt, at), and(eq(h.updatedAt, at), gt(h.id, id)))))
    .orderBy(asc(h.updatedAt), asc(h.id))
    .limit(limit)
    .all();
  const last = rows.at(-1);
  return {
    items: await Promise.all(rows.map((r) => publicOrder(env, JSON.parse(r.body) as OrderView))),
    nextCursor: last ? `${last.updatedAt}~${last.id}` : (since ?? '0~'),
  };
}
