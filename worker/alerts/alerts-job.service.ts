import { and, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import { type FiringAlert, firingAlerts } from '../../domain/alerts/evaluate';
import type { AlertThresholds } from '../../domain/alerts/thresholds';
import { log } from '../../domain/log';
import { scheduleAt, type WeeklySlot } from '../../domain/schedule';
import { isoInZone } from '../../domain/zoned-time';
import { brands, devices, storeAlerts, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';
import { notifyStaff } from '../notify/staff-pushes.service';
import { storeManagers } from '../staff/store-managers';
import { storeHealth } from '../stores/store-gateway';
import { alertTitle, alertValueText } from './alert-text';
import { thresholdsOf } from './thresholds.service';

/** Stores asked at once. */
const CONCURRENCY = 10;

type StoreRow = Pick<typeof stores.$inferSelect, 'id' | 'brandId' | 'name' | 'timeZone' | 'openingHours'>;

/**
 * The 5-minute job: asks every active store for its health, judges it under its brand's
 * thresholds and keeps `store_alerts` in step. Safe to run twice or to retry: opening is
 * an insert the one-open-per-kind index refuses a second time, resolving is a conditional
 * update, and managers are notified until the alert records that they were (their inbox
 * rows are keyed per alert and person). A store that cannot answer is logged and skipped;
 * its alerts stay as they were until it answers.
 */
export async function checkStoreAlerts(env: Env, at: number) {
  // A retry runs late: judge the present, not the cron's moment.
  const now = Math.max(at, Date.now());
  const d = db(env);
  const active = await d
    .select({
      id: stores.id,
      brandId: stores.brandId,
      name: stores.name,
      timeZone: stores.timeZone,
      openingHours: stores.openingHours,
    })
    .from(stores)
    .where(eq(stores.status, 'active'));
  if (active.length === 0) return { stores: 0 };
  const brandRows = await d
    .select({ id: brands.id, settings: brands.settings })
    .from(brands)
    .where(inArray(brands.id, [...new Set(active.map((s) => s.brandId))]));
  const thresholds = new Map(brandRows.map((b) => [b.id, thresholdsOf(b.settings)]));
  const printers = await d
    .select({ id: devices.id, storeId: devices.storeId })
    .from(devices)
    .where(and(eq(devices.kind, 'printer'), isNull(devices.revokedAt)));
  const printersOf = new Map<string, string[]>();
  for (const p of printers) printersOf.set(p.storeId, [...(printersOf.get(p.storeId) ?? []), p.id]);

  let failed = 0;
  for (let i = 0; i < active.length; i += CONCURRENCY) {
    await Promise.all(
      active.slice(i, i + CONCURRENCY).map(async (store) => {
        try {
          const t = thresholds.get(store.brandId);
          if (!t) return;
          await checkStore(env, store, t, printersOf.get(store.id) ?? [], now);
        } catch (e) {
          failed++;
          log.warn('store alerts check failed', { storeId: store.id, error: e });
        }
      }),
    );
  }
  return { stores: active.length, failed };
}

async function checkStore(env: Env, store: StoreRow, t: AlertThresholds, printerIds: string[], now: number) {
  const health = await storeHealth(env, store.id, printerIds, now);
  const open = scheduleAt(json<WeeklySlot[]>(store.openingHours, []), store.timeZone, now).open;
  const firing = firingAlerts(health, t, open);
  await reconcile(env, store, firing, now);
  await notifyOpened(env, store, now);
}

/** Opens what fires and is not open yet, refreshes what stays open, resolves the rest. */
async function reconcile(env: Env, store: StoreRow, firing: FiringAlert[], now: number) {
  const d = db(env);
  const a = storeAlerts;
  const kinds = firing.map((f) => f.kind);
  const resolve = d
    .update(a)
    .set({ status: 'resolved', resolvedAt: now })
    .where(
      and(eq(a.storeId, store.id), eq(a.status, 'open'), kinds.length > 0 ? notInArray(a.kind, kinds) : undefined),
    );
  const upserts = firing.flatMap((f) => [
    d
      .insert(a)
      .values({
        id: newId('alr'),
        brandId: store.brandId,
        storeId: store.id,
        kind: f.kind,
        status: 'open',
        value: f.value,
        threshold: f.threshold,
        detail: f.detail,
        openedAt: now,
        lastSeenAt: now,
      })
      .onConflictDoNothing(),
    d
      .update(a)
      .set({ value: f.value, threshold: f.threshold, detail: f.detail, lastSeenAt: now })
      .where(and(eq(a.storeId, store.id), eq(a.kind, f.kind), eq(a.status, 'open'))),
  ]);
  await d.batch([resolve, ...upserts]);
}

/** Alerts of the store open and not yet announced: each of its managers gets one notification. */
async function notifyOpened(env: Env, store: StoreRow, now: number) {
  const d = db(env);
  const a = storeAlerts;
  const pending = await d
    .select()
    .from(a)
    .where(and(eq(a.storeId, store.id), eq(a.status, 'open'), isNull(a.notifiedAt)));
  if (pending.length === 0) return;
  const managers = await storeManagers(env, store.brandId, store.id);
  await notifyStaff(
    env,
    pending.flatMap((alert) =>
      managers.map((m) => ({
        brandId: store.brandId,
        staffId: m.id,
        storeId: store.id,
        alertId: alert.id,
        template: 'store_alert',
        data: {
          store: store.name,
          alert: alertTitle(alert.kind),
          value: alertValueText(alert.kind, alert.value, alert.threshold),
          time: isoInZone(alert.openedAt, store.timeZone),
        },
        key: `alert:${alert.id}:${m.id}`,
      })),
    ),
    now,
  );
  await d
    .update(a)
    .set({ notifiedAt: now })
    .where(
      and(
        inArray(
          a.id,
          pending.map((p) => p.id),
        ),
        isNull(a.notifiedAt),
      ),
    );
}
