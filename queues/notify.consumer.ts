import { and, count, desc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import { backoffSeconds } from '../domain/backoff';
import { boundText } from '../domain/bounded-text';
import { mayPushMarketing } from '../domain/campaigns/targeting';
import { log } from '../domain/log';
import { ERROR_TEXT_MAX } from '../domain/retention';
import { localTime, zonedEpoch } from '../domain/zoned-time';
import { preparedOnce } from '../schema/d1/compiled';
import { memberConsents, members, notifications } from '../schema/d1/tables';
import { type Db, db } from '../worker/lib/db';
import { fitSubscribeValue, type SubscribeMessage, type SubscribeValueKind } from '../worker/notify/push.adapter';
import { pushAdapterFor } from '../worker/notify/push.registry';
import { pushPolicy } from '../worker/notify/push-policy.service';
import { deliverStaffNotification, STAFF_NOTIFICATION_PREFIX } from '../worker/notify/staff-pushes.service';
import { NotifyMessage } from './messages';

type Row = Pick<
  typeof notifications.$inferSelect,
  'id' | 'brandId' | 'memberId' | 'storeId' | 'category' | 'template' | 'data' | 'status' | 'sentAt' | 'attempts'
>;
type Status = Row['status'];

/** A push claimed but never finished (the consumer died mid-send) is sent again after this. */
const STALE_SENDING_MS = 60_000;

/**
 * Delivers queued pushes (a staff member's, `snt_…`, in `worker/notify/staff-pushes.service.ts`).
 * Each message names a notification row; the row's status makes
 * the handler idempotent (a sent or suppressed push is never sent again). Marketing
 * pushes need the member's consent, wait out quiet hours in store time, and claim one of
 * the day's slots with a conditional UPDATE, so concurrent deliveries cannot pass the cap.
 */
export async function handleNotifyBatch(batch: MessageBatch<unknown>, env: Env, now = Date.now()): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = NotifyMessage.safeParse(msg.body);
    if (!parsed.success) {
      log.error('bad notify message', { id: msg.id });
      msg.ack();
      continue;
    }
    const id = parsed.data.notificationId;
    try {
      const outcome = id.startsWith(STAFF_NOTIFICATION_PREFIX)
        ? await deliverStaffNotification(env, id, now)
        : await deliver(env, id, now);
      if (outcome.retryInSeconds !== undefined) msg.retry({ delaySeconds: outcome.retryInSeconds });
      else msg.ack();
    } catch (e) {
      log.warn('notify failed', { id, error: e });
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts, { base: 5, cap: 300 }) });
    }
  }
}

/** Marketing pushes of a member sent (or being sent) since `since`, this one aside. */
const sentSince = (d: Db, row: Row, since: number) =>
  d
    .select({ n: count() })
    .from(notifications)
    .where(
      and(
        eq(notifications.memberId, row.memberId),
        eq(notifications.category, 'marketing'),
        inArray(notifications.status, ['sent', 'sending']),
        gte(notifications.sentAt, since),
        ne(notifications.id, row.id),
      ),
    );

