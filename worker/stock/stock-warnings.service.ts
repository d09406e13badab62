import { and, eq, sql } from 'drizzle-orm';
import type { StockLowMessage } from '../../queues/messages';
import { staff } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { notifyStaff } from '../notify/staff-pushes.service';
import { storeContext } from '../stores/store-gateway';

/** Active managers of a store (the people a store's warnings and alerts go to). */
export async function storeManagers(env: Env, brandId: string, storeId: string): Promise<{ id: string }[]> {
  return db(env)
    .select({ id: staff.id })
    .from(staff)
    .where(
      and(
        eq(staff.brandId, brandId),
        eq(staff.role, 'manager'),
        eq(staff.active, true),
        sql`exists (select 1 from json_each(${staff.storeIds}) where json_each.value = ${storeId})`,
      ),
    );
}

/**
 * A dish fell to its low-stock level: each of the store's managers gets one notification
 * (inbox row and push). Keyed by the store event and the manager, so a replayed queue
 * message writes and sends nothing twice.
 */
export async function notifyLowStock(env: Env, e: StockLowMessage, now = Date.now()): Promise<void> {
  const [managers, ctx] = await Promise.all([storeManagers(env, e.brandId, e.storeId), storeContext(env, e.storeId)]);
  const s = e.stock;
  await notifyStaff(
    env,
    managers.map((m) => ({
      brandId: e.brandId,
      staffId: m.id,
      storeId: e.storeId,
      alertId: null,
      template: 'stock_low',
      data: {
        store: ctx.store.name,
        item: s.name,
        remaining: String(s.remaining),
        level: String(s.level),
        time: new Date(e.occurredAt).toISOString(),
      },
      key: `stock_low:${e.eventId}:${m.id}`,
    })),
    now,
  );
}
