import { DAY } from './time';

/*
 * How long each growing table keeps its rows, and why (README "Retention" says the same).
 * The store object holds what today's service, refunds and disputes need; the history a
 * member or manager reads lives in D1 `order_history`, kept with the money records until its
 * store-months pass ORDER_ARCHIVE_AFTER_DAYS and move to R2 (`domain/order-archive.ts`).
 */

/** Inside each store (StoreDO SQLite), pruned by the store's alarm. */
export const STORE_RETENTION = {
  /**
   * Finished orders (completed, cancelled, refunded): 90 days for refunds and disputes, and
   * only once D1 history holds their final status and no event of theirs is unsent.
   */
  orders: 90 * DAY,
  /** Closed table sessions, once none of their orders is left. */
  tableSessions: 90 * DAY,
  /** Bumped or cancelled kitchen tickets: today's service and the next day's "recall". */
  kitchenTickets: 2 * DAY,
  /** The kitchen event log displays catch up from (also capped by count in `kitchen.ts`). */
  kitchenEvents: 2 * DAY,
  /** Printer jobs, printed or not: a ticket two days old is no use to a kitchen. */
  printerJobs: 2 * DAY,
  /** Outbox events once the queue took them, kept for diagnosis. */
  outboxSent: 1 * DAY,
} as const;

/** Brand-wide tables in D1, pruned by the nightly `retention.prune` job. */
export const D1_RETENTION = {
  /** Payment events about a verified payment or callback: the accounting period. */
  paymentEvents: 180 * DAY,
  /** Refused (unverified, unsigned) callbacks: anyone can send them, so only a week. */
  refusedPaymentEvents: 7 * DAY,
  reconciliationRuns: 30 * DAY,
  /** Sent, failed or suppressed pushes (queued ones stay until they settle). */
  notifications: 90 * DAY,
  /** Who did what (erasures, exports, refunds): two years. */
  auditLog: 730 * DAY,
  /** Dead letters 30 days after they were re-driven ... */
  resolvedDeadLetters: 30 * DAY,
  /** ... and 90 days after they arrived when nobody did. */
  deadLetters: 90 * DAY,
  campaignRuns: 365 * DAY,
  weatherChecks: 30 * DAY,
  /**
   * Refresh tokens past their expiry (a used one is kept until then: reuse detection needs it),
   * invitations a month after they expired or were accepted, phone codes a day after expiry.
   */
  expiredRefreshTokens: 0,
  settledInvitations: 30 * DAY,
  expiredPhoneCodes: 1 * DAY,
  /** Webhook deliveries: the log an admin reads and replays from. */
  webhookDeliveries: 30 * DAY,
  /** Deliveries held for a disabled endpoint, and pending ones it never got: past this they are not sent. */
  heldWebhookDeliveries: 3 * DAY,
} as const;

/** Payment event kinds written for callbacks whose signature did not verify. */
export const REFUSED_PAYMENT_EVENT_KINDS = ['notify_refused'] as const;

/** Rows one delete statement removes; a run does a bounded number of these and comes back. */
export const PRUNE_CHUNK = 500;

/** The most rows of one table one store alarm or one D1 job removes before coming back. */
export const PRUNE_CHUNKS_PER_RUN = 10;

/** Stored error and result text (provider messages, printer codes, thrown errors). */
export const ERROR_TEXT_MAX = 500;

/** A payment event's stored detail (JSON), which may quote a provider's message. */
export const PAYMENT_EVENT_DETAIL_MAX = 2_000;

/** The time before which rows kept for `keep` may go. */
export const cutoff = (now: number, keep: number) => now - keep;
