import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Brands whose demo data `npm start` has seeded: the seed runs once per brand, so rows deleted
 * or renamed through the API stay that way across restarts. A key `<brand>:promotions` marks
 * the demo promotions (seed-promotions.ts), seeded once on their own.
 */
export const demoSeed = sqliteTable('demo_seed', {
  brandId: text('brand_id').primaryKey(),
  seededAt: integer('seeded_at').notNull(),
});