async function deliver(env: Env, id: string, now: number): Promise<{ retryInSeconds?: number }> {
  const d = db(env);
  const n = notifications;
  const row = await deliveryReads(d).row.get({ id });
  if (!row) return {};
  const stale = row.status === 'sending' && (row.sentAt ?? 0) < now - STALE_SENDING_MS;
  if (row.status !== 'queued' && !stale) return {};
  const member = await deliveryReads(d).member.get({ memberId: row.memberId });
  if (!member || member.deletedAt !== null || !member.openid) return settle(d, row, 'suppressed', 'member_erased');
  // No WeChat template for it in production: say so, rather than "sent" to a log line.
  const { adapter, mapping } = pushAdapterFor(env, row.template);
  if (!adapter) return settle(d, row, 'suppressed', 'not_configured');

  const claiming = { status: 'sending' as const, sentAt: now, attempts: sql`${n.attempts} + 1` };
  let claimed: D1Result;
  if (row.category === 'marketing') {
    const policy = await pushPolicy(env, row.brandId, row.storeId, now);
    const dayStart = zonedEpoch(localTime(now, policy.timeZone), 0, policy.timeZone);
    const reads = deliveryReads(d);
    const [consent, today] = await Promise.all([
      reads.consent.all({ memberId: row.memberId }),
      reads.sentSince.all({ memberId: row.memberId, since: dayStart, id: row.id }),
    ]);
    const verdict = mayPushMarketing({
      now,
      timeZone: policy.timeZone,
      quiet: policy.quietHours,
      sentToday: today[0]!.n,
      dailyCap: policy.dailyCap,
      consent: consent[0]?.granted === true,
    });
    if (!verdict.ok && verdict.reason === 'quiet_hours' && verdict.retryAt) {
      // Queues delay at most 12 hours; a longer wait is simply re-checked then.
      return { retryInSeconds: Math.min(43_200, Math.max(1, Math.ceil((verdict.retryAt - now) / 1000))) };
    }
    if (!verdict.ok) return settle(d, row, 'suppressed', verdict.reason);
    // The cap is checked again in the claim itself, so concurrent deliveries cannot pass it.
    claimed = await d
      .update(n)
      .set(claiming)
      .where(
        and(eq(n.id, row.id), eq(n.status, row.status), sql`(${sentSince(d, row, dayStart)}) < ${policy.dailyCap}`),
      )
      .run();
  } else {
    claimed = await d
      .update(n)
      .set(claiming)
      .where(and(eq(n.id, row.id), eq(n.status, row.status)))
      .run();
  }
  if (claimed.meta.changes !== 1) {
    // Lost the day's last slot to a concurrent push, or another delivery took this one.
    const again = await d.select({ status: n.status }).from(n).where(eq(n.id, row.id)).get();
    return again?.status === row.status ? settle(d, row, 'suppressed', 'daily_cap') : {};
  }

  const data = JSON.parse(row.data) as { fields: Record<string, string>; page: string | null };
  const message: SubscribeMessage = {
    touser: member.openid,
    template_id: mapping?.templateId ?? row.template,
    page: data.page ?? undefined,
    data: Object.fromEntries(
      Object.entries(data.fields).map(([k, v]) => {
        const key = mapping?.fields[k] ?? k;
        const kind = (/^[a-z_]+/.exec(key)?.[0] ?? 'thing') as SubscribeValueKind;
        let value = v;
        try {
          value = fitSubscribeValue(kind, v);
        } catch {
          // A value the template cannot show is sent as is; WeChat's refusal is recorded.
        }
        return [key, { value }];
      }),
    ),
  };
  const result = await adapter.send(message);
  if (result.ok) return settle(d, row, 'sent', result.providerId ?? null, 'sending');
  if (result.retryable && row.attempts < 4) {
    await d
      .update(n)
      .set({ status: 'queued', result: boundText(`${result.code}: ${result.detail}`, ERROR_TEXT_MAX) })
      .where(and(eq(n.id, row.id), eq(n.status, 'sending')))
      .run();
    return { retryInSeconds: 30 * (row.attempts + 1) };
  }
  return settle(d, row, 'failed', `${result.code}: ${result.detail}`, 'sending');
}

async function settle(d: Db, row: Row, status: Status, result: string | null, from: Status = row.status) {
  await preparedOnce(d, 'notify.settle', () =>
    d
      .update(notifications)
      .set({ status: sql`${sql.placeholder('status')}`, result: sql`${sql.placeholder('result')}` })
      .where(and(eq(notifications.id, sql.placeholder('id')), eq(notifications.status, sql.placeholder('from'))))
      .prepare(),
  ).run({ status, result: result === null ? null : boundText(result, ERROR_TEXT_MAX), id: row.id, from });
  return {};
}

/** What every delivery reads, prepared once per isolate (a campaign queues one per member). */
function deliveryReads(d: Db) {
  const n = notifications;
  return preparedOnce(d, 'notify.reads', () => ({
    row: d
      .select({
        id: n.id,
        brandId: n.brandId,
        memberId: n.memberId,
        storeId: n.storeId,
        category: n.category,
        template: n.template,
        data: n.data,
        status: n.status,
        sentAt: n.sentAt,
        attempts: n.attempts,
      })
      .from(n)
      .where(eq(n.id, sql.placeholder('id')))
      .prepare(),
    member: d
      .select({ openid: members.openid, deletedAt: members.deletedAt })
      .from(members)
      .where(eq(members.id, sql.placeholder('memberId')))
      .prepare(),
    consent: d
      .select({ granted: memberConsents.granted })
      .from(memberConsents)
      .where(and(eq(memberConsents.memberId, sql.placeholder('memberId')), eq(memberConsents.kind, 'marketing_push')))
      .orderBy(desc(memberConsents.createdAt), desc(sql`rowid`))
      .limit(1)
      .prepare(),
    sentSince: d
      .select({ n: count() })
      .from(n)
      .where(
        and(
          eq(n.memberId, sql.placeholder('memberId')),
          eq(n.category, 'marketing'),
          inArray(n.status, ['sent', 'sending']),
          gte(n.sentAt, sql.placeholder('since')),
          ne(n.id, sql.placeholder('id')),
        ),
      )
      .prepare(),
  }));
}
