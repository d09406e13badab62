import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';

/**
 * Pushes to members (WeChat subscribe messages), written before they are queued:
 * `key` is unique so a replayed trigger sends nothing twice, and the delivery result
 * stays on the row.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    storeId: text('store_id'),
    /** Transactional (order status, tier change) pushes are not capped; marketing ones are. */
    category: text('category', { enum: ['transactional', 'marketing'] }).notNull(),
    template: text('template').notNull(),
    /** JSON: template fields and the page to open. */
    data: text('data').notNull(),
    key: text('key').notNull(),
    campaignId: text('campaign_id'),
    status: text('status', { enum: ['queued', 'sending', 'sent', 'failed', 'suppressed'] }).notNull(),
    /** Why it failed or was suppressed (no consent, quiet hours, cap, provider code). */
    result: text('result'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('notifications_key').on(t.key),
    index('notifications_member').on(t.memberId, t.createdAt),
    index('notifications_campaign').on(t.campaignId),
    index('notifications_created').on(t.createdAt),
  ],
);
