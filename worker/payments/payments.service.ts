import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { pointsPayment } from '../../domain/loyalty/points';
import { yuan } from '../../domain/money';
import { isoInZone } from '../../domain/zoned-time';
import type { OrderView } from '../../durable-objects/store/contract';
import { members, payments } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { randomHex } from '../lib/ids';
import { insertWhere } from '../lib/insert-select';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { returnPaidPoints, spendPoints } from '../loyalty/points.service';
import { scopedOrder, storeStub, unwrap } from '../stores/store-gateway';
import { recordPaymentEvent } from './payment-events';
import { type PaymentRow, paymentFields, paymentValues } from './payment-rows';
import type { ExternalMethod } from './providers/registry';
import { providerFor } from './providers/registry';
import { debitForPayment } from './wallet.service';

export type { PaymentMethod, PaymentRow } from './payment-rows';

/** out_trade_no: ≤ 32 characters of [A-Za-z0-9_], as both providers require. */
export const newPaymentId = () => `pay_${randomHex(12)}`;

/** A payment as answers show it, its times in `timeZone` (the order's store's; the brand's for a top-up). */
export function paymentView(p: PaymentRow, timeZone: string) {
  return {
    id: p.id,
    orderId: p.order_id,
    purpose: p.purpose,
    method: p.method,
    amount: p.amount,
    status: p.status,
    refunded: p.refunded,
    clientParams: JSON.parse(p.client_params) as Record<string, string>,
    expiresAt: isoInZone(p.expires_at, timeZone),
    createdAt: isoInZone(p.created_at, timeZone),
  };
}

export async function findPayment(env: Env, id: string): Promise<PaymentRow | null> {
  return (await db(env).select(paymentFields).from(payments).where(eq(payments.id, id)).get()) ?? null;
}

export async function orderPayments(env: Env, orderId: string): Promise<PaymentRow[]> {
  return db(env)
    .select(paymentFields)
    .from(payments)
    .where(eq(payments.orderId, orderId))
    .orderBy(asc(payments.createdAt), asc(payments.id));
}

async function insertPayment(env: Env, row: PaymentRow) {
  await db(env).insert(payments).values(paymentValues(row));
}

/** Moves a payment from one of `from` to `to`; true only for the call that made the move. */
export async function movePayment(
  env: Env,
  id: string,
  from: PaymentRow['status'][],
  to: PaymentRow['status'],
  extra: { providerTxnId?: string; now: number },
): Promise<boolean> {
  const r = await db(env)
    .update(payments)
    .set({
      status: to,
      ...(extra.providerTxnId !== undefined && { providerTxnId: extra.providerTxnId }),
      ...(to === 'succeeded' && { settledAt: extra.now }),
    })
    .where(and(eq(payments.id, id), inArray(payments.status, from)));
  return r.meta.changes === 1;
}

/**
 * Tells the store that money arrived for an order. If the order can no longer take it
 * (expired, cancelled, already fully paid), the payment is refunded at once and recorded.
 */
export async function settleWithStore(env: Env, p: PaymentRow, now = Date.now()) {
  if (!p.order_id || !p.store_id) return undefined;
  const result = unwrap(
    await storeStub(env, p.store_id).settlePayment({ orderId: p.order_id, paymentId: p.id, amount: p.amount }, now),
  );
  const { refundPayment } = await import('./refunds.service');
  if (result.outcome === 'rejected') {
    await recordPaymentEvent(env, p.id, 'late_payment_refunded', {
      orderStatus: result.order.status,
      amount: p.amount,
    });
    await refundPayment(
      env,
      p,
      p.amount - p.refunded,
      'order was closed before the payment arrived',
      `rfd_${p.id}_late`,
    );
  } else if (result.excess > 0) {
    await recordPaymentEvent(env, p.id, 'overpayment_refunded', { excess: result.excess, paid: result.paid });
    await refundPayment(env, p, result.excess, 'paid more than the order total', `rfd_${p.id}_excess`);
  }
  return result;
}

/** Test seam: runs between a balance debit and telling the store, where a crash must lose nothing. */
export const balanceFaults: { afterDebit?: (paymentId: string) => void | Promise<void> } = {};

/**
 * Tells the store about a debited balance payment, then marks it settled. Until then its
 * `settled_at` is empty, which is how reconciliation finds one whose request died here.
 */
export async function settleBalancePayment(env: Env, p: PaymentRow, now = Date.now()) {
  await settleWithStore(env, p, now);
  await db(env)
    .update(payments)
    .set({ settledAt: now })
    .where(and(eq(payments.id, p.id), isNull(payments.settledAt)));
}

interface StartInput {
  method: ExternalMethod | 'balance';
  /** With an external method: the part to take from the member's balance first. */
  balance?: number;
  /** Pay only part of what is due (e.g. one diner of a shared table). */
  amount?: number;
  /** Points to spend first (members only), within the brand's share cap. */
  points?: number;
  /** Alipay mini program buyer id (else Alipay pays through an H5 URL). */
  alipayBuyerId?: string;
}

