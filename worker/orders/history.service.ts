import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { OrderView } from '../../durable-objects/store/contract';
import { orderHistory } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { publicOrder } from './order-view';

/**
 * A member's orders from D1 history (written by the events consumer, so a just-placed
 * order appears within seconds). Keyset-paged by (created_at, id), newest first.
 */
export async function memberOrders(env: Env, brandId: string, memberId: string, limit: number, before?: string) {
  let cursorAt = Number.MAX_SAFE_INTEGER;
  let cursorId = '';
  if (before) {
    const [at, id] = before.split('~');
    cursorAt = Number(at);
    cursorId = id ?? '';
    if (!Number.isFinite(cursorAt)) cursorAt = Number.MAX_SAFE_INTEGER;
  }
  const h = orderHistory;
  const results = await db(env)
    .select({ id: h.id, body: h.body, createdAt: h.createdAt })
    .from(h)
    .where(
      and(
        eq(h.brandId, brandId),
        eq(h.memberId, memberId),
        or(lt(h.createdAt, cursorAt), and(eq(h.createdAt, cursorAt), lt(h.id, cursorId || '\uffff'))),
      ),
    )
    .orderBy(desc(h.createdAt), desc(h.id))
    .limit(limit + 1);
  const page = results.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await Promise.all(page.map((r) => publicOrder(env, JSON.parse(r.body) as OrderView))),
    nextCursor: results.length > limit && last ? `${last.createdAt}~${last.id}` : null,
  };
}
