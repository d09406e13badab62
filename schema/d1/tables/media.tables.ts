import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';

/**
 * Every picture in the `MEDIA` bucket, by its content-addressed key (`i/<hash>.jpg` a dish
 * image, `r/<hash>.png` a review photo). A dish image no item uses any more is deleted at
 * once; one a published menu still shows is `released_at` and swept after the next publish.
 */
export const mediaObjects = sqliteTable(
  'media_objects',
  {
    key: text('key').primaryKey(),
    kind: text('kind', { enum: ['item', 'review'] }).notNull(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: createdAt(),
    releasedAt: integer('released_at'),
  },
  (t) => [index('media_objects_released').on(t.releasedAt)],
);

/** Which member uploaded which review photo (the same photo twice is one row): the per-member cap. */
export const memberPhotos = sqliteTable(
  'member_photos',
  {
    memberId: text('member_id').notNull(),
    key: text('key').notNull(),
    brandId: text('brand_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.key] }), index('member_photos_recent').on(t.memberId, t.createdAt)],
);