/**
 * Starts paying an order: a wallet part is debited and settled at once; an external part
 * is created at the provider and settled by its callback. Never collects more than is due.
 */
export async function startOrderPayment(
  env: Env,
  principal: Principal,
  orderId: string,
  input: StartInput,
  now = Date.now(),
) {
  const scoped = await scopedOrder(env, principal, orderId);
  const { ctx } = scoped;
  const storeId = ctx.store.id;
  // Only members spend their own stored value and points; staff can take provider payments for a guest.
  if (principal.role !== 'member' && (input.method === 'balance' || (input.balance ?? 0) > 0 || input.points)) {
    throw new ApiError(403, 'auth.forbidden', "Only the member can pay from the member's balance or points.");
  }
  const order: OrderView = await scoped.read();
  const payable =
    order.status === 'pending_payment' ||
    (order.payLater && order.paidAt === null && !['cancel_requested', 'cancelled', 'refunded'].includes(order.status));
  const due = order.total - order.paid;
  if (!payable || due <= 0) {
    throw new ApiError(
      409,
      'payment.not_payable',
      `This order is ${order.status.replace('_', ' ')} and has nothing to pay.`,
      {
        extra: { currentStatus: order.status, due: Math.max(0, due) },
      },
    );
  }
  const want = Math.min(input.amount ?? due, due);
  const memberId = principal.role === 'member' ? principal.subject : order.memberId;
  const expiresAt = order.expiresAt ? Date.parse(order.expiresAt) : now + 15 * 60_000;
  const base = {
    brand_id: ctx.store.brandId,
    store_id: storeId,
    order_id: orderId,
    member_id: memberId,
    purpose: 'order' as const,
    currency: 'CNY',
    provider_txn_id: null,
    refunded: 0,
    client_params: '{}',
    expires_at: expiresAt,
    created_at: now,
    settled_at: null,
  };
  const created: PaymentRow[] = [];

  let pointsPart = 0;
  if (input.points) {
    if (!memberId) throw new ApiError(422, 'payment.member_required', 'Only a member can pay with points.');
    const settled = await payWithPoints(
      env,
      { memberId, brandId: base.brand_id },
      order,
      input.points,
      want,
      base,
      now,
    );
    pointsPart = settled.amount;
    created.push(settled);
  }

  const afterPoints = want - pointsPart;
  const balancePart = input.method === 'balance' ? afterPoints : Math.min(input.balance ?? 0, afterPoints);
  if (balancePart > 0) {
    if (!memberId) throw new ApiError(422, 'payment.member_required', 'Only a member can pay from a balance.');
    const row: PaymentRow = { ...base, id: newPaymentId(), method: 'balance', amount: balancePart, status: 'pending' };
    await insertPayment(env, row);
    const debit = await debitForPayment(env, { memberId, brandId: base.brand_id }, row.id, balancePart, now);
    if (!debit.posted) {
      await movePayment(env, row.id, ['pending'], 'failed', { now });
      throw new ApiError(409, 'wallet.insufficient', `The balance is ${yuan(debit.balance)}; not enough.`, {
        extra: { balance: debit.balance, needed: balancePart },
      });
    }
    await balanceFaults.afterDebit?.(row.id);
    const settled = { ...row, status: 'succeeded' as const };
    await settleBalancePayment(env, settled, now);
    created.push({ ...settled, settled_at: now });
  }

  const externalPart = afterPoints - balancePart;
  if (externalPart > 0 && input.method !== 'balance') {
    const provider = providerFor(env, input.method);
    const row: PaymentRow = {
      ...base,
      id: newPaymentId(),
      method: input.method,
      amount: externalPart,
      status: 'pending',
    };
    await insertPayment(env, row);
    try {
      const made = await provider.create({
        outTradeNo: row.id,
        amount: externalPart,
        description: `${ctx.store.name} ${order.ticketNo}`,
        expiresAt,
        notifyUrl: `${env.PUBLIC_BASE_URL}/v1/payments/${input.method}/notify`,
        payer: {
          openid: memberId && input.method === 'wechat' ? await memberOpenid(env, memberId) : undefined,
          buyerId: input.alipayBuyerId,
        },
        channel: input.method === 'alipay' ? (input.alipayBuyerId ? 'mini' : 'wap') : undefined,
        attach: orderId,
      });
      row.client_params = JSON.stringify(made.clientParams);
      await db(env).update(payments).set({ clientParams: row.client_params }).where(eq(payments.id, row.id));
      created.push(row);
    } catch (e) {
      await movePayment(env, row.id, ['pending'], 'failed', { now });
      // A wallet part already counts on the order: it stays as a partial payment (the guest
      // can retry the rest), and comes back by itself if the order expires unpaid.
      // The provider's own words go to the log (with the request id) as the cause, never to the client.
      const rejected = (e as { code?: string }).code === 'payment.provider_rejected';
      throw new ApiError(
        503,
        rejected ? 'payment.provider_rejected' : 'payment.provider_unavailable',
        rejected ? 'The payment provider refused this payment.' : 'The payment provider is unavailable; retry shortly.',
        {
          headers: { 'Retry-After': '5' },
          cause: e,
        },
      );
    }
  }
  const latest = await scoped.read();
  return {
    orderId,
    status: latest.status,
    total: latest.total,
    paid: latest.paid,
    due: latest.total - latest.paid,
    payments: created.map((p) => paymentView(p, ctx.store.timeZone)),
  };
}

