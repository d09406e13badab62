/*
 * What to invoice and how a refund changes an invoice: pure decisions over plain rows.
 *
 * An order is invoiced for the money actually paid for it, after coupons and refunds.
 * Stored value is invoiced when it is bought (a top-up), so the part of an order paid from
 * the balance, and points, are left out: one yuan is never invoiced twice.
 *
 * A refund never edits an issued invoice (an issued invoice is a tax record): a full refund
 * red-flushes (红冲) it whole; a partial refund red-flushes it whole and issues a new blue
 * invoice for what remains. Tax authorities accept a partial red invoice only with a red
 * confirmation form (红字确认单) per line, which a meal's single 餐饮服务 line makes awkward;
 * flush-and-reissue needs no form for an unaccepted digital invoice and leaves the guest one
 * valid invoice for the true amount.
 */

export type InvoiceStatus = 'requested' | 'issuing' | 'issued' | 'failed' | 'reversed' | 'cancelled';

/** A tender of an order or a top-up, with what of it was paid back for good. */
export interface PaidTender {
  method: string;
  amount: number;
  /** Refunds of this tender that succeeded (processing ones may still fail). */
  refunded: number;
}

/** Methods whose money is not invoiced with the order: stored value (invoiced at top-up) and points. */
const NOT_INVOICED_WITH_ORDER = new Set(['balance', 'points']);

/** The amount an order may be invoiced for: what its external tenders kept, in cents. */
export function orderInvoiceable(tenders: PaidTender[]): number {
  return tenders
    .filter((t) => !NOT_INVOICED_WITH_ORDER.has(t.method))
    .reduce((sum, t) => sum + Math.max(0, t.amount - t.refunded), 0);
}

/** The amount a top-up may be invoiced for: the money paid in, less any refunded. */
export function topupInvoiceable(t: PaidTender): number {
  return Math.max(0, t.amount - t.refunded);
}

/** The invoice that currently stands for a source, as the revision sees it. */
export interface LiveInvoice {
  status: InvoiceStatus;
  amount: number;
}

export type Revision =
  /** The invoice already says the right amount. */
  | { kind: 'keep' }
  /** Not yet at the tax authority: change the request's amount before it goes. */
  | { kind: 'amend'; amount: number }
  /** Not yet at the tax authority and nothing is left to invoice: withdraw the request. */
  | { kind: 'cancel' }
  /** At the tax authority: a red invoice for the whole, and a new blue for `reissue` when > 0. */
  | { kind: 'red_flush'; reissue: number };

/** How the standing invoice follows the amount now due (after a refund). */
export function reviseInvoice(live: LiveInvoice, due: number): Revision {
  if (live.status === 'cancelled' || live.status === 'reversed') return { kind: 'keep' };
  if (live.amount === due) return { kind: 'keep' };
  if (live.status === 'requested' || live.status === 'failed') {
    return due > 0 ? { kind: 'amend', amount: due } : { kind: 'cancel' };
  }
  return { kind: 'red_flush', reissue: Math.max(0, due) };
}

/** An invoice and what it waits on before it may be sent to the provider. */
export interface SubmitCandidate {
  kind: 'blue' | 'red';
  status: InvoiceStatus;
  /** A red invoice: the status of the blue it reverses. */
  reversedStatus?: InvoiceStatus | null;
  /** A re-issued blue: the status of the red that flushed its predecessor. */
  predecessorRedStatus?: InvoiceStatus | null;
}

/**
 * Whether an invoice may go to the provider now: it is requested, a red one only once its
 * blue is issued (there is nothing to flush before), and a re-issue only once the red that
 * flushed its predecessor is issued (so the guest never holds two live invoices).
 */
export function readyToSubmit(c: SubmitCandidate): boolean {
  if (c.status !== 'requested') return false;
  if (c.kind === 'red') return c.reversedStatus === 'issued' || c.reversedStatus === 'reversed';
  if (c.predecessorRedStatus !== undefined) return c.predecessorRedStatus === 'issued';
  return true;
}

/** Staff may send a failed invoice again; nothing else needs a retry. */
export const canRetry = (status: InvoiceStatus) => status === 'failed';
