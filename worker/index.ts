import { handleCouponsBatch } from '../queues/coupons.consumer';
import { dueJobs } from '../queues/crons';
import { failDeadPushes, recordDeadLetters } from '../queues/dead-letters.consumer';
import { handleEventsBatch } from '../queues/events.consumer';
import { handleJobsBatch } from '../queues/jobs.consumer';
import { enqueueJobs } from '../queues/messages';
import { handleNotifyBatch } from '../queues/notify.consumer';
import { app } from './app';
import type { Env } from './env';

// The main module exports only handlers and Durable Object classes: workerd refuses anything else.

export { MemberShardDO } from '../durable-objects/member-shard/member-shard.do';
export { StoreDO } from '../durable-objects/store/store.do';

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue === 'tiffin-events') return handleEventsBatch(batch, env);
    if (batch.queue === 'tiffin-notify') return handleNotifyBatch(batch, env);
    if (batch.queue === 'tiffin-coupons') return handleCouponsBatch(batch, env);
    if (batch.queue === 'tiffin-jobs') return handleJobsBatch(batch, env);
    if (batch.queue === 'tiffin-coupons-dlq') return recordDeadLetters(batch, env, 'tiffin-coupons');
    if (batch.queue === 'tiffin-events-dlq') return recordDeadLetters(batch, env, 'tiffin-events');
    if (batch.queue === 'tiffin-jobs-dlq') return recordDeadLetters(batch, env, 'tiffin-jobs');
    if (batch.queue === 'tiffin-notify-dlq') return failDeadPushes(batch, env);
    throw new Error(`no consumer for queue ${batch.queue}`);
  },
  // A cron only decides what is due and queues it: the jobs consumer runs each with retries.
  async scheduled(controller, env, _ctx) {
    const jobs = dueJobs(controller.cron, controller.scheduledTime);
    if (jobs.length > 0) await enqueueJobs(env.JOBS_QUEUE, jobs);
  },
} satisfies ExportedHandler<Env>;
