import { isoInZone } from '../../domain/zoned-time';
import type { invoices } from '../../schema/d1/tables';

/** An `invoices` row as drizzle reads it. */
export type InvoiceRow = typeof invoices.$inferSelect;

/** Invoices are Chinese tax documents: a top-up (no store) is shown in China time. */
export const INVOICE_TIME_ZONE = 'Asia/Shanghai';

/** The fields of an invoice the platform has not seen yet: requested, unsent, nothing back. */
export const notYetIssued = (now: number) => ({
  status: 'requested' as const,
  serialNo: null,
  invoiceNumber: null,
  pdfUrl: null,
  failCause: null,
  attempts: 0,
  createdAt: now,
  updatedAt: now,
  issuedAt: null,
});

/** The invoice as its guest sees it; the PDF link only once there is one. */
export function invoiceView(r: InvoiceRow, timeZone = INVOICE_TIME_ZONE) {
  return {
    id: r.id,
    kind: r.kind,
    source: r.source,
    sourceId: r.sourceId,
    storeId: r.storeId,
    buyer: { type: r.buyerType, title: r.title, taxNumber: r.taxNumber, email: r.email },
    amount: r.amount,
    taxAmount: r.taxAmount,
    taxRate: r.taxRateBp / 10_000,
    taxCode: r.taxCode,
    status: r.status,
    invoiceNumber: r.invoiceNumber,
    pdfUrl: r.status === 'issued' || r.status === 'reversed' ? r.pdfUrl : null,
    reversesId: r.reversesId,
    replacesId: r.replacesId,
    createdAt: isoInZone(r.createdAt, timeZone),
    issuedAt: r.issuedAt === null ? null : isoInZone(r.issuedAt, timeZone),
  };
}

/** The invoice as staff see it: with the platform's reason for a failure. */
export function staffInvoiceView(r: InvoiceRow, timeZone = INVOICE_TIME_ZONE) {
  return { ...invoiceView(r, timeZone), memberId: r.memberId, failCause: r.failCause, attempts: r.attempts };
}
