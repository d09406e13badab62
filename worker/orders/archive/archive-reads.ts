import { and, desc, eq, inArray, lt, lte, or, type SQL } from 'drizzle-orm';
import { type ArchivedOrder, type ArchiveRef, olderThan } from '../../../domain/order-archive';
import { orderArchiveMembers, orderArchives } from '../../../schema/d1/tables';
import type { Env } from '../../env';
import { db } from '../../lib/db';
import { readArchivedOrder, readMonthOrders } from './archive-objects';

/** Month rows one step of a member's list reads (each is a member, store and month). */
const MONTHS_PER_STEP = 12;

/** Month objects a rollup recomputation keeps read at once. */
const MONTHS_KEPT = 4;

/** An archived order on a member's list, its body read only if it makes the page. */
export interface ArchivedEntry {
  createdAt: number;
  id: string;
  body: () => Promise<string | null>;
}

/**
 * The member's `want` newest archived orders older than the cursor (createdAt, id).
 *
 * Found through `order_archive_members` (one small row per member, store and month, holding
 * the member's byte ranges in that month's object), not by reading month objects: a member
 * with a handful of old orders costs a few D1 rows and one ranged R2 read per order shown,
 * however many stores and months the brand has archived. Month rows are read newest last
 * order first, until the next one cannot hold anything newer than what was found.
 */
export async function archivedMemberOrders(
  env: Env,
  brandId: string,
  memberId: string,
  cursorAt: number,
  cursorId: string,
  want: number,
): Promise<ArchivedEntry[]> {
  const a = orderArchiveMembers;
  const found: { at: number; id: string; offset: number; length: number; storeId: string; month: string }[] = [];
  let after: { lastAt: number; storeId: string; month: string } | null = null;
  for (;;) {
    const keyset: SQL | undefined = after
      ? or(
          lt(a.lastAt, after.lastAt),
          and(eq(a.lastAt, after.lastAt), lt(a.storeId, after.storeId)),
          and(eq(a.lastAt, after.lastAt), eq(a.storeId, after.storeId), lt(a.month, after.month)),
        )
      : undefined;
    const rows = await db(env)
      .select()
      .from(a)
      .where(and(eq(a.memberId, memberId), eq(a.brandId, brandId), lte(a.firstAt, cursorAt), keyset))
      .orderBy(desc(a.lastAt), desc(a.storeId), desc(a.month))
      .limit(MONTHS_PER_STEP);
    for (const r of rows) {
      for (const [at, id, offset, length] of JSON.parse(r.refs) as ArchiveRef[]) {
        if (olderThan(at, id, cursorAt, cursorId))
          found.push({ at, id, offset, length, storeId: r.storeId, month: r.month });
      }
    }
    found.sort((x, y) => y.at - x.at || (x.id < y.id ? 1 : -1));
    const last = rows.at(-1);
    // Enough, and no month left can hold an order newer than the `want`-th found.
    if (!last || rows.length < MONTHS_PER_STEP) break;
    if (found.length >= want && found[want - 1]!.at > last.lastAt) break;
    after = { lastAt: last.lastAt, storeId: last.storeId, month: last.month };
  }
  return found.slice(0, want).map((f) => ({
    createdAt: f.at,
    id: f.id,
    body: async () => (await readArchivedOrder(env, f.storeId, f.month, f.id, f.offset, f.length))?.body ?? null,
  }));
}

/**
 * The archived orders of these store-days, by `storeId|day`, read from the month objects the
 * manifest lists (each object once per `read`, which a caller may share across calls); days never
 * archived are absent. For a batch's worth of
 * days (a few dozen): the lists are bound parameters.
 */
export async function archivedDays(
  env: Pick<Env, 'DB' | 'ARCHIVE'>,
  days: { storeId: string; day: string }[],
  read: Map<string, Promise<ArchivedOrder[]>> = new Map(),
) {
  const out = new Map<string, ArchivedOrder[]>();
  if (days.length === 0) return out;
  const months = [...new Set(days.map((s) => s.day.slice(0, 7)))];
  const storeIds = [...new Set(days.map((s) => s.storeId))];
  const listed = await db(env)
    .select({ storeId: orderArchives.storeId, month: orderArchives.month })
    .from(orderArchives)
    .where(and(inArray(orderArchives.storeId, storeIds), inArray(orderArchives.month, months)));
  const wanted = new Set(days.map((s) => `${s.storeId}|${s.day}`));
  for (const m of listed) {
    const key = `${m.storeId}|${m.month}`;
    if (!read.has(key)) {
      // Month objects can be large: a caller's cache keeps a few, not a whole rebuild's worth.
      if (read.size >= MONTHS_KEPT) read.clear();
      read.set(key, readMonthOrders(env, m.storeId, m.month));
    }
    for (const o of await read.get(key)!) {
      const day = `${o.storeId}|${o.businessDay}`;
      if (!wanted.has(day)) continue;
      const list = out.get(day) ?? [];
      list.push(o);
      out.set(day, list);
    }
  }
  return out;
}

/** Every archived order of the member, oldest first, as the rows `order_history` held (for an export). */
export async function allArchivedMemberOrders(env: Env, brandId: string, memberId: string) {
  const a = orderArchiveMembers;
  const months = await db(env)
    .select()
    .from(a)
    .where(and(eq(a.memberId, memberId), eq(a.brandId, brandId)));
  const out: ArchivedOrder[] = [];
  for (const m of months) {
    for (const [, id, offset, length] of JSON.parse(m.refs) as ArchiveRef[]) {
      const order = await readArchivedOrder(env, m.storeId, m.month, id, offset, length);
      if (order) out.push(order);
    }
  }
  return out.sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1));
}
