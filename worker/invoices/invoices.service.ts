import { and, desc, eq, isNull } from 'drizzle-orm';
import { canRetry } from '../../domain/invoices/invoice-plan';
import { splitTax } from '../../domain/invoices/tax';
import { storeOfOrder } from '../../domain/orders/order-ids';
import type { ProblemCode } from '../../domain/problem-codes';
import type { InvoiceRequestBody } from '../../schema/api/invoices.schemas';
import { invoices } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { orderViewer } from '../http/auth';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { findPayment } from '../payments/payments.service';
import { storeContext, storeStub } from '../stores/store-gateway';
import { orderDue, topupDue } from './invoice-amounts.service';
import { enqueueSubmissions } from './invoice-issuing.service';
import { INVOICE_TIME_ZONE, type InvoiceRow, invoiceView, notYetIssued, staffInvoiceView } from './invoice-rows';
import { brandInvoiceTax } from './invoice-settings.service';
import { issuerFor } from './providers/registry';

/** A 422 naming the field, with a stable code of its own. */
const refused = (code: ProblemCode, path: string, message: string) =>
  new ApiError(422, code, `The invoice cannot be requested: ${path} ${message}.`, { errors: [{ path, message }] });

interface InvoiceSource {
  source: 'order' | 'topup';
  sourceId: string;
  storeId: string | null;
  timeZone: string;
  due: number;
}

/** A completed order of the member's, and what of it may be invoiced; 422 `orderId` otherwise. */
async function orderSource(env: Env, p: Principal, orderId: string): Promise<InvoiceSource> {
  const notYours = () => refused('invoice.order_unknown', 'orderId', 'is not an order of yours');
  const storeId = storeOfOrder(orderId);
  const ctx = storeId ? await storeContext(env, storeId).catch(() => null) : null;
  if (!ctx || ctx.store.brandId !== p.brandId) throw notYours();
  const read = await storeStub(env, ctx.store.id).getOrder(orderId, orderViewer(p));
  if (!read.ok || read.value.memberId !== p.subject) throw notYours();
  if (read.value.status !== 'completed') {
    throw refused('invoice.order_not_completed', 'orderId', `is ${read.value.status}, not completed`);
  }
  const due = await orderDue(env, orderId);
  if (due <= 0) {
    throw refused(
      'invoice.nothing_to_invoice',
      'orderId',
      'has nothing to invoice (paid from the balance, invoiced at top-up, or with points, or refunded)',
    );
  }
  return { source: 'order', sourceId: orderId, storeId: ctx.store.id, timeZone: ctx.store.timeZone, due };
}

/** A confirmed top-up of the member's; 422 `topupId` otherwise. */
async function topupSource(env: Env, p: Principal, paymentId: string): Promise<InvoiceSource> {
  const pay = await findPayment(env, paymentId);
  if (pay?.purpose !== 'topup' || pay.member_id !== p.subject || pay.brand_id !== p.brandId) {
    throw refused('invoice.topup_unknown', 'topupId', 'is not a top-up of yours');
  }
  if (pay.status !== 'succeeded') throw refused('invoice.topup_not_paid', 'topupId', `is ${pay.status}, not paid`);
  const due = await topupDue(env, pay);
  if (due <= 0) throw refused('invoice.nothing_to_invoice', 'topupId', 'was refunded');
  return { source: 'topup', sourceId: paymentId, storeId: null, timeZone: INVOICE_TIME_ZONE, due };
}

const sameBuyer = (r: InvoiceRow, b: InvoiceRequestBody) =>
  r.buyerType === b.type && r.title === b.title && r.taxNumber === (b.taxNumber ?? null) && r.email === b.email;

/**
 * A member's invoice request for a completed order or a confirmed top-up: checked, stored
 * as `requested` and queued for the platform. Asking again with the same buyer answers the
 * invoice already requested; anything else for an invoiced source is 422 `invoice.already_requested`.
 */
