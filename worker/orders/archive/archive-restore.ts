import { and, eq, sql } from 'drizzle-orm';
import type { ArchivedOrder } from '../../../domain/order-archive';
import { orderHistory } from '../../../schema/d1/tables';
import type { Db } from '../../lib/db';

/*
 * An archived day put back into `order_history` for one D1 batch (a transaction), so the
 * rollup statements read it as they read any day, and taken out at the batch's end. Rows
 * put back carry `last_seq = -1` (real rows start at seq 1): the cleanup removes those only,
 * and a row D1 still holds for the same order wins (INSERT OR IGNORE).
 */

const RESTORED_SEQ = -1;
const ROWS_PER_STATEMENT = 200;

/** Statements inserting the day's archived orders back, in chunks of JSON parameters. */
export function restoreStatements(d: Db, s: { storeId: string }, rows: ArchivedOrder[]) {
  const h = orderHistory;
  const out = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = JSON.stringify(rows.slice(i, i + ROWS_PER_STATEMENT));
    const f = (name: string) => sql.raw(`json_extract(j.value, '$.${name}')`);
    out.push(
      // The select list follows the table's column order, as drizzle's insert-select lists them.
      d
        .insert(h)
        .select(
          sql`SELECT ${f('id')}, ${f('brandId')}, ${s.storeId}, ${f('memberId')}, ${f('ticketNo')}, ${f('mode')},
            ${f('status')}, ${f('total')}, ${f('body')}, ${RESTORED_SEQ}, ${f('createdAt')}, ${f('updatedAt')},
            ${f('businessDay')}, ${f('localHour')}
          FROM json_each(${part}) AS j WHERE true`,
        )
        .onConflictDoNothing(),
    );
  }
  return out;
}

/** The statement removing what `restoreStatements` put back for a store-day. */
export const restoredCleanup = (d: Db, s: { storeId: string; day: string }) =>
  d
    .delete(orderHistory)
    .where(
      and(
        eq(orderHistory.storeId, s.storeId),
        eq(orderHistory.businessDay, s.day),
        eq(orderHistory.lastSeq, RESTORED_SEQ),
      ),
    );
