import { and, inArray, sql } from 'drizzle-orm';
import { deadLetters, notifications } from '../schema/d1/tables';
import { db } from '../worker/lib/db';
import { failStaffNotifications, STAFF_NOTIFICATION_PREFIX } from '../worker/notify/staff-pushes.service';
import { NotifyMessage } from './messages';

/**
 * A dead-letter queue's consumer: what exhausted its retries on `queue` is kept in D1,
 * once per message, for admins to read and re-drive (`GET /v1/admin/dead-letters`). The
 * body is kept as it came, even one its queue's schema refuses: it is evidence.
 */
export async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env, queue: string, now = Date.now()) {
  const d = db(env);
  // One insert a message (a D1 statement binds at most 100 values), in one transaction.
  const inserts = batch.messages.map((msg) =>
    d
      .insert(deadLetters)
      .values({ id: `dlq_${msg.id}`, queue, body: JSON.stringify(msg.body), attempts: msg.attempts, createdAt: now })
      .onConflictDoNothing({ target: deadLetters.id }),
  );
  if (inserts.length > 0) await d.batch(inserts as [(typeof inserts)[number], ...typeof inserts]);
  for (const msg of batch.messages) msg.ack();
}

/** A push that exhausted its retries is marked failed on its row, so nobody waits for it. */
export async function failDeadPushes(batch: MessageBatch<unknown>, env: Env) {
  const ids = batch.messages.flatMap((m) => {
    const parsed = NotifyMessage.safeParse(m.body);
    return parsed.success ? [parsed.data.notificationId] : [];
  });
  const staffIds = ids.filter((id) => id.startsWith(STAFF_NOTIFICATION_PREFIX));
  await failStaffNotifications(env, staffIds);
  if (ids.length > staffIds.length) {
    await db(env)
      .update(notifications)
      .set({ status: 'failed', result: sql`coalesce(${notifications.result}, 'retries exhausted')` })
      .where(and(inArray(notifications.id, ids), inArray(notifications.status, ['queued', 'sending'])));
  }
  for (const msg of batch.messages) msg.ack();
}
