import { and, eq, sql } from 'drizzle-orm';
import { orderInvoiceable, type PaidTender, topupInvoiceable } from '../../domain/invoices/invoice-plan';
import { refunds } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import type { PaymentRow } from '../payments/payment-rows';
import { orderPayments } from '../payments/payments.service';

/** What each payment got back for good: refunds that succeeded (a processing one may still fail). */
async function refundedFor(env: Env, where: ReturnType<typeof eq>): Promise<Map<string, number>> {
  const rows = await db(env)
    .select({ paymentId: refunds.paymentId, sum: sql<number>`sum(${refunds.amount})` })
    .from(refunds)
    .where(and(where, eq(refunds.status, 'succeeded')))
    .groupBy(refunds.paymentId);
  return new Map(rows.map((r) => [r.paymentId, Number(r.sum)]));
}

/** The cents an order may be invoiced for now (domain/invoices/invoice-plan.ts). */
export async function orderDue(env: Env, orderId: string): Promise<number> {
  const [paid, back] = await Promise.all([orderPayments(env, orderId), refundedFor(env, eq(refunds.orderId, orderId))]);
  const tenders: PaidTender[] = paid
    .filter((p) => p.status === 'succeeded')
    .map((p) => ({ method: p.method, amount: p.amount, refunded: back.get(p.id) ?? 0 }));
  return orderInvoiceable(tenders);
}

/** The cents a confirmed top-up may be invoiced for now. */
export async function topupDue(env: Env, p: PaymentRow): Promise<number> {
  const back = await refundedFor(env, eq(refunds.paymentId, p.id));
  return topupInvoiceable({ method: p.method, amount: p.amount, refunded: back.get(p.id) ?? 0 });
}