/** What points already pay (or are about to pay) for an order, in cents. */
const pointsPaid = (env: Env, orderId: string) =>
  db(env)
    .select({ cents: sql<number>`coalesce(sum(${payments.amount} - ${payments.refunded}), 0)` })
    .from(payments)
    .where(
      and(
        eq(payments.orderId, orderId),
        eq(payments.method, 'points'),
        inArray(payments.status, ['succeeded', 'pending']),
      ),
    );

/**
 * Spends points toward an order, within the brand's share cap of the order total. The
 * payment row exists before the points move (its id keys the ledger entry), so a crash
 * between the two leaves a pending row the reconciliation can see, never lost points.
 */
async function payWithPoints(
  env: Env,
  member: { memberId: string; brandId: string },
  order: OrderView,
  points: number,
  want: number,
  base: Omit<PaymentRow, 'id' | 'method' | 'amount' | 'status'>,
  now: number,
): Promise<PaymentRow> {
  const rules = (await loyaltyRules(env, member.brandId, now)).points;
  const already = await pointsPaid(env, order.id).get();
  const pay = pointsPayment(
    { points, due: want, orderTotal: order.total, alreadyByPoints: already?.cents ?? 0 },
    rules,
  );
  if (pay.points <= 0) {
    throw new ApiError(409, 'points.cap_reached', `Points can pay at most ${rules.maxPaymentPercent}% of an order.`, {
      extra: { capCents: pay.capCents, centsPerPoint: rules.centsPerPoint },
    });
  }
  const row: PaymentRow = {
    ...base,
    id: newPaymentId(),
    method: 'points',
    amount: pay.cents,
    status: 'pending',
    // The rate is kept with the payment: a refund gives back points at the rate they were spent.
    client_params: JSON.stringify({ points: String(pay.points), centsPerPoint: String(rules.centsPerPoint) }),
  };
  // Written only while the order's points payments stay within the cap, checked by this
  // statement: two points payments racing on one order cannot both pass a check made earlier.
  const totalCap = Math.floor((order.total * rules.maxPaymentPercent) / 100);
  const byPoints = pointsPaid(env, order.id);
  const inserted = await insertWhere(
    db(env),
    payments,
    paymentValues(row),
    sql`(${byPoints}) + ${row.amount} <= ${totalCap}`,
  );
  if (inserted.meta.changes !== 1) {
    throw new ApiError(409, 'points.cap_reached', `Points can pay at most ${rules.maxPaymentPercent}% of an order.`, {
      extra: { capCents: 0, centsPerPoint: rules.centsPerPoint },
    });
  }
  const spent = await spendPoints(
    env,
    { id: member.memberId, brandId: member.brandId },
    'pay',
    row.id,
    pay.points,
    { orderId: order.id },
    now,
  );
  if (!spent.ok) {
    await movePayment(env, row.id, ['pending'], 'failed', { now });
    throw new ApiError(
      409,
      'points.insufficient',
      `You have ${spent.spendable} points to spend; ${pay.points} needed.`,
      {
        extra: { available: spent.spendable, needed: pay.points },
      },
    );
  }
  if (!(await movePayment(env, row.id, ['pending'], 'succeeded', { now }))) {
    // The order was closed while the points moved (it expired or was cancelled): give them back.
    await returnPaidPoints(
      env,
      { id: member.memberId, brandId: member.brandId },
      `void_${row.id}`,
      row.amount,
      now,
      rules.centsPerPoint,
    );
    throw new ApiError(409, 'payment.not_payable', 'This order closed while it was being paid; your points are back.');
  }
  const settled = { ...row, status: 'succeeded' as const, settled_at: now };
  await settleWithStore(env, settled, now);
  return settled;
}

async function memberOpenid(env: Env, memberId: string): Promise<string | undefined> {
  const row = await db(env).select({ openid: members.openid }).from(members).where(eq(members.id, memberId)).get();
  return row?.openid;
}

/** Payments that stayed pending too long are closed (the order's expiry returns the rest). */
export async function expireStalePayments(env: Env, now = Date.now()) {
  const r = await db(env)
    .update(payments)
    .set({ status: 'expired' })
    .where(and(eq(payments.status, 'pending'), lt(payments.expiresAt, now - 5 * 60_000)));
  return r.meta.changes;
}
