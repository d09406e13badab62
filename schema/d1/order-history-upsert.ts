import { sql } from 'drizzle-orm';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import { orderDay, type StoreClock } from '../../domain/analytics/days';
import { anonymizedOrderBody } from '../../domain/privacy';
import type { OrderEventMessage } from '../../queues/messages';
import type * as tables from './tables';
import { orderHistory } from './tables';

type Db = DrizzleD1Database<typeof tables>;

/**
 * The order history row for one store event: inserted, or updated only when the event's `seq`
 * is newer than the row's, so a replayed, late or already-applied event changes nothing.
 * Written by the events consumer, and at once for the guest's own placements and actions.
 */
export function upsertHistory(d: Db, e: OrderEventMessage, erased: Set<string>, clock: StoreClock | undefined) {
  const o = e.order;
  // The order's KPI day; a store not found (deleted) leaves it to the rebuild's backfill.
  const placed = clock ? orderDay(Date.parse(o.createdAt), clock) : null;
  const body = o.memberId && erased.has(o.memberId) ? anonymizedOrderBody(JSON.stringify(o)) : JSON.stringify(o);
  const h = orderHistory;
  const excluded = (column: { name: string }) => sql.raw(`excluded.${column.name}`);
  return d
    .insert(h)
    .values({
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
    });
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
  d: Db,
  brandId: string,
  order: O,
  at: number,
  clock: StoreClock | undefined,
) {
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
  return upsertHistory(d, event, new Set(), clock);
}
