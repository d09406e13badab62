import type { Env } from '../worker/env';

/**
 * A dead-letter queue's consumer: what exhausted its retries on `queue` is kept in D1,
 * once per message, for admins to read and re-drive (`GET /v1/admin/dead-letters`).
 */
export async function recordDeadLetters(batch: MessageBatch<unknown>, env: Env, queue: string, now = Date.now()) {
  await env.DB.batch(
    batch.messages.map((msg) =>
      env.DB.prepare(
        `INSERT INTO dead_letters (id, queue, body, attempts, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO NOTHING`,
      ).bind(`dlq_${msg.id}`, queue, JSON.stringify(msg.body), msg.attempts, now),
    ),
  );
  for (const msg of batch.messages) msg.ack();
}

/** A push that exhausted its retries is marked failed on its row, so nobody waits for it. */
export async function failDeadPushes(batch: MessageBatch<unknown>, env: Env) {
  const ids = batch.messages
    .map((m) => (m.body as { notificationId?: unknown })?.notificationId)
    .filter((id): id is string => typeof id === 'string');
  if (ids.length > 0) {
    await env.DB.batch(
      ids.map((id) =>
        env.DB.prepare(
          `UPDATE notifications SET status = 'failed', result = coalesce(result, 'retries exhausted')
           WHERE id = ? AND status IN ('queued', 'sending')`,
        ).bind(id),
      ),
    );
  }
  for (const msg of batch.messages) msg.ack();
}
