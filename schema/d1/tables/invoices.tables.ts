import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';

/**
 * E-invoices (电子发票): a guest's request for a completed order or a wallet top-up, and the
 * red (红冲) and re-issued invoices a refund makes of it. `id` is the provider's `orderNo`,
 * so a repeated submission is recognised there. Amounts are tax-inclusive cents, positive
 * for red invoices too (`kind` says which way). Invoices are tax records: member erasure
 * does not remove them.
 */
export const invoices = sqliteTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    /** The order's store; null for a top-up (a brand's wallet). */
    storeId: text('store_id'),
    memberId: text('member_id').notNull(),
    source: text('source', { enum: ['order', 'topup'] }).notNull(),
    /** The order id or the top-up's payment id. */
    sourceId: text('source_id').notNull(),
    kind: text('kind', { enum: ['blue', 'red'] }).notNull(),
    /** A red invoice: the blue one it flushes. */
    reversesId: text('reverses_id'),
    /** A blue invoice re-issued after a partial refund: the blue one it replaces. */
    replacesId: text('replaces_id'),
    buyerType: text('buyer_type', { enum: ['personal', 'company'] }).notNull(),
    title: text('title').notNull(),
    taxNumber: text('tax_number'),
    email: text('email').notNull(),
    amount: integer('amount').notNull(),
    taxAmount: integer('tax_amount').notNull(),
    taxRateBp: integer('tax_rate_bp').notNull(),
    taxCode: text('tax_code').notNull(),
    goodsName: text('goods_name').notNull(),
    status: text('status', {
      enum: ['requested', 'issuing', 'issued', 'failed', 'reversed', 'cancelled'],
    }).notNull(),
    /** The provider's serial number (诺诺 invoiceSerialNum), once submitted. */
    serialNo: text('serial_no'),
    /** The invoice number (数电票号码), once issued. */
    invoiceNumber: text('invoice_number'),
    pdfUrl: text('pdf_url'),
    /** Why the provider refused it (its own words, for staff). */
    failCause: text('fail_cause'),
    /** Submissions made, retries included. */
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    issuedAt: integer('issued_at'),
  },
  (t) => [
    // One original request per order or top-up; re-issues after a refund name what they replace.
    uniqueIndex('invoices_source_original').on(t.source, t.sourceId).where(sql`kind = 'blue' AND replaces_id IS NULL`),
    // A blue invoice is flushed once and replaced once, however often a refund is replayed.
    uniqueIndex('invoices_reverses').on(t.reversesId),
    uniqueIndex('invoices_replaces').on(t.replacesId),
    index('invoices_member').on(t.memberId, t.createdAt),
    index('invoices_store').on(t.storeId, t.createdAt),
    index('invoices_source').on(t.source, t.sourceId),
    index('invoices_pending').on(t.status, t.updatedAt),
  ],
);
