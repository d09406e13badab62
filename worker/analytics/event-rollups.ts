import { sql } from 'drizzle-orm';
import { orderDay } from '../../domain/analytics/days';
import { movesFigures } from '../../domain/analytics/rollup';
import { MIN_ARCHIVE_AFTER_DAYS } from '../../domain/order-archive';
import { businessDay } from '../../domain/store-settings';
import { DAY } from '../../domain/time';
import type { StoreEventMessage } from '../../queues/messages';
import { tableSeatings } from '../../schema/d1/tables';
import type { Db } from '../lib/db';
import type { StoreDay } from './rollup-statements';
import type { StoreClockOf } from './rollups.service';

const excluded = (column: { name: string }) => sql.raw(`excluded.${column.name}`);

/**
 * What an events batch writes for the KPIs: each closed seating (idempotent by session id),
 * and every store-day whose figures the batch may have moved (`movesFigures`, less the
 * kitchen's steps: `figuresUnchanged`), once however many events it held, for the consumer to
 * re-derive now or, for a busy day inside its pace, mark pending (`rollup-pacing.ts`). A step that
 * arrives before its order's payment event is counted when that event lands, since a recompute
 * reads the order's newest row.
 * A day old enough to be archived (a re-driven dead letter, say) is returned as `late`
 * instead, for `recomputeStoreDays`, which reads its archived orders back from R2.
 */
export function touchedStoreDays(d: Db, events: StoreEventMessage[], clocks: Map<string, StoreClockOf>, now: number) {
  const days = new Map<string, StoreDay>();
  const late = new Map<string, StoreDay>();
  const seatings = [];
  const archivable = now - MIN_ARCHIVE_AFTER_DAYS * DAY;
  for (const e of events) {
    const clock = clocks.get(e.storeId);
    if (!clock || e.type === 'stock.low' || e.type === 'stock.changed' || e.type === 'channel.sync') continue;
    if (e.type === 'session.closed') {
      const s = e.session;
      const day = businessDay(s.openedAt, clock.timeZone, clock.dayStartsAt);
      (s.openedAt < archivable ? late : days).set(`${e.storeId}|${day}`, {
        brandId: e.brandId,
        storeId: e.storeId,
        day,
      });
      seatings.push(seatingUpsert(d, { ...s, brandId: e.brandId, storeId: e.storeId, day }));
      continue;
    }
    if (!movesFigures(e.order) || e.figuresUnchanged) continue;
    const at = Date.parse(e.order.createdAt);
    const day = orderDay(at, clock).businessDay;
    (at < archivable ? late : days).set(`${e.storeId}|${day}`, { brandId: e.brandId, storeId: e.storeId, day });
  }
  for (const key of days.keys()) late.delete(key);
  return {
    seatings,
    days: [...days.values()],
    late: [...late.values()],
  };
}

function seatingUpsert(
  d: Db,
  s: {
    sessionId: string;
    tableId: string;
    openedAt: number;
    closedAt: number;
    diners: number;
    brandId: string;
    storeId: string;
    day: string;
  },
) {
  const t = tableSeatings;
  return d
    .insert(t)
    .values({
      id: s.sessionId,
      brandId: s.brandId,
      storeId: s.storeId,
      tableId: s.tableId,
      day: s.day,
      diners: s.diners,
      openedAt: s.openedAt,
      closedAt: s.closedAt,
    })
    .onConflictDoUpdate({
      target: t.id,
      set: {
        tableId: excluded(t.tableId),
        day: excluded(t.day),
        diners: excluded(t.diners),
        closedAt: excluded(t.closedAt),
      },
    });
}

/**
 * Brands whose points may have moved in this batch (a completion earns, a refund takes back),
 * with the span of instants involved: their brand days are re-derived after the follow-ups.
 */
export function touchedBrandDays(
  events: StoreEventMessage[],
  now = Date.now(),
): Map<string, { from: number; to: number }> {
  const out = new Map<string, { from: number; to: number }>();
  for (const e of events) {
    if (e.type !== 'order.status_changed' || !e.order.memberId) continue;
    if (e.order.status !== 'completed' && e.order.status !== 'refunded') continue;
    const span = out.get(e.brandId) ?? { from: e.occurredAt, to: now };
    span.from = Math.min(span.from, e.occurredAt);
    out.set(e.brandId, span);
  }
  return out;
}
