import type { Env } from '../env';
import { newId } from '../lib/ids';

export interface NotifyRequest {
  brandId: string;
  memberId: string;
  storeId?: string | null;
  /** Transactional pushes (order status, tier change, points expiry) are not capped. */
  category: 'transactional' | 'marketing';
  /** Our template name; the brand maps it to a WeChat subscribe-message template id. */
  template: string;
  data: Record<string, string>;
  page?: string;
  /** Unique per push: a replayed trigger sends nothing twice. */
  key: string;
  campaignId?: string | null;
}

export interface NotifyMessage {
  notificationId: string;
}

/**
 * Records a push and queues it for delivery. The row is written first with a unique
 * key, so a trigger that runs twice (a replayed event, a cron run twice) queues once.
 */
export async function notify(env: Env, req: NotifyRequest, now = Date.now()): Promise<string | null> {
  const id = newId('ntf');
  const r = await env.DB.prepare(
    `INSERT INTO notifications (id, brand_id, member_id, store_id, category, template, data, key, campaign_id, status, attempts, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?) ON CONFLICT(key) DO NOTHING`,
  )
    .bind(
      id,
      req.brandId,
      req.memberId,
      req.storeId ?? null,
      req.category,
      req.template,
      JSON.stringify({ fields: req.data, page: req.page ?? null }),
      req.key,
      req.campaignId ?? null,
      now,
    )
    .run();
  if (r.meta.changes !== 1) {
    // Recorded before: if its send never happened (it failed after the row committed), send
    // it now; delivery is idempotent by the row's status, so a second message is harmless.
    const seen = await env.DB.prepare(`SELECT id FROM notifications WHERE key = ? AND status = 'queued'`)
      .bind(req.key)
      .first<{ id: string }>();
    if (seen) await env.NOTIFY_QUEUE.send({ notificationId: seen.id } satisfies NotifyMessage, { contentType: 'json' });
    return null;
  }
  await env.NOTIFY_QUEUE.send({ notificationId: id } satisfies NotifyMessage, { contentType: 'json' });
  return id;
}
