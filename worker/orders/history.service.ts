import type { OrderView } from '../../durable-objects/store/orders/order-types';
import type { Env } from '../env';
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
  const { results } = await env.DB.prepare(
    `SELECT id, body, created_at FROM order_history
     WHERE brand_id = ? AND member_id = ? AND (created_at < ? OR (created_at = ? AND id < ?))
     ORDER BY created_at DESC, id DESC LIMIT ?`,
  )
    .bind(brandId, memberId, cursorAt, cursorAt, cursorId || '\uffff', limit + 1)
    .all<{ id: string; body: string; created_at: number }>();
  const page = results.slice(0, limit);
  const last = page.at(-1);
  return {
    items: await Promise.all(page.map((r) => publicOrder(env, JSON.parse(r.body) as OrderView))),
    nextCursor: results.length > limit && last ? `${last.created_at}~${last.id}` : null,
  };
}
