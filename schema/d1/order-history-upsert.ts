import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { orderDay, type StoreClock } from '../../domain/analytics/days';
import { anonymizedOrderBody } from '../../domain/privacy';
import type { OrderEventMessage } from '../../queues/messages';
import { type Compiled, compile, slot } from './compiled';
import { orderHistory } from './tables';

/** One `order_history` row, as the upsert binds it. */
export type HistoryRow = typeof orderHistory.$inferSelect;

/**
 * The history upsert, compiled once per D1 binding: every event of a lunch rush writes one,
 * from the store object and again from the consumer, and building its SQL each time cost more
 * of the runtime than D1 running it (measured with perf, SCALE.md).
 */
function compileUpsert(d1: D1Database): Compiled<HistoryRow> {
  const h = orderHistory;
  const excluded = (column: { name: string }) => sql.raw(`excluded.${column.name}`);
  return compile<HistoryRow>(
    d1,
    drizzle(d1)
      .insert(h)
      .values({
        id: slot('id'),
        brandId: slot('brandId'),
        storeId: slot('storeId'),
        memberId: slot('memberId'),
        ticketNo: slot('ticketNo'),
        mode: slot('mode'),
        status: slot('status'),
        total: slot<number>('total'),
        body: slot('body'),
        lastSeq: slot<number>('lastSeq'),
        createdAt: slot<number>('createdAt'),
        updatedAt: slot<number>('updatedAt'),
        businessDay: slot('businessDay'),
        localHour: slot<number>('localHour'),
      })
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

const compiled = new WeakMap<D1Database, Compiled<HistoryRow>>();

/** The history upsert bound to one row. */
export function bindHistory(d1: D1Database, row: HistoryRow): D1PreparedStatement {
  let upsert = compiled.get(d1);
  if (!upsert) {
    upsert = compileUpsert(d1);
    compiled.set(d1, upsert);
  }
  return upsert(row);
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

function historyRow(e: OrderEventMessage, erased: Set<string>, clock: StoreClock | undefined): HistoryRow {
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
