import { and, eq, inArray, sql } from 'drizzle-orm';
import { boundText } from '../../domain/bounded-text';
import { ERROR_TEXT_MAX } from '../../domain/retention';
import { enqueuePushes } from '../../queues/messages';
import { staff, staffNotifications, staffPushTargets } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { fitSubscribeValue, type SubscribeValueKind } from './push.adapter';
import { pushAdapterFor, type TemplateMapping } from './push.registry';

/*
 * Notifications to staff (a store's managers): each is a row in the staff member's inbox,
 * and a push to their WeChat when they linked one (`staff_push_targets`). Staff have no
 * marketing pushes, so no consent, quiet hours or caps: an alert at 3 a.m. is the point.
 */

export interface StaffNotifyRequest {
  brandId: string;
  staffId: string;
  storeId: string | null;
  alertId: string | null;
  template: string;
  data: Record<string, string>;
  /** Unique per notification: a retried trigger writes and sends nothing twice. */
  key: string;
}

/** Staff notification ids start so (the notify queue carries both kinds). */
export const STAFF_NOTIFICATION_PREFIX = 'snt_';

const STALE_SENDING_MS = 60_000;
const KINDS = new Set<string>(['thing', 'phrase', 'amount', 'time', 'character_string', 'number']);

/**
 * Writes the notifications (once per key) and queues every one still waiting to be sent,
 * including those a previous attempt wrote but never queued; delivery is idempotent by
 * the row's status, so queuing one twice sends it once.
 */
export async function notifyStaff(env: Env, reqs: StaffNotifyRequest[], now = Date.now()): Promise<void> {
  if (reqs.length === 0) return;
  const d = db(env);
  const inserts = reqs.map((r) =>
    d
      .insert(staffNotifications)
      .values({
        id: newId('snt'),
        brandId: r.brandId,
        staffId: r.staffId,
        storeId: r.storeId,
        alertId: r.alertId,
        template: r.template,
        data: JSON.stringify({ fields: r.data }),
        key: r.key,
        status: 'queued',
        attempts: 0,
        createdAt: now,
      })
      .onConflictDoNothing({ target: staffNotifications.key }),
  );
  await d.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  const waiting = await d
    .select({ id: staffNotifications.id })
    .from(staffNotifications)
    .where(
      and(
        inArray(
          staffNotifications.key,
          reqs.map((r) => r.key),
        ),
        eq(staffNotifications.status, 'queued'),
      ),
    );
  if (waiting.length > 0)
    await enqueuePushes(
      env.NOTIFY_QUEUE,
      waiting.map((w) => w.id),
    );
}

type Row = typeof staffNotifications.$inferSelect;
type Status = Row['status'];

/** Delivers one staff notification's push; answers a retry delay when the provider asks for one. */
export async function deliverStaffNotification(
  env: Env,
  id: string,
  now = Date.now(),
): Promise<{ retryInSeconds?: number }> {
  const d = db(env);
  const n = staffNotifications;
  const row = await d.select().from(n).where(eq(n.id, id)).get();
  if (!row) return {};
  const stale = row.status === 'sending' && (row.sentAt ?? 0) < now - STALE_SENDING_MS;
  if (row.status !== 'queued' && !stale) return {};
  const target = await d
    .select({ openid: staffPushTargets.openid, active: staff.active })
    .from(staffPushTargets)
    .innerJoin(staff, eq(staff.id, staffPushTargets.staffId))
    .where(eq(staffPushTargets.staffId, row.staffId))
    .get();
  // The inbox row stays either way: the console shows the alert without a push.
  if (!target?.active) return settle(env, row, 'suppressed', 'no_push_target');
  const { adapter, mapping } = pushAdapterFor(env, row.template);
  if (!adapter) return settle(env, row, 'suppressed', 'not_configured');
  const claimed = await d
    .update(n)
    .set({ status: 'sending', sentAt: now, attempts: sql`${n.attempts} + 1` })
    .where(and(eq(n.id, row.id), eq(n.status, row.status)))
    .run();
  if (claimed.meta.changes !== 1) return {};
  const fields = (JSON.parse(row.data) as { fields: Record<string, string> }).fields;
  const result = await adapter.send({
    touser: target.openid,
    template_id: mapping?.templateId ?? row.template,
    data: templateData(fields, mapping),
  });
  if (result.ok) return settle(env, row, 'sent', result.providerId ?? null, 'sending');
  if (result.retryable && row.attempts < 4) {
    await d
      .update(n)
      .set({ status: 'queued', result: boundText(`${result.code}: ${result.detail}`, ERROR_TEXT_MAX) })
      .where(and(eq(n.id, row.id), eq(n.status, 'sending')))
      .run();
    return { retryInSeconds: 30 * (row.attempts + 1) };
  }
  return settle(env, row, 'failed', `${result.code}: ${result.detail}`, 'sending');
}

/** Retries exhausted: the rows are marked failed, so nobody waits for them. */
export async function failStaffNotifications(env: Env, ids: string[]) {
  if (ids.length === 0) return;
  await db(env)
    .update(staffNotifications)
    .set({ status: 'failed', result: sql`coalesce(${staffNotifications.result}, 'retries exhausted')` })
    .where(and(inArray(staffNotifications.id, ids), inArray(staffNotifications.status, ['queued', 'sending'])));
}

/** Our fields under the template's keys, each fitted to its key's kind (`thing1`, `time2`…). */
function templateData(fields: Record<string, string>, mapping: TemplateMapping | null) {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => {
      const key = mapping?.fields[k] ?? k;
      const kind = /^[a-z_]+/.exec(key)?.[0] as SubscribeValueKind;
      let value = v;
      try {
        // An unmapped field keeps our name, which is no WeChat kind: sent as written.
        if (KINDS.has(kind)) value = fitSubscribeValue(kind, v);
      } catch {
        // Sent as is; WeChat's refusal is recorded on the row.
      }
      return [key, { value }];
    }),
  );
}

async function settle(env: Env, row: Row, status: Status, result: string | null, from: Status = row.status) {
  await db(env)
    .update(staffNotifications)
    .set({ status, result: result === null ? null : boundText(result, ERROR_TEXT_MAX) })
    .where(and(eq(staffNotifications.id, row.id), eq(staffNotifications.status, from)))
    .run();
  return {};
}
