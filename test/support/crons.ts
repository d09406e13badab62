import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import type { JobMessage } from '../../queues/messages';
import worker from '../../worker/index';

let counter = 0;

/**
 * Fires a Cron Trigger at `at` as Cloudflare would, then hands the jobs it queued to the
 * jobs consumer (instead of the local queue, in the background), so the test sees their
 * effects when this returns. A job that failed is thrown, as the cron itself once did.
 */
export async function runCron(cron: string, at = Date.now()) {
  const queued: JobMessage[] = [];
  const sendBatch = vi.spyOn(env.JOBS_QUEUE, 'sendBatch').mockImplementation(async (messages) => {
    for (const m of messages) queued.push(m.body);
    return undefined as never;
  });
  const send = vi.spyOn(env.JOBS_QUEUE, 'send').mockImplementation(async (body) => {
    queued.push(body);
    return undefined as never;
  });
  try {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron, scheduledTime: at }), env, ctx);
    await waitOnExecutionContext(ctx);
  } finally {
    sendBatch.mockRestore();
    send.mockRestore();
  }
  if (queued.length === 0) return;
  const batch = createMessageBatch(
    'tiffin-jobs',
    queued.map((body) => ({ id: `job${counter++}`, timestamp: new Date(at), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  if (result.retryMessages.length > 0) {
    throw new Error(`cron ${cron}: ${result.retryMessages.map((m) => m.msgId).join(', ')} failed (see the log)`);
  }
}
