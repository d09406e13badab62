import { backoffSeconds } from '../domain/backoff';
import { mayPushMarketing } from '../domain/campaigns/targeting';
import { log } from '../domain/log';
import { localTime, zonedEpoch } from '../domain/zoned-time';
import type { Env } from '../worker/env';
import { fitSubscribeValue, type SubscribeMessage, type SubscribeValueKind } from '../worker/notify/push.adapter';
import { pushAdapterFor } from '../worker/notify/push.registry';
import { pushPolicy } from '../worker/notify/push-policy.service';

interface Row {
  id: string;
  brand_id: string;
  member_id: string;
  store_id: string | null;
  category: 'transactional' | 'marketing';
  template: string;
  data: string;
  status: string;
  sent_at: number | null;
  attempts: number;
}

/** A push claimed but never finished (the consumer died mid-send) is sent again after this. */
const STALE_SENDING_MS = 60_000;

/**
 * Delivers queued pushes. Each message names a notification row; the row's status makes
 * the handler idempotent (a sent or suppressed push is never sent again). Marketing
 * pushes need the member's consent, wait out quiet hours in store time, and claim one of
 * the day's slots with a conditional UPDATE, so concurrent deliveries cannot pass the cap.
 */
export async function handleNotifyBatch(batch: MessageBatch<unknown>, env: Env, now = Date.now()): Promise<void> {
  for (const msg of batch.messages) {
    const id = (msg.body as { notificationId?: unknown })?.notificationId;
    if (typeof id !== 'string') {
      log.error('bad notify message', { id: msg.id });
      msg.ack();
      continue;
    }
    try {
      const outcome = await deliver(env, id, now);
      if (outcome.retryInSeconds !== undefined) msg.retry({ delaySeconds: outcome.retryInSeconds });
      else msg.ack();
    } catch (e) {
      log.warn('notify failed', { id, error: e });
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts, { base: 5, cap: 300 }) });
    }
  }
}

async function deliver(env: Env, id: string, now: number): Promise<{ retryInSeconds?: number }> {
  const row = await env.DB.prepare(
    'SELECT id, brand_id, member_id, store_id, category, template, data, status, sent_at, attempts FROM notifications WHERE id = ?',
  )
    .bind(id)
    .first<Row>();
  if (!row) return {};
  const stale = row.status === 'sending' && (row.sent_at ?? 0) < now - STALE_SENDING_MS;
  if (row.status !== 'queued' && !stale) return {};
  const member = await env.DB.prepare('SELECT openid, deleted_at FROM members WHERE id = ?')
    .bind(row.member_id)
    .first<{ openid: string; deleted_at: number | null }>();
  if (!member || member.deleted_at !== null || !member.openid) return settle(env, row, 'suppressed', 'member_erased');

  let claim: D1PreparedStatement;
  if (row.category === 'marketing') {
    const policy = await pushPolicy(env, row.brand_id, row.store_id, now);
    const dayStart = zonedEpoch(localTime(now, policy.timeZone), 0, policy.timeZone);
    const [consent, today] = await env.DB.batch([
      env.DB.prepare(
        `SELECT granted FROM member_consents WHERE member_id = ? AND kind = 'marketing_push'
         ORDER BY created_at DESC, rowid DESC LIMIT 1`,
      ).bind(row.member_id),
      env.DB.prepare(
        `SELECT COUNT(*) AS n FROM notifications WHERE member_id = ? AND category = 'marketing'
         AND status IN ('sent', 'sending') AND sent_at >= ? AND id != ?`,
      ).bind(row.member_id, dayStart, row.id),
    ]);
    const verdict = mayPushMarketing({
      now,
      timeZone: policy.timeZone,
      quiet: policy.quietHours,
      sentToday: (today!.results[0] as { n: number }).n,
      dailyCap: policy.dailyCap,
      consent: (consent!.results[0] as { granted: number } | undefined)?.granted === 1,
    });
    if (!verdict.ok && verdict.reason === 'quiet_hours' && verdict.retryAt) {
      // Queues delay at most 12 hours; a longer wait is simply re-checked then.
      return { retryInSeconds: Math.min(43_200, Math.max(1, Math.ceil((verdict.retryAt - now) / 1000))) };
    }
    if (!verdict.ok) return settle(env, row, 'suppressed', verdict.reason);
    claim = env.DB.prepare(
      `UPDATE notifications SET status = 'sending', sent_at = ?, attempts = attempts + 1
       WHERE id = ? AND status = ? AND (SELECT COUNT(*) FROM notifications WHERE member_id = ? AND category = 'marketing'
         AND status IN ('sent', 'sending') AND sent_at >= ? AND id != ?) < ?`,
    ).bind(now, row.id, row.status, row.member_id, dayStart, row.id, policy.dailyCap);
  } else {
    claim = env.DB.prepare(
      `UPDATE notifications SET status = 'sending', sent_at = ?, attempts = attempts + 1 WHERE id = ? AND status = ?`,
    ).bind(now, row.id, row.status);
  }
  const claimed = await claim.run();
  if (claimed.meta.changes !== 1) {
    // Lost the day's last slot to a concurrent push, or another delivery took this one.
    const again = await env.DB.prepare('SELECT status FROM notifications WHERE id = ?')
      .bind(row.id)
      .first<{ status: string }>();
    return again?.status === row.status ? settle(env, row, 'suppressed', 'daily_cap') : {};
  }

  const { adapter, mapping } = pushAdapterFor(env, row.template);
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
  if (result.ok) return settle(env, row, 'sent', result.providerId ?? null, 'sending');
  if (result.retryable && row.attempts < 4) {
    await env.DB.prepare(`UPDATE notifications SET status = 'queued', result = ? WHERE id = ? AND status = 'sending'`)
      .bind(`${result.code}: ${result.detail}`, row.id)
      .run();
    return { retryInSeconds: 30 * (row.attempts + 1) };
  }
  return settle(env, row, 'failed', `${result.code}: ${result.detail}`, 'sending');
}

async function settle(env: Env, row: Row, status: string, result: string | null, from = row.status) {
  await env.DB.prepare('UPDATE notifications SET status = ?, result = ? WHERE id = ? AND status = ?')
    .bind(status, result, row.id, from)
    .run();
  return {};
}
