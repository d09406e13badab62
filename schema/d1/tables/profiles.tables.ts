import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One profile per member, computed from their completed orders (`domain/profiles/`), kept
 * only while the member grants the personalisation consent: withdrawing it, erasure and the
 * member's own DELETE remove the row. The columns campaign audiences match on are their own
 * (JSON arrays for `json_each`); everything else is in `detail`.
 */
export const memberProfiles = sqliteTable(
  'member_profiles',
  {
    memberId: text('member_id').primaryKey(),
    brandId: text('brand_id').notNull(),
    /** JSON string[]: taste tags, most evidence first, without the member's exclusions. */
    tags: text('tags').notNull().default('[]'),
    /** JSON string[]: the meal scenes with a large enough share of orders, without exclusions. */
    scenes: text('scenes').notNull().default('[]'),
    spendingLevel: text('spending_level', { enum: ['low', 'mid', 'high'] }),
    healthLeaning: text('health_leaning', { enum: ['fried', 'light', 'balanced'] }),
    /** JSON: the whole computed profile (`ProfileFacts`). */
    detail: text('detail').notNull().default('{}'),
    /** JSON `{ tags, scenes }` the member asked not to be used; every recompute leaves them out. */
    exclusions: text('exclusions').notNull().default('{"tags":[],"scenes":[]}'),
    lastOrderAt: integer('last_order_at'),
    computedAt: integer('computed_at').notNull(),
  },
  (t) => [index('member_profiles_brand').on(t.brandId)],
);
