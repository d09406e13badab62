import { and, count, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { orderDay } from '../../domain/analytics/days';
import { deliveryOutcomeOf, onTimeRate } from '../../domain/analytics/on-time';
import type { DeliveryProvider } from '../../domain/delivery/tracking';
import type { StoreEventMessage } from '../../queues/messages';
import { deliveryOutcomes } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';
import type { StoreScope } from './analytics-scope';
import type { StoreClockOf } from './rollups.service';

/**
 * The outcomes an events batch records: each delivered order with a promise, once per
 * order (insert or nothing), so a replayed or repeated event changes nothing.
 */
export function deliveryOutcomeWrites(d: Db, events: StoreEventMessage[], clocks: Map<string, StoreClockOf>) {
  const writes = [];
  for (const e of events) {
    if (e.type !== 'order.updated' || (e.order as { change?: string }).change !== 'delivery') continue;
    const clock = clocks.get(e.storeId);
    const outcome = deliveryOutcomeOf(e.order as Parameters<typeof deliveryOutcomeOf>[0]);
    if (!clock || !outcome) continue;
    writes.push(
      d
        .insert(deliveryOutcomes)
        .values({
          orderId: e.order.id,
          brandId: e.brandId,
          storeId: e.storeId,
          day: orderDay(Date.parse(e.order.createdAt), clock).businessDay,
          ...outcome,
        })
        .onConflictDoNothing(),
    );
  }
  return writes;
}

/** The on-time rate of a period per store and per courier (provider, and each own rider). */
export async function onTimeRates(env: Env, scope: StoreScope, period: { from: string; to: string }) {
  const t = deliveryOutcomes;
  const where = and(
    eq(t.brandId, scope.brandId),
    gte(t.day, period.from),
    lte(t.day, period.to),
    scope.all
      ? undefined
      : inArray(
          t.storeId,
          scope.stores.map((s) => s.id),
        ),
  );
  const onTime = sql<number>`sum(case when ${t.onTime} then 1 else 0 end)`;
  const rows = await db(env)
    .select({
      storeId: t.storeId,
      provider: t.provider,
      riderId: t.riderId,
      riderName: sql<string | null>`max(${t.riderName})`,
      delivered: count(),
      onTime,
    })
    .from(t)
    .where(where)
    .groupBy(t.storeId, t.provider, t.riderId)
    .all();
  const names = new Map(scope.stores.map((s) => [s.id, s.name]));
  const stores = new Map<string, { delivered: number; onTime: number }>();
  for (const r of rows) {
    const s = stores.get(r.storeId) ?? { delivered: 0, onTime: 0 };
    s.delivered += r.delivered;
    s.onTime += Number(r.onTime);
    stores.set(r.storeId, s);
  }
  return {
    from: period.from,
    to: period.to,
    stores: [...stores].map(([storeId, s]) => ({
      storeId,
      storeName: names.get(storeId) ?? storeId,
      delivered: s.delivered,
      onTime: s.onTime,
      onTimeRate: onTimeRate(s.delivered, s.onTime),
    })),
    couriers: rows.map((r) => ({
      storeId: r.storeId,
      provider: r.provider as DeliveryProvider,
      riderId: r.riderId,
      riderName: r.riderName,
      delivered: r.delivered,
      onTime: Number(r.onTime),
      onTimeRate: onTimeRate(r.delivered, Number(r.onTime)),
    })),
  };
}
