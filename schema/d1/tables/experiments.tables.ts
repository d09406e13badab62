import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';

/**
 * An experiment (issue #20), one brand's: `key` is what the guest's app and the services ask
 * for, unique per brand. `variants` is JSON `[{ key, weight, value? }]`, the first being the
 * control; `conversion` is JSON `{ type: 'order_completed' | 'event', windowDays, event? }`.
 * `salt` is fixed at creation, so assignments never move for the experiment's life.
 */
export const experiments = sqliteTable(
  'experiments',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    key: text('key').notNull(),
    kind: text('kind', { enum: ['page_flag', 'campaign_coupon', 'recommendation_strategy'] }).notNull(),
    name: text('name').notNull(),
    variants: text('variants').notNull(),
    conversion: text('conversion').notNull(),
    /** For `campaign_coupon`: the campaign whose coupon each variant's template replaces. */
    campaignId: text('campaign_id'),
    status: text('status', { enum: ['draft', 'running', 'stopped'] })
      .notNull()
      .default('draft'),
    salt: text('salt').notNull(),
    startedAt: integer('started_at'),
    stoppedAt: integer('stopped_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('experiments_key').on(t.brandId, t.key), index('experiments_status').on(t.brandId, t.status)],
);

/**
 * A member's assignment, written at first exposure: the variant recorded then is theirs for
 * the experiment's life, whatever the weights become. The primary key makes exposure
 * idempotent, and `converted_at` is set once (only while null), so a conversion counts once.
 */
export const experimentAssignments = sqliteTable(
  'experiment_assignments',
  {
    experimentId: text('experiment_id').notNull(),
    memberId: text('member_id').notNull(),
    brandId: text('brand_id').notNull(),
    variant: text('variant').notNull(),
    exposedAt: integer('exposed_at').notNull(),
    convertedAt: integer('converted_at'),
    /** The completed order that converted the member, when it was an order. */
    conversionOrderId: text('conversion_order_id'),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.memberId] }),
    index('experiment_assignments_member').on(t.memberId, t.exposedAt),
  ],
);
