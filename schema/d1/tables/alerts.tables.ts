import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';

/*
 * Store alerts (issue #15): a store's health crossed one of its brand's thresholds
 * (`domain/alerts/`). The 5-minute job keeps at most one OPEN alert per store and kind (a
 * partial unique index, so a retried or doubled job cannot open two): opening notifies the
 * store's managers once, staying open only refreshes the value, recovering resolves it.
 */
export const storeAlerts = sqliteTable(
  'store_alerts',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id').notNull(),
    /** `order_success_rate` | `placement_latency` | `printer_offline` | `printer_jobs_stuck` | `kitchen_late`. */
    kind: text('kind').notNull(),
    status: text('status', { enum: ['open', 'resolved'] }).notNull(),
    /** The measure when last seen firing (a rate in 0–1, ms, seconds or a count, by kind) and its threshold. */
    value: real('value').notNull(),
    threshold: real('threshold').notNull(),
    /** Short human detail: which printers, which tickets. */
    detail: text('detail').notNull().default(''),
    openedAt: integer('opened_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    resolvedAt: integer('resolved_at'),
    /** Set once managers were notified (the job retries notifying until it is). */
    notifiedAt: integer('notified_at'),
    acknowledgedAt: integer('acknowledged_at'),
    /** `stf_…` or `adm_…` of who acknowledged. */
    acknowledgedBy: text('acknowledged_by'),
  },
  (t) => [
    uniqueIndex('store_alerts_one_open').on(t.storeId, t.kind).where(sql`status = 'open'`),
    index('store_alerts_store').on(t.storeId, t.status, t.openedAt),
    index('store_alerts_brand').on(t.brandId, t.status, t.openedAt),
  ],
);

/**
 * A staff member's notification inbox: written before it is queued (`key` unique, so a
 * retried job writes it once), delivered by the notify consumer, which also pushes it to
 * the staff member's WeChat when they linked one (`staff_push_targets`).
 */
export const staffNotifications = sqliteTable(
  'staff_notifications',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    staffId: text('staff_id').notNull(),
    storeId: text('store_id'),
    alertId: text('alert_id'),
    /** Our push template name (`store_alert`). */
    template: text('template').notNull(),
    /** JSON: template fields and the page to open. */
    data: text('data').notNull(),
    key: text('key').notNull(),
    /** Push delivery: `suppressed` when the staff member has no push target (the inbox row stays). */
    status: text('status', { enum: ['queued', 'sending', 'sent', 'failed', 'suppressed'] }).notNull(),
    result: text('result'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
    readAt: integer('read_at'),
  },
  (t) => [
    uniqueIndex('staff_notifications_key').on(t.key),
    index('staff_notifications_staff').on(t.staffId, t.createdAt),
  ],
);

/** Where a staff member's pushes go: their openid in the brand's mini program. */
export const staffPushTargets = sqliteTable('staff_push_targets', {
  staffId: text('staff_id').primaryKey(),
  brandId: text('brand_id').notNull(),
  openid: text('openid').notNull(),
  createdAt: createdAt(),
});

/**
 * What a brand's admins must hear about that is no store's alert: a webhook endpoint was
 * disabled (it answered 410 Gone, or failed for five days). Shown in the console to every admin
 * of the brand until one marks it read; `key` unique so a retried job posts it once.
 */
export const adminNotices = sqliteTable(
  'admin_notices',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    /** `webhook_disabled`. */
    kind: text('kind').notNull(),
    /** The record it is about (`whe_…`): the console links to it. */
    subjectId: text('subject_id').notNull(),
    title: text('title').notNull(),
    detail: text('detail').notNull().default(''),
    key: text('key').notNull(),
    createdAt: createdAt(),
    readAt: integer('read_at'),
    /** `adm_…` of who marked it read. */
    readBy: text('read_by'),
  },
  (t) => [uniqueIndex('admin_notices_key').on(t.key), index('admin_notices_brand').on(t.brandId, t.createdAt)],
);
