import { z } from '@hono/zod-openapi';
import { TAX_CODE, TAX_RATES_BP } from '../../domain/invoices/tax';
import { taxNumberProblem } from '../../domain/invoices/tax-number';

/*
 * E-invoices (电子发票, issue #18): a guest's request, the invoice as it moves through the
 * invoicing platform, and the brand's tax setting. README "E-invoices".
 */

const id = (example: string) => z.string().min(1).max(64).openapi({ example });

export const InvoiceRequestBody = z
  .object({
    orderId: id('ord_3f9c2a1b7d4e_sto_demo_peoplesq')
      .optional()
      .openapi({ description: 'a completed order of yours (give this or `topupId`)' }),
    topupId: id('pay_3f9c2a1b7d4e5f6a7b8c')
      .optional()
      .openapi({ description: 'a confirmed wallet top-up of yours: its payment id (give this or `orderId`)' }),
    type: z.enum(['personal', 'company']).openapi({ description: '个人 or 单位' }),
    title: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .openapi({ description: 'the buyer’s name (抬头)', example: '上海示例餐饮管理有限公司' }),
    taxNumber: z
      .string()
      .trim()
      .toUpperCase()
      .optional()
      .openapi({
        description:
          'the buyer’s taxpayer number, required for a company: an 18-character unified social credit code ' +
          '(check character verified) or 15–20 capital letters and digits',
        example: '91350100M000100Y43',
      }),
    email: z
      .string()
      .trim()
      .email()
      .max(254)
      .openapi({ description: 'where the PDF is sent', example: 'ap@example.com' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.orderId === undefined) === (b.topupId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [b.orderId ? 'topupId' : 'orderId'],
        message: 'give exactly one of orderId and topupId',
      });
    }
    if (b.type === 'company' && !b.taxNumber) {
      ctx.addIssue({
        code: 'custom',
        path: ['taxNumber'],
        message: 'a company invoice needs the buyer’s taxpayer number',
      });
    }
    const problem = b.taxNumber ? taxNumberProblem(b.taxNumber) : null;
    if (problem) ctx.addIssue({ code: 'custom', path: ['taxNumber'], message: problem });
  })
  .openapi('InvoiceRequest');
export type InvoiceRequestBody = z.infer<typeof InvoiceRequestBody>;

const InvoiceStatus = z.enum(['requested', 'issuing', 'issued', 'failed', 'reversed', 'cancelled']).openapi({
  description:
    '`requested` (queued for the platform) → `issuing` (the platform has it) → `issued` (the PDF is ready) or ' +
    '`failed` (staff retry it); a refund turns an issued invoice `reversed` once its red invoice is issued; a ' +
    'request refunded before it was issued is `cancelled`',
});

export const Invoice = z
  .object({
    id: z.string().openapi({ example: 'inv_3f9c0a1b2c3d4e5f6a7b' }),
    kind: z.enum(['blue', 'red']).openapi({ description: '`red`: a red-flush (红冲) of the invoice in `reversesId`' }),
    source: z.enum(['order', 'topup']),
    sourceId: z.string().openapi({ description: 'the order id, or the top-up’s payment id' }),
    storeId: z.string().nullable(),
    buyer: z.object({
      type: z.enum(['personal', 'company']),
      title: z.string(),
      taxNumber: z.string().nullable(),
      email: z.string(),
    }),
    amount: z
      .number()
      .int()
      .openapi({ description: 'cents, tax included (价税合计); a red invoice flushes this much' }),
    taxAmount: z.number().int().openapi({ description: 'cents of VAT within `amount`' }),
    taxRate: z.number().openapi({ example: 0.06 }),
    taxCode: z.string().openapi({ example: '3070401000000000000' }),
    status: InvoiceStatus,
    invoiceNumber: z.string().nullable().openapi({ description: 'the digital invoice number, once issued' }),
    pdfUrl: z.string().nullable().openapi({ description: 'the invoice PDF, once issued' }),
    reversesId: z.string().nullable().openapi({ description: 'a red invoice: the blue invoice it flushes' }),
    replacesId: z
      .string()
      .nullable()
      .openapi({ description: 'an invoice re-issued after a partial refund: the one it replaces' }),
    createdAt: z.string().openapi({ description: 'ISO 8601 in the store’s time zone (China time for a top-up)' }),
    issuedAt: z.string().nullable(),
  })
  .openapi('Invoice');

/** What staff see besides: the platform's reason for a failure and how often it was sent. */
export const StaffInvoice = Invoice.extend({
  memberId: z.string(),
  failCause: z.string().nullable(),
  attempts: z.number().int(),
}).openapi('StaffInvoice');

export const InvoiceList = z.object({ items: z.array(Invoice) }).openapi('InvoiceList');
export const StaffInvoiceList = z.object({ items: z.array(StaffInvoice) }).openapi('StaffInvoiceList');

export const StaffInvoiceQuery = z.object({
  status: InvoiceStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const InvoiceTaxSettings = z
  .object({
    taxCode: z.string().regex(TAX_CODE, '19 digits').openapi({
      description: '税收分类编码 (default 3070401000000000000 餐饮服务)',
      example: '3070401000000000000',
    }),
    taxRate: z
      .number()
      .refine((r) => TAX_RATES_BP.some((bp) => Math.abs(bp / 10_000 - r) < 1e-9), {
        message: `one of ${TAX_RATES_BP.map((bp) => bp / 10_000).join(', ')}`,
      })
      .openapi({
        description: 'VAT rate, tax included in prices: 0, 0.01, 0.03, 0.05, 0.06, 0.09 or 0.13 (default 0.06)',
        example: 0.06,
      }),
    goodsName: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .openapi({ description: 'the line’s name (default 餐费)', example: '餐费' }),
  })
  .strict()
  .openapi('InvoiceTaxSettings');
