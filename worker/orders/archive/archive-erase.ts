import { and, eq } from 'drizzle-orm';
import { encodeMonth, latestOrders } from '../../../domain/order-archive';
import { anonymizedOrderBody } from '../../../domain/privacy';
import { orderArchiveMembers } from '../../../schema/d1/tables';
import type { Env } from '../../env';
import { db } from '../../lib/db';
import { recordStatements } from './archive-job.service';
import { readMonthObject, writeMonthObject } from './archive-objects';

/**
 * Erasure reaches the archive: every month object holding the member's orders is rewritten
 * with those orders' bodies anonymized as D1's are (no address, phone, note or invoice; the
 * amounts and lines stay, as the accounting records do), and compacted to one line an order,
 * so no older line keeps what was erased. The refs of the month are rewritten with it. A
 * month whose bodies are already anonymized is left as it is: erasing twice writes nothing.
 * Returns the archived orders of the member it covered.
 */
export async function eraseArchivedOrders(env: Env, brandId: string, memberId: string, now: number) {
  const d = db(env);
  const a = orderArchiveMembers;
  const months = await d
    .select({ storeId: a.storeId, month: a.month })
    .from(a)
    .where(and(eq(a.memberId, memberId), eq(a.brandId, brandId)));
  let orders = 0;
  for (const m of months) {
    const prior = await readMonthObject(env, m.storeId, m.month);
    if (!prior) continue;
    let changed = false;
    const rows = latestOrders(prior.bytes).map((o) => {
      if (o.memberId !== memberId) return o;
      orders++;
      const body = anonymizedOrderBody(o.body);
      if (body === o.body) return o;
      changed = true;
      return { ...o, body };
    });
    if (!changed) continue;
    const encoded = encodeMonth(rows);
    const written = await writeMonthObject(env, m.storeId, m.month, encoded, prior.etag);
    await d.batch(
      recordStatements(d, { brandId, storeId: m.storeId, month: m.month, at: now }, encoded, written.bytes, []),
    );
  }
  return { orders };
}
