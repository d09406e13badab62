import { handleEventsBatch } from '../queues/events.consumer';
import { handleNotifyBatch } from '../queues/notify.consumer';
import { app } from './app';
import type { Env } from './env';
import { nightlyLoyalty } from './loyalty/maintenance.service';
import { reconcilePayments } from './payments/reconcile.service';

/** The nightly cron: 19:00 UTC is 03:00 in China, the quietest hour for a restaurant brand. */
export const NIGHTLY = '0 19 * * *';

export { StoreDO } from '../durable-objects/store/store.do';

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue === 'tiffin-events') return handleEventsBatch(batch, env);
    if (batch.queue === 'tiffin-notify') return handleNotifyBatch(batch, env);
    throw new Error(`no consumer for queue ${batch.queue}`);
  },
  async scheduled(controller, env, ctx) {
    // Every five minutes: settle payments whose callbacks were lost, close stale ones.
    if (controller.cron === '*/5 * * * *') ctx.waitUntil(reconcilePayments(env, controller.scheduledTime));
    // 03:00 China time: points expiry and reminders, tier reviews, birthday gifts.
    if (controller.cron === NIGHTLY) ctx.waitUntil(nightlyLoyalty(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
