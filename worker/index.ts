import { handleCouponsBatch } from '../queues/coupons.consumer';
import { failDeadPushes, recordDeadLetters } from '../queues/dead-letters.consumer';
import { handleEventsBatch } from '../queues/events.consumer';
import { handleNotifyBatch } from '../queues/notify.consumer';
import { app } from './app';
import { settleExpiredGroups } from './campaigns/group-settlement.service';
import { hourlyCampaigns } from './campaigns/rule-campaigns.service';
import { recomputeSegments } from './campaigns/segments.service';
import { FREQUENT, HOURLY, NIGHTLY } from './crons';
import type { Env } from './env';
import { nightlyLoyalty } from './loyalty/nightly-loyalty.service';
import { reconcilePayments } from './payments/reconcile.service';

// The main module exports only handlers and Durable Object classes: workerd refuses anything else.

export { StoreDO } from '../durable-objects/store/store.do';

export default {
  fetch: app.fetch,
  async queue(batch, env, _ctx) {
    if (batch.queue === 'tiffin-events') return handleEventsBatch(batch, env);
    if (batch.queue === 'tiffin-notify') return handleNotifyBatch(batch, env);
    if (batch.queue === 'tiffin-coupons') return handleCouponsBatch(batch, env);
    if (batch.queue === 'tiffin-coupons-dlq') return recordDeadLetters(batch, env, 'tiffin-coupons');
    if (batch.queue === 'tiffin-events-dlq') return recordDeadLetters(batch, env, 'tiffin-events');
    if (batch.queue === 'tiffin-notify-dlq') return failDeadPushes(batch, env);
    throw new Error(`no consumer for queue ${batch.queue}`);
  },
  async scheduled(controller, env, ctx) {
    const at = controller.scheduledTime;
    switch (controller.cron) {
      case FREQUENT:
        // Settle payments whose callbacks were lost, close stale ones; fail group buys past their time.
        ctx.waitUntil(reconcilePayments(env, at));
        ctx.waitUntil(settleExpiredGroups(env, at));
        break;
      case HOURLY:
        // Rule campaigns: recall, weather, night owls, birthday, member day, segments.
        ctx.waitUntil(hourlyCampaigns(env, at));
        break;
      case NIGHTLY:
        // Points expiry and reminders, tier reviews, birthday gifts, then RFM segments.
        ctx.waitUntil(nightlyLoyalty(env, at).then(() => recomputeSegments(env, at)));
        break;
    }
  },
} satisfies ExportedHandler<Env>;
