/*
 * One interface over an e-invoice issuing platform (诺诺 today; 百望 or WeChat Pay fapiao
 * later). Issuance is asynchronous everywhere: `submit` hands the invoice over and gets the
 * platform's serial number, `query` later tells whether the tax authority issued it.
 */

import { Failure, type FailureStatus } from '../../../domain/failure';

export interface IssueRequest {
  /** Our invoice id, the platform's `orderNo`: unique, so a repeated submission is recognised. */
  orderNo: string;
  kind: 'blue' | 'red';
  buyer: { type: 'personal' | 'company'; title: string; taxNumber: string | null; email: string };
  /** Tax-inclusive cents, with its split (domain/invoices/tax.ts). */
  amount: number;
  net: number;
  tax: number;
  taxRateBp: number;
  taxCode: string;
  goodsName: string;
  /** Epoch ms the invoice is dated. */
  at: number;
  /** A red invoice: the blue invoice it flushes, as the platform knows it. */
  reverses?: { serialNo: string; invoiceNumber: string | null };
  /** A retry of an invoice the platform refused: its serial number there (the platform re-opens it). */
  retryOf?: string;
}

export interface InvoiceOutcome {
  serialNo: string;
  orderNo: string;
  status: 'issuing' | 'issued' | 'failed';
  invoiceNumber?: string;
  pdfUrl?: string;
  /** The platform's reason, for staff (never shown to a guest as is). */
  failCause?: string;
}

export type IssuerErrorCode = 'invoice.provider_unavailable' | 'invoice.provider_rejected';

/**
 * A platform call that failed. `invoice.provider_unavailable` may pass with time (network,
 * credentials, throttling): the job retries. `invoice.provider_rejected` will not (the
 * platform refused this invoice): it is marked failed for staff to fix and retry.
 */
export class IssuerError extends Failure {
  declare readonly code: IssuerErrorCode;

  constructor(code: IssuerErrorCode, message: string) {
    const [status, detail] = issuerFailures[code];
    super(status, code, detail);
    this.name = 'IssuerError';
    this.message = message;
  }
}

const issuerFailures: Record<IssuerErrorCode, [FailureStatus, string]> = {
  'invoice.provider_unavailable': [503, 'The invoicing platform is unavailable; retry shortly.'],
  'invoice.provider_rejected': [502, 'The invoicing platform refused this invoice.'],
};

export interface InvoiceIssuer {
  readonly name: 'nuonuo';
  /** Hands an invoice to the platform; its serial number. A repeat of the same `orderNo` answers the first serial. */
  submit(req: IssueRequest): Promise<{ serialNo: string }>;
  /** Where each submitted invoice stands (unknown serials are left out). */
  query(serialNos: string[]): Promise<InvoiceOutcome[]>;
}
