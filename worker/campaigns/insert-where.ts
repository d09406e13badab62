import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../lib/db';

/**
 * `INSERT INTO table (…) SELECT … WHERE condition`: the row is written only if the condition,
 * checked by the same statement, holds, so no concurrent write slips in between (a seat after
 * the count that took it, one open bargain per member). Drizzle's insert-select lists every
 * column of the table, so the select gives each one: the row's value, else the column's
 * default, else null. An insert builder (not raw SQL) so it can run inside `db.batch`.
 */
export function insertWhere<T extends SQLiteTable>(d: Db, table: T, row: T['$inferInsert'], condition: SQL) {
  const values = row as Record<string, unknown>;
  const selected = Object.entries(getTableColumns(table))
    .filter(([, col]) => !col.generated)
    .map(([key, col]) => {
      const value = values[key] !== undefined ? values[key] : (col.default ?? null);
      return is(value, SQL) ? value : sql.param(value, col);
    });
  return d.insert(table).select(sql`SELECT ${sql.join(selected, sql`, `)} WHERE ${condition}`);
}
