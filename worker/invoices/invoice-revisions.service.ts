import { and, eq, inArray } from 'drizzle-orm';
import { reviseInvoice } from '../../domain/invoices/invoice-plan';
import { splitTax } from '../../domain/invoices/tax';
import { log } from '../../domain/log';
import { invoices } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { orderDue } from './invoice-amounts.service';
import { enqueueSubmissions } from './invoice-issuing.service';
import { type InvoiceRow, notYetIssued } from './invoice-rows';

/** The blue invoice that stands for a source now: the last one no red invoice flushes and not withdrawn. */
function standing(rows: InvoiceRow[]): InvoiceRow | undefined {
  const flushed = new Set(rows.filter((r) => r.reversesId).map((r) => r.reversesId));
  return rows
    .filter((r) => r.kind === 'blue' && r.status !== 'cancelled' && !flushed.has(r.id))
    .sort((a, b) => b.createdAt - a.createdAt)[0];
}

/**
 * After a refund of an order settles: makes its invoice say what the guest kept. A request not
 * yet at the platform is amended or withdrawn; an invoice at the platform is red-flushed whole
 * and, when something remains, re-issued for the remainder (domain/invoices/invoice-plan.ts
 * says why). The red and the re-issue are keyed by the invoice they follow (unique indexes),
 * so a replayed refund notice or a repeated refund flushes once.
 */
export async function reviseOrderInvoice(env: Env, orderId: string, now = Date.now()): Promise<void> {
  const d = db(env);
  const rows = await d
    .select()
    .from(invoices)
    .where(and(eq(invoices.source, 'order'), eq(invoices.sourceId, orderId)));
  const live = standing(rows);
  if (!live) return;
  const due = await orderDue(env, orderId);
  const revision = reviseInvoice(live, due);
  const unsent = inArray(invoices.status, ['requested', 'failed']);
  switch (revision.kind) {
    case 'keep':
      return;
    case 'amend':
      await d
        .update(invoices)
        .set({
          amount: revision.amount,
          taxAmount: splitTax(revision.amount, live.taxRateBp).tax,
          updatedAt: now,
        })
        .where(and(eq(invoices.id, live.id), unsent));
      return;
    case 'cancel':
      await d
        .update(invoices)
        .set({ status: 'cancelled', updatedAt: now })
        .where(and(eq(invoices.id, live.id), unsent));
      return;
    case 'red_flush': {
      const follow = (extra: Partial<InvoiceRow>): InvoiceRow => ({
        ...live,
        id: newId('inv'),
        reversesId: null,
        replacesId: null,
        ...notYetIssued(now),
        ...extra,
      });
      const red = follow({ kind: 'red', reversesId: live.id });
      const reissue =
        revision.reissue > 0
          ? follow({
              kind: 'blue',
              replacesId: live.id,
              amount: revision.reissue,
              taxAmount: splitTax(revision.reissue, live.taxRateBp).tax,
            })
          : null;
      const [putRed] = await d.batch([
        d.insert(invoices).values(red).onConflictDoNothing(),
        ...(reissue ? [d.insert(invoices).values(reissue).onConflictDoNothing()] : []),
      ]);
      if (putRed.meta.changes !== 1) return;
      log.info('invoice red-flushed after a refund', { orderId, invoiceId: live.id, reissue: revision.reissue });
      // The red goes once its blue is issued; the re-issue once the red is (invoice-issuing.service.ts).
      await enqueueSubmissions(env, [red.id], now);
    }
  }
}
