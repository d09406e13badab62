import { pointsPayment } from '../../domain/loyalty/points';
import { yuan } from '../../domain/money';
import type { OrderView } from '../../durable-objects/store/orders/order-types';
import { storeOfOrder } from '../../durable-objects/store/orders/orders';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError, notFound } from '../http/errors';
import { randomHex } from '../lib/ids';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import { returnPaidPoints, spendPoints } from '../loyalty/points.service';
import { storeContext, storeStub, unwrap } from '../stores/store-gateway';
import { recordPaymentEvent } from './payment-events';
import type { ExternalMethod } from './providers/registry';
import { providerFor } from './providers/registry';
import { postWallet } from './wallet.service';

export type PaymentMethod = ExternalMethod | 'balance' | 'points';

export interface PaymentRow {
  id: string;
  brand_id: string;
  store_id: string | null;
  order_id: string | null;
  member_id: string | null;
  purpose: 'order' | 'topup';
  method: PaymentMethod;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed' | 'expired' | 'review';
  provider_txn_id: string | null;
  refunded: number;
  client_params: string;
  expires_at: number;
  created_at: number;
  settled_at: number | null;
}

/** out_trade_no: ≤ 32 characters of [A-Za-z0-9_], as both providers require. */
export const newPaymentId = () => `pay_${randomHex(12)}`;

export function paymentView(p: PaymentRow) {
  return {
    id: p.id,
    orderId: p.order_id,
    purpose: p.purpose,
    method: p.method,
    amount: p.amount,
    status: p.status,
    refunded: p.refunded,
    clientParams: JSON.parse(p.client_params) as Record<string, string>,
    expiresAt: new Date(p.expires_at).toISOString(),
    createdAt: new Date(p.created_at).toISOString(),
  };
}

export async function findPayment(env: Env, id: string): Promise<PaymentRow | null> {
  return env.DB.prepare('SELECT * FROM payments WHERE id = ?').bind(id).first<PaymentRow>();
}

export async function orderPayments(env: Env, orderId: string): Promise<PaymentRow[]> {
  const { results } = await env.DB.prepare('SELECT * FROM payments WHERE order_id = ? ORDER BY created_at, id')
    .bind(orderId)
    .all<PaymentRow>();
  return results;
}

async function insertPayment(env: Env, row: PaymentRow) {
  await env.DB.prepare(
    `INSERT INTO payments (id, brand_id, store_id, order_id, member_id, purpose, method, amount, currency, status,
       provider_txn_id, refunded, client_params, expires_at, created_at, settled_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      row.id,
      row.brand_id,
      row.store_id,
      row.order_id,
      row.member_id,
      row.purpose,
      row.method,
      row.amount,
      row.currency,
      row.status,
      row.provider_txn_id,
      row.refunded,
      row.client_params,
      row.expires_at,
      row.created_at,
      row.settled_at,
    )
    .run();
}

/** Moves a payment from one of `from` to `to`; true only for the call that made the move. */
export async function movePayment(
  env: Env,
  id: string,
  from: PaymentRow['status'][],
  to: PaymentRow['status'],
  extra: { providerTxnId?: string; now: number },
): Promise<boolean> {
  const marks = from.map(() => '?').join(',');
  const r = await env.DB.prepare(
    `UPDATE payments SET status = ?, provider_txn_id = coalesce(?, provider_txn_id),
       settled_at = CASE WHEN ? = 'succeeded' THEN ? ELSE settled_at END
     WHERE id = ? AND status IN (${marks})`,
  )
    .bind(to, extra.providerTxnId ?? null, to, extra.now, id, ...from)
    .run();
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
  const storeId = storeOfOrder(orderId);
  if (!storeId) throw notFound('order', orderId);
  const ctx = await storeContext(env, storeId).catch(() => {
    throw notFound('order', orderId);
  });
  if (ctx.store.brandId !== principal.brandId) throw notFound('order', orderId);
  if ((principal.role === 'staff' || principal.role === 'device') && !principal.storeIds.includes(storeId)) {
    throw notFound('order', orderId);
  }
  // Only members spend their own stored value and points; staff can take provider payments for a guest.
  if (principal.role !== 'member' && (input.method === 'balance' || (input.balance ?? 0) > 0 || input.points)) {
    throw new ApiError(403, 'auth.forbidden', "Only the member can pay from the member's balance or points.");
  }
  const actor = principal.role === 'member' ? 'guest' : 'staff';
  const stub = storeStub(env, storeId);
  const order: OrderView = unwrap(await stub.getOrder(orderId, { actor, memberId: principal.subject }));
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
    const debit = await postWallet(env, { memberId, brandId: base.brand_id }, 'payment', row.id, -balancePart, now);
    if (!debit.posted) {
      await movePayment(env, row.id, ['pending'], 'failed', { now });
      throw new ApiError(409, 'wallet.insufficient', `The balance is ${yuan(debit.balance)}; not enough.`, {
        extra: { balance: debit.balance, needed: balancePart },
      });
    }
    await movePayment(env, row.id, ['pending'], 'succeeded', { now });
    const settled = { ...row, status: 'succeeded' as const, settled_at: now };
    await settleWithStore(env, settled, now);
    created.push(settled);
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
      await env.DB.prepare('UPDATE payments SET client_params = ? WHERE id = ?').bind(row.client_params, row.id).run();
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
  const latest = unwrap(await stub.getOrder(orderId, { actor, memberId: principal.subject }));
  return {
    orderId,
    status: latest.status,
    total: latest.total,
    paid: latest.paid,
    due: latest.total - latest.paid,
    payments: created.map(paymentView),
  };
}

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
  const already = await env.DB.prepare(
    `SELECT COALESCE(SUM(amount - refunded), 0) AS cents FROM payments
     WHERE order_id = ? AND method = 'points' AND status IN ('succeeded', 'pending')`,
  )
    .bind(order.id)
    .first<{ cents: number }>();
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
  await insertPayment(env, row);
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
  const row = await env.DB.prepare('SELECT openid FROM members WHERE id = ?')
    .bind(memberId)
    .first<{ openid: string }>();
  return row?.openid;
}

/** Payments that stayed pending too long are closed (the order's expiry returns the rest). */
export async function expireStalePayments(env: Env, now = Date.now()) {
  const r = await env.DB.prepare(`UPDATE payments SET status = 'expired' WHERE status = 'pending' AND expires_at < ?`)
    .bind(now - 5 * 60_000)
    .run();
  return r.meta.changes;
}
