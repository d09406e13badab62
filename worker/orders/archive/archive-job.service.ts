import { and, asc, between, eq, isNotNull, lt, min, sql } from 'drizzle-orm';
import {
  type ArchivedOrder,
  appendMonth,
  archiveAfterDays,
  archiveCutoff,
  archiveKey,
  type EncodedMonth,
  firstKeptMonth,
  monthDays,
} from '../../../domain/order-archive';
import { anonymizedOrderBody } from '../../../domain/privacy';
import { businessDay } from '../../../domain/store-settings';
import { members, orderArchiveMembers, orderArchives, orderHistory, stores } from '../../../schema/d1/tables';
import { storeClocks } from '../../analytics/rollups.service';
import { backfillDays } from '../../analytics/rollups-jobs.service';
import type { Env } from '../../env';
import { type Db, db } from '../../lib/db';
import { readMonthObject, writeMonthObject } from './archive-objects';

/*
 * The nightly `orders.archive` job: every store business month wholly older than
 * ORDER_ARCHIVE_AFTER_DAYS moves from `order_history` to its R2 object. Per month: read the
 * rows, append them to the object (or start it), write it and check R2 holds it, then in one
 * D1 batch record the manifest row and the members' refs and delete the rows archived (by id
 * and seq, so a row an event changed meanwhile stays for the next run). A crash before the
 * batch leaves the rows in D1 and an object that already holds them: the rerun appends
 * nothing and deletes them. The KPI rollups stay in D1; a rebuild of an archived day reads
 * the object (analytics/rollups.service.ts).
 */

/** Months one run archives before it queues the rest: each holds a store-month in memory. */
export const MONTHS_PER_RUN = 6;
/** JSON parameters stay well under D1's statement and value limits. */
const ROWS_PER_STATEMENT = 500;

/** Archives up to `months` store-months due at `at`; returns them and whether more are due. */
export async function archiveOrders(env: Env, at: number, months = MONTHS_PER_RUN) {
  const d = db(env);
  const days = archiveAfterDays(env.ORDER_ARCHIVE_AFTER_DAYS);
  const cutoff = archiveCutoff(at, days);
  const all = await d.select({ id: stores.id }).from(stores).orderBy(asc(stores.id));
  const clocks = await storeClocks(
    d,
    all.map((s) => s.id),
    at,
  );
  const done: { storeId: string; month: string; orders: number; bytes: number }[] = [];
  for (const [storeId, clock] of clocks) {
    // Rows still without a business day would escape their month: give them one first.
    let untimed = true;
    while (untimed) untimed = await backfillDays(d, [storeId], at);
    const kept = `${firstKeptMonth(businessDay(cutoff, clock.timeZone, clock.dayStartsAt))}-01`;
    for (;;) {
      const oldest = await d
        .select({ day: min(orderHistory.businessDay) })
        .from(orderHistory)
        .where(and(eq(orderHistory.storeId, storeId), lt(orderHistory.businessDay, kept)))
        .get();
      if (!oldest?.day) break;
      if (done.length >= months) {
        await env.JOBS_QUEUE.send({ job: 'orders.archive', at }, { contentType: 'json' });
        return { done: false, archived: done };
      }
      done.push(await archiveMonth(env, clock.brandId, storeId, oldest.day.slice(0, 7), at));
    }
  }
  return { done: true, archived: done };
}

/** Moves one store-month of history to its object (see the file's comment for the order of steps). */
export async function archiveMonth(env: Env, brandId: string, storeId: string, month: string, at: number) {
  const d = db(env);
  const { from, to } = monthDays(month);
  const rows: ArchivedOrder[] = await d
    .select()
    .from(orderHistory)
    .where(and(eq(orderHistory.storeId, storeId), between(orderHistory.businessDay, from, to)));
  const prior = await readMonthObject(env, storeId, month);
  // Checked after the object was read: an erasure that rewrote it before then is seen here,
  // one after it either rewrites what this appends or finds its etag gone and is retried.
  const erased = await erasedAmong(d, rows);
  const encoded = appendMonth(
    prior?.bytes ?? new Uint8Array(),
    rows.map((r) => (r.memberId && erased.has(r.memberId) ? { ...r, body: anonymizedOrderBody(r.body) } : r)),
  );
  const unchanged = prior && prior.bytes.length === encoded.bytes.length;
  const written = unchanged
    ? { key: '', bytes: encoded.bytes.length }
    : await writeMonthObject(env, storeId, month, encoded, prior?.etag);
  await d.batch(recordStatements(d, { brandId, storeId, month, at }, encoded, written.bytes, rows));
  return { storeId, month, orders: encoded.orders, bytes: written.bytes };
}

/**
 * The D1 side of a written object, for one batch: its manifest row, every member's refs, and
 * the deletion of the rows it holds at the seq it holds them (`rows`, those just archived).
 */
export function recordStatements(
  d: Db,
  m: { brandId: string; storeId: string; month: string; at: number },
  encoded: EncodedMonth,
  bytes: number,
  rows: Pick<ArchivedOrder, 'id'>[],
) {
  const key = archiveKey(m.storeId, m.month);
  const manifest = d
    .insert(orderArchives)
    .values({
      storeId: m.storeId,
      month: m.month,
      brandId: m.brandId,
      key,
      orders: encoded.orders,
      bytes,
      archivedAt: m.at,
    })
    .onConflictDoUpdate({
      target: [orderArchives.storeId, orderArchives.month],
      set: { orders: encoded.orders, bytes, archivedAt: m.at },
    });
  const members = [...encoded.members].map(([memberId, refs]) => [
    memberId,
    refs.at(-1)![0],
    refs[0]![0],
    JSON.stringify(refs),
  ]);
  const a = orderArchiveMembers;
  const refStatements = chunks(members).map((part) =>
    d
      .insert(a)
      .select(
        sql`SELECT json_extract(j.value, '$[0]'), ${m.storeId}, ${m.month}, ${m.brandId}, json_extract(j.value, '$[1]'),
          json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]')
        FROM json_each(${JSON.stringify(part)}) AS j WHERE true`,
      )
      .onConflictDoUpdate({
        target: [a.memberId, a.storeId, a.month],
        set: {
          firstAt: sql.raw('excluded.first_at'),
          lastAt: sql.raw('excluded.last_at'),
          refs: sql.raw('excluded.refs'),
        },
      }),
  );
  const held = rows.flatMap((r) => {
    const seq = encoded.seqs.get(r.id);
    return seq === undefined ? [] : [[r.id, seq]];
  });
  const h = orderHistory;
  const deletes = chunks(held).map((part) =>
    d.delete(h).where(
      and(
        eq(h.storeId, m.storeId),
        sql`${h.id} IN (SELECT json_extract(j.value, '$[0]') FROM json_each(${JSON.stringify(part)}) AS j
          WHERE json_extract(j.value, '$[1]') >= ${h.lastSeq})`,
      ),
    ),
  );
  return [manifest, ...refStatements, ...deletes] as const;
}

/** Members of these rows who erased their data (their rows are anonymized in D1 already, or about to be). */
async function erasedAmong(d: Db, rows: Pick<ArchivedOrder, 'memberId'>[]) {
  const ids = [...new Set(rows.flatMap((r) => (r.memberId ? [r.memberId] : [])))];
  if (ids.length === 0) return new Set<string>();
  const found = await d
    .select({ id: members.id })
    .from(members)
    .where(
      and(isNotNull(members.deletedAt), sql`${members.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`),
    );
  return new Set(found.map((m) => m.id));
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) out.push(items.slice(i, i + ROWS_PER_STATEMENT));
  return out;
}
