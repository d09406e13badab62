/*
 * Renders demo history rows as SQL for `wrangler d1 execute --file` (and for the tests):
 * multi-row `INSERT OR IGNORE` with inlined literals, each statement well under D1's
 * 100 KB, so a re-run inserts nothing that is already there. Row keys are the SQL column
 * names (as in seed.ts); test/domain/seed-history.test.ts checks them against the drizzle tables.
 */

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

const MAX_STATEMENT = 90_000;

export function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`non-finite history value ${value}`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * `INSERT OR IGNORE` statements for rows of one table (all rows share the first row's keys).
 * `upsert` names columns a re-run refreshes instead of ignoring (derived values such as a
 * points lot's remainder, which later days draw down).
 */
export function insertStatements(
  table: string,
  rows: readonly Row[],
  upsert?: { key: string[]; set: string[] },
): string[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0] as Row);
  const head = `INSERT${upsert ? '' : ' OR IGNORE'} INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES\n`;
  const tail = upsert
    ? `\nON CONFLICT (${upsert.key.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${upsert.set.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`
    : '';
  const out: string[] = [];
  let values: string[] = [];
  let size = head.length + tail.length;
  for (const row of rows) {
    const tuple = `(${columns.map((c) => literal(row[c] ?? null)).join(', ')})`;
    if (values.length > 0 && size + tuple.length + 2 > MAX_STATEMENT) {
      out.push(`${head}${values.join(',\n')}${tail};`);
      values = [];
      size = head.length + tail.length;
    }
    values.push(tuple);
    size += tuple.length + 2;
  }
  out.push(`${head}${values.join(',\n')}${tail};`);
  return out;
}
