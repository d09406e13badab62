import type { JobMessage } from './messages';

/** The Cron Triggers in wrangler.toml. 19:00 UTC is 03:00 in China, a restaurant's quietest hour. */
export const FREQUENT = '*/5 * * * *';
export const HOURLY = '0 * * * *';
export const NIGHTLY = '0 19 * * *';

/**
 * The jobs a cron makes due at `at` (its scheduled time, which every job takes as its clock).
 * `scheduled()` only queues these; the jobs consumer runs them, in this order within a batch.
 */
export function dueJobs(cron: string, at: number): JobMessage[] {
  switch (cron) {
    case FREQUENT:
      // Settle payments whose callbacks were lost, close stale ones; fail group buys past their time;
      // ask every store for its health and open or resolve its alerts; ask the invoicing
      // platform which submitted e-invoices it has issued; ask the delivery platforms for
      // orders whose push was lost; re-derive busy store-days left pending if their own job was lost.
      return [
        { job: 'payments.reconcile', at },
        { job: 'group-buys.settle', at },
        { job: 'alerts.check', at },
        { job: 'invoices.poll', at },
        { job: 'channels.poll', at },
        { job: 'analytics.paced', at },
      ];
    case HOURLY:
      // Rule campaigns: recall, weather, night owls, birthday, member day, segments; today's
      // brand KPIs (points, coupons, new members).
      return [
        { job: 'campaigns.hourly', at },
        { job: 'analytics.hourly', at },
      ];
    case NIGHTLY:
      // Points expiry and reminders, tier reviews, birthday gifts, then RFM segments and the
      // profiles of members with recent orders; then
      // what the retention policy no longer keeps; then the KPI rollups of the last days,
      // re-derived from their sources (after expiry, so expired points are counted); last,
      // order history months past ORDER_ARCHIVE_AFTER_DAYS move to R2 (after the recommendation
      // statistics, which read the last 30 days of it).
      return [
        { job: 'loyalty.nightly', at },
        { job: 'segments.recompute', at },
        { job: 'profiles.recompute', at },
        { job: 'retention.prune', at },
        { job: 'analytics.nightly', at },
        { job: 'recommend.stats', at },
        { job: 'orders.archive', at },
      ];
    default:
      return [];
  }
}
