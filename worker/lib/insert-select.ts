import { getTableColumns, is, SQL, sql } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './db';

/*
 * Guarded inserts, `INSERT … SELECT … WHERE`: a row written only if a condition checked by the
 * same statement holds, which drizzle's `.values()` cannot say. Three grains of one idea:
 * `insertWhere` (a whole row under a condition), `selectList` (a whole row selected FROM a
 * guarding table) and `valueAs` (one bound column in a hand-built select list).
 */

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

/** A bound value selected as a column's value, for an INSERT … SELECT. */
export const valueAs = (value: string | number | null, column: AnySQLiteColumn) => sql`${value}`.as(column.name);

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
