import type { z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { isoInZone } from '../../domain/zoned-time';
import type { StoreAlert } from '../../schema/api/alerts.schemas';
import { storeAlerts, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { notFound } from '../http/errors';
import { db } from '../lib/db';

type AlertRow = typeof storeAlerts.$inferSelect & { storeName: string; timeZone: string };

const columns = {
  alert: storeAlerts,
  storeName: stores.name,
  timeZone: stores.timeZone,
};

/** The API view of an alert, times in its store's zone. */
function alertView(r: AlertRow): z.infer<typeof StoreAlert> {
  const at = (t: number | null) => (t === null ? null : isoInZone(t, r.timeZone));
  return {
    id: r.id,
    storeId: r.storeId,
    storeName: r.storeName,
    kind: r.kind as z.infer<typeof StoreAlert>['kind'],
    status: r.status,
    value: r.value,
    threshold: r.threshold,
    detail: r.detail,
    openedAt: isoInZone(r.openedAt, r.timeZone),
    lastSeenAt: isoInZone(r.lastSeenAt, r.timeZone),
    resolvedAt: at(r.resolvedAt),
    acknowledgedAt: at(r.acknowledgedAt),
    acknowledgedBy: r.acknowledgedBy,
  };
}

const flatten = (rows: { alert: typeof storeAlerts.$inferSelect; storeName: string; timeZone: string }[]) =>
  rows.map((r) => alertView({ ...r.alert, storeName: r.storeName, timeZone: r.timeZone }));

/** Whether a caller may see a store's alerts: its brand, and for a manager one of their stores. */
const mayWatch = (p: Principal, store: { id: string; brandId: string }) =>
  store.brandId === p.brandId && (p.role === 'admin' || p.storeIds.includes(store.id));

/**
 * Alerts of the stores the caller may see (all of them, or the named ones: a store they
 * may not see is 404 `store.not_found`, as one that does not exist), newest first.
 */
export async function listAlerts(
  env: Env,
  p: Principal,
  q: { storeIds?: string[]; status: 'open' | 'resolved' | 'all'; limit: number },
) {
  const d = db(env);
  const a = storeAlerts;
  let scope: SQL | undefined;
  if (q.storeIds) {
    const wanted = [...new Set(q.storeIds)];
    const found = await d
      .select({ id: stores.id, brandId: stores.brandId })
      .from(stores)
      .where(inArray(stores.id, wanted));
    for (const id of wanted) {
      const s = found.find((f) => f.id === id);
      if (!s || !mayWatch(p, s)) throw notFound('store', id);
    }
    scope = inArray(a.storeId, wanted);
  } else if (p.role !== 'admin') {
    scope = inArray(a.storeId, p.storeIds.length > 0 ? p.storeIds : ['']);
  }
  const rows = await d
    .select(columns)
    .from(a)
    .innerJoin(stores, eq(stores.id, a.storeId))
    .where(and(eq(a.brandId, p.brandId), scope, q.status === 'all' ? undefined : eq(a.status, q.status)))
    .orderBy(desc(a.openedAt), desc(a.id))
    .limit(q.limit);
  return flatten(rows);
}

/** Marks an alert seen by the caller; a second acknowledgement keeps the first. */
export async function acknowledgeAlert(env: Env, p: Principal, alertId: string, now = Date.now()) {
  const d = db(env);
  const a = storeAlerts;
  const read = () =>
    d.select(columns).from(a).innerJoin(stores, eq(stores.id, a.storeId)).where(eq(a.id, alertId)).get();
  const found = await read();
  if (!found || !mayWatch(p, { id: found.alert.storeId, brandId: found.alert.brandId })) {
    throw notFound('alert', alertId);
  }
  await d
    .update(a)
    .set({ acknowledgedAt: now, acknowledgedBy: p.subject })
    .where(and(eq(a.id, alertId), isNull(a.acknowledgedAt)))
    .run();
  return flatten([(await read())!])[0]!;
}
