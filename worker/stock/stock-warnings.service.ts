import type { StockLowMessage } from '../../queues/messages';
import type { Env } from '../env';
import { notifyStaff } from '../notify/staff-pushes.service';
import { storeManagers } from '../staff/store-managers';
import { storeContext } from '../stores/store-gateway';

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
