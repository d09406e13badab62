import { backoffSeconds } from '../domain/backoff';
import { log } from '../domain/log';
import { checkStoreAlerts } from '../worker/alerts/alerts-job.service';
import { derivePendingDays } from '../worker/analytics/rollup-pacing';
import { analyticsHourly, analyticsNightly, rebuildAnalytics } from '../worker/analytics/rollups-jobs.service';
import { settleExpiredGroups } from '../worker/campaigns/group-settlement.service';
import { hourlyCampaigns } from '../worker/campaigns/rule-campaigns.service';
import { recomputeSegments } from '../worker/campaigns/segments.service';
import { runChannelCall } from '../worker/channels/calls.service';
import { pollChannelOrders } from '../worker/channels/poll.service';
import { pollInvoices, submitInvoice } from '../worker/invoices/invoice-issuing.service';
import { nightlyLoyalty } from '../worker/loyalty/nightly-loyalty.service';
import { archiveOrders } from '../worker/orders/archive/archive-job.service';
import { reconcilePayments } from '../worker/payments/reconcile.service';
import { recomputeRecentProfiles } from '../worker/profiles/profiles.service';
import { recomputeRecommendStats } from '../worker/recommend/recommend-stats.service';
import { pruneD1 } from '../worker/retention/retention.service';
import { deliverWebhook } from '../worker/webhooks/deliveries.service';
import { fanOutBrandEvent } from '../worker/webhooks/fan-out.service';
import { JobMessage, type JobName } from './messages';

/**
 * What each job runs. Every one is safe to run twice for the same time: payments and group
 * buys move only by conditional updates, issuance is keyed per campaign, member and period,
 * points expire by lot, segments and recommendation statistics are recomputed whole, pruning
 * finds nothing twice, an archived month is appended to only with what it does not hold, a store has one open
 * alert per kind whose managers are notified once, KPI rollups re-derive whole days, and an
 * invoice moves only by conditional updates (the platform knows it by our id).
 */
const JOBS: Record<JobName, (env: Env, at: number, job: JobMessage) => Promise<unknown>> = {
  'payments.reconcile': (env, at) => reconcilePayments(env, at),
  'group-buys.settle': settleExpiredGroups,
  'campaigns.hourly': hourlyCampaigns,
  'loyalty.nightly': nightlyLoyalty,
  'segments.recompute': recomputeSegments,
  // Members with a completed order in the last two days, 50 a slice; each slice rewrites the same rows.
  'profiles.recompute': (env, at) => recomputeRecentProfiles(env, at),
  'retention.prune': (env, at) => pruneD1(env, at),
  // Whole store-months past ORDER_ARCHIVE_AFTER_DAYS to R2, a few a run; the rest queued as the next run.
  'orders.archive': (env, at) => archiveOrders(env, at),
  // Co-purchase partners and popular dishes per store and hour band, rewritten whole per brand.
  'recommend.stats': (env, at) => recomputeRecommendStats(env, at),
  'alerts.check': (env, at) => checkStoreAlerts(env, at),
  'analytics.hourly': analyticsHourly,
  'analytics.nightly': analyticsNightly,
  'analytics.rebuild': (env, at, job) => rebuildAnalytics(env, at, job.range),
  // Busy store-days an event moved inside their pace; its own clock, like a delivery's retry.
  'analytics.paced': (env) => derivePendingDays(env, Date.now()),
  'invoices.submit': (env, at, job) => (job.invoiceId ? submitInvoice(env, job.invoiceId, at) : Promise.resolve()),
  'invoices.poll': (env, at) => pollInvoices(env, at),
  // Its own clock: a retry runs when its message comes up, not at the time it was queued.
  'webhooks.deliver': (env, _at, job) => (job.deliveryId ? deliverWebhook(env, job.deliveryId) : Promise.resolve()),
  'webhooks.fan_out': (env, _at, job) => (job.event ? fanOutBrandEvent(env, job.event) : Promise.resolve()),
  // A platform call (Meituan, Ele.me): confirm, cancel, ready, refund answers, stock, menu; each safe to repeat.
  'channels.call': (env, _at, job) => (job.channelCall ? runChannelCall(env, job.channelCall) : Promise.resolve()),
  // Orders a platform's push never brought, taken as the push would have (idempotent by order id).
  'channels.poll': (env, at, job) => pollChannelOrders(env, at, job.pollBindingId),
};

/**
 * Runs due jobs one after another, in the order they came; webhook deliveries, each to its own
 * endpoint and each idempotent, run side by side (a batch is mostly them at a rush, and they
 * spend their time waiting on receivers). A job that throws is retried with back-off and, once
 * out of retries, recorded by the jobs dead-letter queue's consumer.
 */
export async function handleJobsBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const parsed = batch.messages.map((msg) => ({ msg, job: JobMessage.safeParse(msg.body) }));
  const deliveries = parsed.filter((p) => p.job.success && p.job.data.job === 'webhooks.deliver');
  await Promise.all(deliveries.map((p) => run(env, p.msg, p.job)));
  for (const p of parsed) if (!deliveries.includes(p)) await run(env, p.msg, p.job);
}

async function run(env: Env, msg: Message<unknown>, parsed: ReturnType<typeof JobMessage.safeParse>) {
  if (!parsed.success) {
    log.error('bad job message', { id: msg.id });
    msg.ack();
    return;
  }
  const { job, at } = parsed.data;
  try {
    await JOBS[job](env, at, parsed.data);
    msg.ack();
  } catch (e) {
    log.warn('job failed', { job, at, id: msg.id, error: e });
    msg.retry({ delaySeconds: backoffSeconds(msg.attempts, { base: 5, cap: 300 }) });
  }
}
