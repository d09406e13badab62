import { sql } from 'drizzle-orm';
import { orderDay, type StoreClock } from '../../domain/analytics/days';
import { log } from '../../domain/log';
import { anonymizedOrderBody } from '../../domain/privacy';
import type { OrderView } from '../../durable-objects/store/contract';
import type { OrderEventMessage } from '../../queues/messages';
import { orderHistory } from '../../schema/d1/tables';
import { storeClocks } from '../analytics/rollups.service';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';

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

/**
 * Read-your-writes: the guest's own order (just placed, or just cancelled) goes into their
 * history now rather than when the outbox event has crossed the queue, a second or more
 * later. The same idempotent upsert the consumer runs, with the event's own seq, so whichever
 * comes second changes nothing. Best effort: the queue delivers it anyway.
 */
export async function recordOwnChange(env: Env, brandId: string, order: OrderView, now = Date.now()): Promise<void> {
  if (!order.eventSeq || !order.memberId) return;
  const { allowedActions: _a, eventSeq: seq, ...payload } = order;
  try {
    const clocks = await storeClocks(db(env), [order.storeId]);
    const event = {
      type: 'order.status_changed' as const,
      eventId: `${order.storeId}:${seq}`,
      storeId: order.storeId,
      brandId,
      seq,
      occurredAt: now,
      order: payload,
    };
    await upsertHistory(db(env), event, new Set(), clocks.get(order.storeId)).run();
  } catch (e) {
    log.warn('own history write failed', { orderId: order.id, error: e });
  }
}
