import { handleEventsBatch } from '../queues/events.consumer';
import { app } from './app';
import type { Env } from './env';
import { reconcilePayments } from './payments/reconcile.service';

export { StoreDO } from '../durable-objects/store/store.do';

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue === 'tiffin-events') return handleEventsBatch(batch, env);
    throw new Error(`no consumer for queue ${batch.queue}`);
  },
  async scheduled(controller, env, ctx) {
    // Every five minutes: settle payments whose callbacks were lost, close stale ones.
    if (controller.cron === '*/5 * * * *') ctx.waitUntil(reconcilePayments(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