export async function requestInvoice(env: Env, p: Principal, body: InvoiceRequestBody, now = Date.now()) {
  issuerFor(env);
  const src = body.orderId ? await orderSource(env, p, body.orderId) : await topupSource(env, p, body.topupId!);
  const field = src.source === 'order' ? 'orderId' : 'topupId';
  const d = db(env);
  const original = () =>
    d
      .select()
      .from(invoices)
      .where(
        and(
          eq(invoices.source, src.source),
          eq(invoices.sourceId, src.sourceId),
          eq(invoices.kind, 'blue'),
          isNull(invoices.replacesId),
        ),
      )
      .get();
  const answerFor = (r: InvoiceRow) => {
    if (r.memberId === p.subject && sameBuyer(r, body))
      return { invoice: invoiceView(r, src.timeZone), created: false };
    throw refused('invoice.already_requested', field, 'already has an invoice');
  };
  const earlier = await original();
  if (earlier) return answerFor(earlier);
  const setting = await brandInvoiceTax(env, p.brandId);
  const row: InvoiceRow = {
    id: newId('inv'),
    brandId: p.brandId,
    storeId: src.storeId,
    memberId: p.subject,
    source: src.source,
    sourceId: src.sourceId,
    kind: 'blue',
    reversesId: null,
    replacesId: null,
    buyerType: body.type,
    title: body.title,
    taxNumber: body.taxNumber ?? null,
    email: body.email,
    amount: src.due,
    taxAmount: splitTax(src.due, setting.taxRateBp).tax,
    taxRateBp: setting.taxRateBp,
    taxCode: setting.taxCode,
    goodsName: setting.goodsName,
    ...notYetIssued(now),
  };
  const put = await d.insert(invoices).values(row).onConflictDoNothing().run();
  if (put.meta.changes !== 1) {
    // A twin request won the unique index a moment ago.
    const twin = await original();
    if (twin) return answerFor(twin);
  }
  await enqueueSubmissions(env, [row.id], now);
  return { invoice: invoiceView(row, src.timeZone), created: true };
}

async function timeZoneOf(env: Env, storeId: string | null) {
  if (!storeId) return INVOICE_TIME_ZONE;
  return (await storeContext(env, storeId).catch(() => null))?.store.timeZone ?? INVOICE_TIME_ZONE;
}

/** The member's invoices, newest first (red and re-issued ones included). */
export async function myInvoices(env: Env, p: Principal) {
  const rows = await db(env)
    .select()
    .from(invoices)
    .where(and(eq(invoices.memberId, p.subject), eq(invoices.brandId, p.brandId)))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(200);
  const zones = new Map<string | null, string>();
  for (const r of rows) if (!zones.has(r.storeId)) zones.set(r.storeId, await timeZoneOf(env, r.storeId));
  return rows.map((r) => invoiceView(r, zones.get(r.storeId)));
}

/** One of the member's invoices; another's is 404 `invoice.not_found`. */
export async function myInvoice(env: Env, p: Principal, invoiceId: string) {
  const r = await db(env).select().from(invoices).where(eq(invoices.id, invoiceId)).get();
  if (!r || r.memberId !== p.subject || r.brandId !== p.brandId) throw notFound('invoice', invoiceId);
  return invoiceView(r, await timeZoneOf(env, r.storeId));
}

/** A store's invoices for its staff and the brand's admins, newest first. */
export async function storeInvoices(env: Env, storeId: string, q: { status?: InvoiceRow['status']; limit: number }) {
  const rows = await db(env)
    .select()
    .from(invoices)
    .where(and(eq(invoices.storeId, storeId), q.status ? eq(invoices.status, q.status) : undefined))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .limit(q.limit);
  const zone = await timeZoneOf(env, storeId);
  return rows.map((r) => staffInvoiceView(r, zone));
}

/**
 * Sends a failed invoice to the platform again (after the cause was fixed there, or a
 * passing refusal). Staff of its store and the brand's admins; a top-up's, admins only.
 */
export async function retryInvoice(env: Env, p: Principal, invoiceId: string, now = Date.now()) {
  const d = db(env);
  const r = await d.select().from(invoices).where(eq(invoices.id, invoiceId)).get();
  const visible =
    r && r.brandId === p.brandId && (p.role === 'admin' || (r.storeId !== null && p.storeIds.includes(r.storeId)));
  if (!r || !visible) throw notFound('invoice', invoiceId);
  issuerFor(env);
  if (!canRetry(r.status)) {
    throw new ApiError(409, 'invoice.not_failed', `Only a failed invoice is retried; this one is ${r.status}.`);
  }
  await d
    .update(invoices)
    .set({ status: 'requested', failCause: null, updatedAt: now })
    .where(and(eq(invoices.id, r.id), eq(invoices.status, 'failed')));
  await enqueueSubmissions(env, [r.id], now);
  const fresh = (await d.select().from(invoices).where(eq(invoices.id, r.id)).get()) as InvoiceRow;
  return staffInvoiceView(fresh, await timeZoneOf(env, r.storeId));
}
