import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { OrderView } from '../../durable-objects/store/contract';
import { orderHistory } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { archivedMemberOrders } from './archive/archive-reads';
import { publicOrder } from './order-view';

/**
 * A member's orders from D1 history (written by the events consumer, so a just-placed
 * order appears within seconds), then from the archived months in R2, as one list:
 * keyset-paged by (created_at, id), newest first, so a cursor moves from D1 into the archive
 * (or across a month being archived) without a gap. An order in both (archived, and its row
 * not yet deleted or written again by a late event) is shown once, from D1.
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
  const live = new Set(results.map((r) => r.id));
  const archived = (await archivedMemberOrders(env, brandId, memberId, cursorAt, cursorId || '\uffff', limit + 1))
    .filter((a) => !live.has(a.id))
    .map((a) => ({ id: a.id, createdAt: a.createdAt, body: a.body }));
  const merged = [...results.map((r) => ({ ...r, body: async () => r.body as string | null })), ...archived]
    .sort((x, y) => y.createdAt - x.createdAt || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0))
    .slice(0, limit + 1);
  const page = merged.slice(0, limit);
  const last = page.at(-1);
  const bodies = await Promise.all(page.map((r) => r.body()));
  return {
    items: await Promise.all(bodies.flatMap((b) => (b === null ? [] : [publicOrder(env, JSON.parse(b) as OrderView)]))),
    nextCursor: merged.length > limit && last ? `${last.createdAt}~${last.id}` : null,
  };
}
