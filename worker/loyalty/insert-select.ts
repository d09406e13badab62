import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * A row as the select list of a guarded `INSERT … SELECT` (`db.insert(t).select(...)`):
 * every column of `table`, in the table's order (drizzle's column list), as a bound value.
 * Guarded inserts write only when their WHERE holds, which `.values()` cannot say.
 */
export function selectList<TT extends SQLiteTable>(table: TT, row: Required<TT['$inferInsert']>) {
  const values = row as Record<string, unknown>;
  return Object.fromEntries(Object.keys(getTableColumns(table)).map((k) => [k, sql`${values[k]}`.as(k)])) as {
    [K in keyof TT['$inferInsert']]-?: SQL.Aliased;
  };
}
