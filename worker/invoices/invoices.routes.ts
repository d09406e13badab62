import { createRoute, z } from '@hono/zod-openapi';
import {
  Invoice,
  InvoiceList,
  InvoiceRequestBody,
  InvoiceTaxSettings,
  StaffInvoice,
  StaffInvoiceList,
  StaffInvoiceQuery,
} from '../../schema/api/invoices.schemas';
import { requireRole } from '../http/auth';
import { idempotencyHeaders } from '../http/idempotency';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Invoices'];
const security = bearer;
const invoiceParams = z.object({ invoiceId: idParam('invoiceId', 'inv_3f9c0a1b2c3d4e5f6a7b') });

export const requestInvoiceRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/invoices',
  operationId: 'invoices.request',
  'x-idempotent': true,
  tags,
  security,
  middleware: [requireRole('member')] as const,
  summary: 'Request an e-invoice (电子发票) for a completed order or a wallet top-up',
  description:
    'Queued for the invoicing platform (202); read it back for its status and, once issued, its PDF link (also ' +
    'pushed to the guest). The amount is what was paid after coupons and refunds; the part paid from the ' +
    'balance or with points is left out (stored value is invoiced at top-up). Asking again with the same buyer ' +
    'answers the same invoice. 422 names the field: `orderId` not yours (`invoice.order_unknown`), not completed ' +
    '(`invoice.order_not_completed`), already invoiced (`invoice.already_requested`), nothing to invoice ' +
    '(`invoice.nothing_to_invoice`); `topupId` likewise; `taxNumber`, `email`, unknown properties ' +
    '(`validation.failed`). 503 `invoice.not_configured` where no invoicing platform is set up.',
  request: {
    // Accepted like everywhere else; a repeat is recognised by its source and buyer anyway.
    headers: idempotencyHeaders,
    body: jsonBody(InvoiceRequestBody),
  },
  responses: {
    202: jsonOk(Invoice, 'Requested and queued'),
    200: jsonOk(Invoice, 'Requested before with the same buyer: that invoice'),
    ...writeErrors,
    ...errorResponses(503),
  },
});

export const myInvoicesRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/invoices',
  operationId: 'invoices.mine',
  tags,
  security,
  middleware: [requireRole('member')] as const,
  summary: 'The member’s e-invoices, newest first (red-flushes and re-issues after refunds included)',
  responses: { 200: jsonOk(InvoiceList), ...readErrors },
});

export const myInvoiceRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/invoices/{invoiceId}',
  operationId: 'invoices.get',
  tags,
  security,
  middleware: [requireRole('member')] as const,
  summary: 'One of the member’s e-invoices: its status and, once issued, the PDF link',
  request: { params: invoiceParams },
  responses: { 200: jsonOk(Invoice), ...readErrors },
});

export const storeInvoicesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/stores/{storeId}/invoices',
  operationId: 'invoices.listStore',
  tags,
  security,
  middleware: [requireRole('admin', 'staff')] as const,
  summary: 'A store’s e-invoices for its staff and the brand’s admins, with the platform’s reason for failures',
  description: 'A store the caller may not see is 404 `store.not_found`. Top-up invoices (no store) are not listed.',
  request: { params: z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') }), query: StaffInvoiceQuery },
  responses: { 200: jsonOk(StaffInvoiceList), ...readErrors },
});

export const retryInvoiceRoute = createRoute({
  method: 'post',
  path: '/v1/admin/invoices/{invoiceId}/retry',
  operationId: 'invoices.retry',
  tags,
  security,
  middleware: [requireRole('admin', 'staff')] as const,
  summary: 'Send a failed e-invoice to the invoicing platform again',
  description:
    'Staff of the invoice’s store and the brand’s admins (a top-up’s invoice: admins). 409 `invoice.not_failed` ' +
    'for an invoice that has not failed; 503 `invoice.not_configured` where no platform is set up.',
  request: { params: invoiceParams },
  responses: { 200: jsonOk(StaffInvoice, 'Queued again'), ...writeErrors, ...errorResponses(503) },
});

export const getInvoiceTaxRoute = createRoute({
  method: 'get',
  path: '/v1/admin/invoices/settings',
  operationId: 'invoices.settings',
  tags,
  security,
  middleware: [requireRole('admin')] as const,
  summary: 'The brand’s invoice tax setting: tax classification code, VAT rate, line name (defaults if unset)',
  responses: { 200: jsonOk(InvoiceTaxSettings), ...readErrors },
});

export const putInvoiceTaxRoute = createRoute({
  method: 'put',
  path: '/v1/admin/invoices/settings',
  operationId: 'invoices.setSettings',
  tags,
  security,
  middleware: [requireRole('admin')] as const,
  summary: 'Replace the brand’s invoice tax setting (invoices requested from now on use it)',
  request: { body: jsonBody(InvoiceTaxSettings) },
  responses: { 200: jsonOk(InvoiceTaxSettings), ...writeErrors },
});
