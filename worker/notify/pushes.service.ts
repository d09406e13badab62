import { and, eq } from 'drizzle-orm';
import { enqueuePushes } from '../../queues/messages';
import { notifications } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
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

/**
 * Records a push and queues it for delivery. The row is written first with a unique
 * key, so a trigger that runs twice (a replayed event, a cron run twice) queues once.
 */
export async function notify(env: Env, req: NotifyRequest, now = Date.now()): Promise<string | null> {
  const id = newId('ntf');
  const d = db(env);
  const r = await d
    .insert(notifications)
    .values({
      id,
      brandId: req.brandId,
      memberId: req.memberId,
      storeId: req.storeId ?? null,
      category: req.category,
      template: req.template,
      data: JSON.stringify({ fields: req.data, page: req.page ?? null }),
      key: req.key,
      campaignId: req.campaignId ?? null,
      status: 'queued',
      attempts: 0,
      createdAt: now,
    })
    .onConflictDoNothing({ target: notifications.key })
    .run();
  if (r.meta.changes !== 1) {
    // Recorded before: if its send never happened (it failed after the row committed), send
    // it now; delivery is idempotent by the row's status, so a second message is harmless.
    const seen = await d
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.key, req.key), eq(notifications.status, 'queued')))
      .get();
    if (seen) await enqueuePushes(env.NOTIFY_QUEUE, [seen.id]);
    return null;
  }
  await enqueuePushes(env.NOTIFY_QUEUE, [id]);
  return id;
}
