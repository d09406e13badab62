import { fillPlaceholders, type SQL, sql } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';

/** Anything drizzle can turn into SQL text and its parameters. */
interface Compilable {
  toSQL(): { sql: string; params: unknown[] };
}

const dialect = new SQLiteAsyncDialect();

/** A statement compiled once, bound per use; the bound statements go into `env.DB.batch`. */
export type Compiled<V> = (values: V) => D1PreparedStatement;

/**
 * A named placeholder standing in for a value while a statement's shape is built, typed as
 * the value it stands for so the ordinary statement builders accept it.
 */
export const slot = <T = string>(name: string): T => sql.placeholder(name) as unknown as T;

/**
 * Compiles a drizzle statement built with `slot`s once and binds it per use. Building SQL
 * costs more than D1 running it: campaign issuance writes the same three statements for
 * every member of a slice, so it builds them once per slice instead of once per member.
 * The SQL still comes from the table objects, so a renamed column still fails `tsc`.
 * (The one place the code base prepares D1 statements itself; see ARCHITECTURE.md.)
 */
export function compile<V extends Record<string, unknown>>(d1: D1Database, query: Compilable | SQL): Compiled<V> {
  const { sql: text, params } = toQuery(query);
  const statement = d1.prepare(text);
  return (values) => statement.bind(...fillPlaceholders(params, values));
}

/**
 * A drizzle statement as a plain D1 statement for `env.DB.batch`, beside compiled ones
 * (drizzle's own batch takes only its builders): a query builder, or a set statement written
 * with drizzle's `sql` (an INSERT … SELECT over `json_each`, which the builders cannot say).
 * Table and column names still come in as the table objects, so a renamed one still fails `tsc`.
 */
export function prepared(d1: D1Database, query: Compilable | SQL): D1PreparedStatement {
  const { sql: text, params } = toQuery(query);
  return d1.prepare(text).bind(...params);
}

const toQuery = (query: Compilable | SQL) => ('toSQL' in query ? query.toSQL() : dialect.sqlToQuery(query));

const preparedByHandle = new WeakMap<object, Map<string, unknown>>();

/**
 * A drizzle prepared query (built with `sql.placeholder`s) kept per drizzle handle (one per
 * D1 binding, `db(env)`), so a
 * consumer that runs the same reads for every message (a push delivery per member) builds
 * their SQL once per isolate, not once per message.
 */
export function preparedOnce<T>(handle: object, name: string, prepare: () => T): T {
  let queries = preparedByHandle.get(handle);
  if (!queries) {
    queries = new Map();
    preparedByHandle.set(handle, queries);
  }
  let query = queries.get(name) as T | undefined;
  if (query === undefined) {
    query = prepare();
    queries.set(name, query);
  }
  return query;
}
