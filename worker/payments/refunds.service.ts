import { and, asc, eq, exists, inArray, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import { log } from '../../domain/log';
import { yuan } from '../../domain/money';
import { storeOfOrder } from '../../domain/orders/order-ids';
import { allocate } from '../../domain/pricing';
import { isoInZone } from '../../domain/zoned-time';
import { payments, refunds } from '../../schema/d1/tables';
import { recomputeOrderDay } from '../analytics/rollups.service';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { reviseOrderInvoice } from '../invoices/invoice-revisions.service';
import { db } from '../lib/db';
import { sha256Hex } from '../lib/ids';
import { insertWhere } from '../lib/insert-select';
import { settleOrderPoints } from '../loyalty/order-points.service';
import { returnPaidPoints } from '../loyalty/points.service';
import { storeContext, storeStub, unwrap } from '../stores/store-gateway';
import { recordPaymentEvent } from './payment-events';
import type { PaymentRow } from './payments.service';
import { orderPayments } from './payments.service';
import type { RefundResult } from './providers/provider';
import { providerFor } from './providers/registry';
import { postWallet } from './wallet.service';

export interface RefundRow {
  id: string;
  payment_id: string;
  order_id: string | null;
  amount: number;
  status: 'processing' | 'succeeded' | 'failed' | 'review';
  reason: string;
  lines: string;
  provider_refund_id: string | null;
  created_at: number;
  settled_at: number | null;
}

/** The select list that reads a `refunds` row as a RefundRow. */
export const refundFields = {
  id: refunds.id,
  payment_id: refunds.paymentId,
  order_id: refunds.orderId,
  amount: refunds.amount,
  status: refunds.status,
  reason: refunds.reason,
  lines: refunds.lines,
  provider_refund_id: refunds.providerRefundId,
  created_at: refunds.createdAt,
  settled_at: refunds.settledAt,
} satisfies Record<keyof RefundRow, unknown>;

/** Whether a D1 failure (drizzle wraps it, keeping D1's as the cause) is a unique-index refusal. */
const isUniqueViolation = (e: unknown) => /UNIQUE/i.test(`${String(e)} ${String((e as Error)?.cause ?? '')}`);

const view = (r: RefundRow, timeZone: string) => ({
  id: r.id,
  paymentId: r.payment_id,
  orderId: r.order_id,
  amount: r.amount,
  status: r.status,
  reason: r.reason,
  lines: JSON.parse(r.lines) as { index: number; quantity: number }[],
  createdAt: isoInZone(r.created_at, timeZone),
});

/**
 * Refunds `amount` of one payment, idempotent by `refundId`. The payment's refunded total
 * moves first, by a conditional UPDATE, so concurrent refunds can never exceed it.
 */
export async function refundPayment(
  env: Env,
  p: PaymentRow,
  amount: number,
  reason: string,
  refundId: string,
  lines: { index: number; quantity: number }[] = [],
  now = Date.now(),
  lineLimits?: ReadonlyMap<number, number>,
): Promise<RefundRow | null> {
  if (amount <= 0) return null;
  // A refund id is idempotent; after a definite failure the next attempt gets a fresh id
  // (`-n`: WeChat's out_refund_no takes letters, digits and _-|*@ only).
  const d = db(env);
  const earlier = await d
    .select(refundFields)
    .from(refunds)
    .where(or(eq(refunds.id, refundId), sql`substr(${refunds.id}, 1, length(${refundId}) + 1) = ${refundId} || '-'`))
    .orderBy(asc(refunds.createdAt));
  const live = earlier.find((r) => r.status !== 'failed');
  if (live) return live.payment_id === p.id ? live : null;
  if (earlier.length > 0) refundId = `${refundId}-${earlier.length}`;
  const row: RefundRow = {
    id: refundId,
    payment_id: p.id,
    order_id: p.order_id,
    amount,
    status: 'processing',
    reason,
    lines: JSON.stringify(lines),
    provider_refund_id: null,
    created_at: now,
    settled_at: null,
  };
  // One transaction: the refund row (its unique id stops a racing twin, rolling the whole
  // batch back; with line limits, written only while each line has the units left) and the
  // payment's refunded total, which moves only within what was paid; if it cannot, the row
  // goes again. So `refunded` never counts a refund twice, and no unit is refunded twice.
  const values = {
    id: row.id,
    paymentId: row.payment_id,
    orderId: row.order_id,
    amount: row.amount,
    status: row.status,
    reason: row.reason,
    lines: row.lines,
    providerRefundId: null,
    createdAt: now,
    settledAt: null,
  };
  try {
    const [inserted, taken] = await d.batch([
      lineLimits && p.order_id && lines.length > 0
        ? insertWhere(d, refunds, values, unitsLeft(p.order_id, lines, lineLimits))
        : d.insert(refunds).values(values),
      d
        .update(payments)
        .set({ refunded: sql`${payments.refunded} + ${amount}` })
        .where(
          and(
            eq(payments.id, p.id),
            eq(payments.status, 'succeeded'),
            lte(sql`${payments.refunded} + ${amount}`, payments.amount),
            exists(d.select({ one: sql`1` }).from(refunds).where(eq(refunds.id, row.id))),
          ),
        ),
      d.delete(refunds).where(and(eq(refunds.id, row.id), sql`changes() = 0`)),
    ]);
    if (inserted.meta.changes !== 1) {
      throw new ApiError(409, 'refund.lines_taken', 'Another refund took these lines first; reload and retry.');
    }
    if (taken.meta.changes !== 1) return null;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const twin = await d.select(refundFields).from(refunds).where(eq(refunds.id, row.id)).get();
    return twin && twin.payment_id === p.id ? twin : null;
  }
  try {
    if (p.method === 'balance') {
      if (!p.member_id) throw new Error('balance payment without member');
      await postWallet(env, { memberId: p.member_id, brandId: p.brand_id }, 'refund', refundId, amount, now);
      row.status = 'succeeded';
    } else if (p.method === 'points') {
      if (!p.member_id) throw new Error('points payment without member');
      const rate = Number((JSON.parse(p.client_params) as { centsPerPoint?: string }).centsPerPoint) || undefined;
      await returnPaidPoints(env, { id: p.member_id, brandId: p.brand_id }, refundId, amount, now, rate);
      row.status = 'succeeded';
    } else {
      const r = await providerFor(env, p.method).refund({
        outTradeNo: p.id,
        outRefundNo: refundId,
        amount,
        total: p.amount,
        reason,
        notifyUrl: `${env.PUBLIC_BASE_URL}/v1/payments/${p.method}/notify`,
      });
      row.status = refundStatusOf[r.status];
      row.provider_refund_id = r.providerRefundId ?? null;
    }
  } catch (e) {
    // The outcome is unknown (a timeout may hide a refund that happened): keep the money
    // reserved and the refund processing until the provider's notice settles it.
    log.warn('refund outcome unknown', { refundId, error: e });
    row.status = 'processing';
  }
  await finishRefund(env, row, now);
  return row;
}

/**
 * Each line still has the units this refund takes: what live refunds of the order already
 * name for it, plus these, stays within the line's quantity. Checked by the inserting
 * statement itself, so two refunds of one line racing each other cannot both pass.
 */
function unitsLeft(orderId: string, lines: { index: number; quantity: number }[], limits: ReadonlyMap<number, number>) {
  const checks = lines.map((l) => {
    const taken = sql`(SELECT coalesce(sum(json_extract(j.value, '$.quantity')), 0) FROM ${refunds}, json_each(${refunds.lines}) AS j
      WHERE ${refunds.orderId} = ${orderId} AND ${refunds.status} != 'failed' AND json_extract(j.value, '$.index') = ${l.index})`;
    return sql`${taken} + ${l.quantity} <= ${limits.get(l.index) ?? 0}`;
  });
  return and(...checks) as SQL;
}

const refundStatusOf = {
  success: 'succeeded',
  processing: 'processing',
  failed: 'failed',
  review: 'review',
} as const satisfies Record<RefundResult['status'], RefundRow['status']>;

/**
 * Settles a refund's outcome; a failed refund gives its amount back to the refundable total.
 * One the provider could not deliver (`review`) keeps its amount reserved and waits for a
 * person: it is never retried as failed, and a later notice (SUCCESS, CLOSED) still settles it.
 */
export async function finishRefund(env: Env, row: RefundRow, now = Date.now()) {
  const d = db(env);
  const moved = await d
    .update(refunds)
    .set({
      status: row.status,
      ...(row.provider_refund_id !== null && { providerRefundId: row.provider_refund_id }),
      settledAt: row.status === 'processing' || row.status === 'review' ? null : now,
    })
    .where(
      and(
        eq(refunds.id, row.id),
        row.status === 'review' ? eq(refunds.status, 'processing') : inArray(refunds.status, ['processing', 'review']),
      ),
    );
  if (moved.meta.changes === 1 && row.status === 'review') {
    await recordPaymentEvent(env, row.payment_id, 'refund_needs_review', {
      refundId: row.id,
      amount: row.amount,
      providerRefundId: row.provider_refund_id,
    });
  }
  if (moved.meta.changes === 1 && row.status === 'failed') {
    await d
      .update(payments)
      .set({ refunded: sql`${payments.refunded} - ${row.amount}` })
      .where(eq(payments.id, row.payment_id));
  }
  // Money back means points back: only what the refunded lines earned (idempotent).
  if (row.status === 'succeeded' && row.order_id) await settleOrderPoints(env, row.order_id, now);
  // Money back means the invoice follows: red-flushed, and re-issued for what remains (idempotent).
  if (row.status === 'succeeded' && row.order_id) await reviseOrderInvoice(env, row.order_id, now);
  // The refund nets out of the order's own business day, whenever it happens (idempotent).
  if (row.order_id) await recomputeOrderDay(env, row.order_id, now);
}

/**
 * A staff-approved refund of an order, in full or by line. Line amounts are the pricing
 * engine's exact line totals (a partial quantity takes its largest-remainder share), and
 * the sum is split over the original tenders in proportion to what each can still give.
 */
export async function refundOrder(
  env: Env,
  orderId: string,
  brandId: string,
  req: { lines?: { index: number; quantity?: number }[]; reason: string; refundKey: string },
  now = Date.now(),
) {
  const storeId = storeOfOrder(orderId);
  if (!storeId) throw notFound('order', orderId);
  const order = unwrap(await storeStub(env, storeId).getOrder(orderId, { actor: 'staff' }));
  const payments = (await orderPayments(env, orderId)).filter(
    (p) => p.status === 'succeeded' && p.brand_id === brandId,
  );
  if (payments.length === 0) throw new ApiError(409, 'refund.nothing_paid', 'Nothing was paid on this order.');
  const previous = await db(env)
    .select({ lines: refunds.lines })
    .from(refunds)
    .where(and(eq(refunds.orderId, orderId), ne(refunds.status, 'failed')));
  const refundedQty = new Map<number, number>();
  for (const r of previous) {
    for (const l of JSON.parse(r.lines) as { index: number; quantity: number }[]) {
      refundedQty.set(l.index, (refundedQty.get(l.index) ?? 0) + l.quantity);
    }
  }
  let amount = 0;
  const lines: { index: number; quantity: number }[] = [];
  const lineLimits = new Map(order.lines.map((l) => [l.index, l.quantity]));
  if (req.lines?.length) {
    const errors: { path: string; message: string }[] = [];
    req.lines.forEach((l, i) => {
      const line = order.lines.find((x) => x.index === l.index);
      if (!line) {
        errors.push({ path: `lines.${i}.index`, message: `no line ${l.index} on this order` });
        return;
      }
      const done = refundedQty.get(l.index) ?? 0;
      const qty = l.quantity ?? line.quantity - done;
      if (qty < 1 || done + qty > line.quantity) {
        errors.push({ path: `lines.${i}.quantity`, message: `only ${line.quantity - done} left to refund` });
        return;
      }
      // Each unit's exact share of the line total; refunds take the units in order.
      const shares = allocate(line.total, Array(line.quantity).fill(1));
      amount += shares.slice(done, done + qty).reduce((s, x) => s + x, 0);
      lines.push({ index: l.index, quantity: qty });
    });
    if (errors.length) throw new ApiError(422, 'validation.failed', 'Some lines cannot be refunded.', { errors });
  } else {
    amount = payments.reduce((s, p) => s + p.amount - p.refunded, 0);
    for (const l of order.lines) {
      const left = l.quantity - (refundedQty.get(l.index) ?? 0);
      if (left > 0) lines.push({ index: l.index, quantity: left });
    }
  }
  const refundable = payments.map((p) => p.amount - p.refunded);
  const available = refundable.reduce((s, x) => s + x, 0);
  if (amount <= 0 || amount > available) {
    throw new ApiError(409, 'refund.exceeds_paid', `Only ${yuan(available)} can still be refunded.`, {
      extra: { refundable: available, requested: amount },
    });
  }
  const split = allocate(amount, refundable);
  const made = [];
  const key = (await sha256Hex(`${orderId}|${req.refundKey}`)).slice(0, 12);
  let linesRecorded = false;
  for (let i = 0; i < payments.length; i++) {
    if (split[i]! <= 0) continue;
    const p = payments[i]!;
    // The lines are recorded once per refund, not once per tender, so they count once.
    const r = await refundPayment(
      env,
      p,
      split[i]!,
      req.reason,
      `rfd_${p.id}_${key}`,
      linesRecorded ? [] : lines,
      now,
      lineLimits,
    );
    linesRecorded = true;
    if (!r) throw new ApiError(409, 'refund.exceeds_paid', 'Another refund took this money first; reload and retry.');
    made.push(r);
  }
  await markRefundedWhenDone(env, storeId, orderId, now);
  const { timeZone } = (await storeContext(env, storeId)).store;
  return { orderId, amount, refunds: made.map((r) => view(r, timeZone)) };
}

/** A completed or cancelled order whose payments are all paid back becomes `refunded`. */
export async function markRefundedWhenDone(env: Env, storeId: string, orderId: string, now = Date.now()) {
  const payments = (await orderPayments(env, orderId)).filter((p) => p.status === 'succeeded');
  if (payments.length === 0 || payments.some((p) => p.refunded < p.amount)) return;
  const stub = storeStub(env, storeId);
  const order = await stub.getOrder(orderId, { actor: 'system' });
  if (order.ok && (order.value.status === 'completed' || order.value.status === 'cancelled')) {
    await stub.act({ orderId, action: 'refund', actor: 'system' }, now);
  }
}

/** An order that ended unpaid or cancelled gives every payment back (from the events queue). */
export async function refundCancelledOrder(env: Env, storeId: string, orderId: string, now = Date.now()) {
  await db(env)
    .update(payments)
    .set({ status: 'expired' })
    .where(and(eq(payments.orderId, orderId), eq(payments.status, 'pending')));
  for (const p of await orderPayments(env, orderId)) {
    if (p.status === 'succeeded' && p.refunded < p.amount) {
      const r = await refundPayment(env, p, p.amount - p.refunded, 'order cancelled', `rfd_${p.id}_cancel`, [], now);
      // A refused refund must be tried again: failing here makes the queue redeliver.
      if (r?.status === 'failed') throw new Error(`refund of ${p.id} failed; will retry`);
    }
  }
  await markRefundedWhenDone(env, storeId, orderId, now);
}

export async function orderRefunds(env: Env, orderId: string, timeZone: string) {
  const results = await db(env)
    .select(refundFields)
    .from(refunds)
    .where(eq(refunds.orderId, orderId))
    .orderBy(asc(refunds.createdAt));
  return results.map((r) => view(r, timeZone));
}
