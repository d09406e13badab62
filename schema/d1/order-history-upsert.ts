import { getTableColumns, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { orderDay, type StoreClock } from '../../domain/analytics/days';
import { anonymizedOrderBody } from '../../domain/privacy';
import type { OrderEventMessage } from '../../queues/messages';
import { type Compiled, compile, slot } from './compiled';
import { orderHistory } from './tables';

/** One `order_history` row, as the upsert binds it. */
export type HistoryRow = typeof orderHistory.$inferSelect;

/**
 * D1 binds a string of up to 2 MB (verify). A batch's rows go in statements of at most this
 * many UTF-16 units of JSON (UTF-8 takes at most three bytes a unit, so even a batch all in
 * Chinese stays under it), so a burst of long orders still fits and a queue batch of ordinary
 * ones is one statement.
 */
const MAX_JSON_PER_STATEMENT = 512 * 1024;

/**
 * The history upsert for any number of rows, given as one JSON array, compiled once per D1
 * binding. Every event of a lunch rush writes a row, from the store object or the consumer, and
 * building its SQL each time cost more of the runtime than D1 running it (measured with perf,
 * SCALE.md). One statement for a batch rather than one a row: a consumer's batch of 98 rows cost
 * the local runtime less CPU that way in `npm run bench:history-writes` (SCALE.md has the
 * figures). SQLite applies the rows in the array's order, each seeing the ones before it, so two
 * events of one order in a batch land as they would in two statements.
 */
function compileUpsert(d1: D1Database): Compiled<{ rows: string }> {
  const h = orderHistory;
  const excluded = (column: { name: string }) => sql.raw(`excluded.${column.name}`);
  // Every column in the table's order, as drizzle's insert-select lists them, each read from the
  // array's row by its key (a `HistoryRow`'s keys are the table's).
  const selected = Object.keys(getTableColumns(h)).map((key) => sql.raw(`json_extract(j.value, '$.${key}')`));
  return compile<{ rows: string }>(
    d1,
    drizzle(d1)
      .insert(h)
      .select(sql`SELECT ${sql.join(selected, sql`, `)} FROM json_each(${slot('rows')}) AS j WHERE true`)
      .onConflictDoUpdate({
        target: h.id,
        set: {
          status: excluded(h.status),
          total: excluded(h.total),
          body: excluded(h.body),
          lastSeq: excluded(h.lastSeq),
          updatedAt: excluded(h.updatedAt),
          businessDay: sql`coalesce(${h.businessDay}, ${excluded(h.businessDay)})`,
          localHour: sql`coalesce(${h.localHour}, ${excluded(h.localHour)})`,
        },
        setWhere: sql`${excluded(h.lastSeq)} > ${h.lastSeq}`,
      }),
  );
}

const compiled = new WeakMap<D1Database, Compiled<{ rows: string }>>();

/**
 * History rows upserted in as few statements as their size allows (one, for any batch of
 * ordinary orders), in their order: each row is inserted, or updates the row D1 holds only when
 * its `lastSeq` is newer, so a replayed, late or already-applied event changes nothing.
 */
export function historyUpserts(d1: D1Database, rows: readonly HistoryRow[]): D1PreparedStatement[] {
  let upsert = compiled.get(d1);
  if (!upsert) {
    upsert = compileUpsert(d1);
    compiled.set(d1, upsert);
  }
  const statements: D1PreparedStatement[] = [];
  let part: string[] = [];
  let size = 0;
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (part.length > 0 && size + text.length > MAX_JSON_PER_STATEMENT) {
      statements.push(upsert({ rows: `[${part.join(',')}]` }));
      part = [];
      size = 0;
    }
    part.push(text);
    size += text.length + 1;
  }
  if (part.length > 0) statements.push(upsert({ rows: `[${part.join(',')}]` }));
  return statements;
}

/** The history upsert bound to one row. */
export function bindHistory(d1: D1Database, row: HistoryRow): D1PreparedStatement {
  return historyUpserts(d1, [row])[0]!;
}

/**
 * The order history row for one store event: inserted, or updated only when the event's `seq`
 * is newer than the row's, so a replayed, late or already-applied event changes nothing.
 * Written by the events consumer, and at once for the guest's own placements and actions.
 */
export function upsertHistory(
  d1: D1Database,
  e: OrderEventMessage,
  erased: Set<string>,
  clock: StoreClock | undefined,
): D1PreparedStatement {
  return bindHistory(d1, historyRow(e, erased, clock));
}

/** The history row one store event leaves (its body anonymised when its member has erased their data). */
export function historyRow(e: OrderEventMessage, erased: Set<string>, clock: StoreClock | undefined): HistoryRow {
  const o = e.order;
  // The order's KPI day; a store not found (deleted) leaves it to the rebuild's backfill.
  const placed = clock ? orderDay(Date.parse(o.createdAt), clock) : null;
  const body = o.memberId && erased.has(o.memberId) ? anonymizedOrderBody(JSON.stringify(o)) : JSON.stringify(o);
  return {
    id: o.id,
    brandId: e.brandId,
    storeId: e.storeId,
    memberId: o.memberId ?? null,
    ticketNo: o.ticketNo,
    mode: o.mode,
    status: o.status,
    total: o.total,
    body,
    lastSeq: e.seq,
    createdAt: Date.parse(o.createdAt),
    updatedAt: e.occurredAt,
    businessDay: placed?.businessDay ?? null,
    localHour: placed?.localHour ?? null,
  };
}

/** What an order view holds that its history row needs (`OrderView` has more). */
interface OwnOrder {
  id: string;
  storeId: string;
  memberId?: string | null;
  ticketNo: string;
  mode: string;
  status: string;
  total: number;
  createdAt: string;
  eventSeq?: number;
  allowedActions?: unknown;
}

/**
 * The same upsert for an order its writer just changed and holds as a view (the guest's own
 * placement or action, a completion's points): the event its outbox carries, with its seq,
 * so whichever of this and the queued event comes second changes nothing.
 */
export function upsertOwnChange<O extends OwnOrder>(
  d1: D1Database,
  brandId: string,
  order: O,
  at: number,
  clock: StoreClock | undefined,
) {
  return bindHistory(d1, ownChangeRow(brandId, order, at, clock));
}

/** The row `upsertOwnChange` writes, for a writer that batches rows (own-history.ts). */
export function ownChangeRow<O extends OwnOrder>(
  brandId: string,
  order: O,
  at: number,
  clock: StoreClock | undefined,
): HistoryRow {
  const { allowedActions: _a, eventSeq: seq = 0, ...payload } = order;
  const event = {
    type: 'order.status_changed' as const,
    eventId: `${order.storeId}:${seq}`,
    storeId: order.storeId,
    brandId,
    seq,
    occurredAt: at,
    order: payload,
  };
  return historyRow(event, new Set(), clock);
}
