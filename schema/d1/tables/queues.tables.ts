import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';

/** Messages that exhausted their retries, kept for admins to read and re-drive. */
export const deadLetters = sqliteTable(
  'dead_letters',
  {
    id: text('id').primaryKey(),
    queue: text('queue').notNull(),
    body: text('body').notNull(),
    attempts: integer('attempts').notNull(),
    createdAt: createdAt(),
    redrivenAt: integer('redriven_at'),
  },
  (t) => [index('dead_letters_queue').on(t.queue, t.redrivenAt), index('dead_letters_created').on(t.createdAt)],
);
