import { integer } from 'drizzle-orm/sqlite-core';

/*
 * D1 tables: the catalog source and everything cross-store, one file per domain. Ids are
 * prefixed text (`brd_…`, `sto_…`), money is integer cents, times are epoch milliseconds.
 * Structured values that are always read whole (opening hours, tags, windows) are JSON text.
 */

export const createdAt = () => integer('created_at').notNull();
export const updatedAt = () => integer('updated_at').notNull();
