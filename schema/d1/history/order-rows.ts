/*
 * The D1 rows one demo order leaves, as the real code writes them: its history row (the
 * order JSON as the store last reported it), the payment, refunds, the table seating, the
 * coupon it used and, for a member, the wallet moves of a balance payment and the points it
 * earned, gave back and later spent. Rows dated after `now` are not written yet; an order
 * whose own story is not over by `now` (a refund still to come) is left for a later run.
 */

import { DAY, isoLocal, MINUTE } from './calendar.ts';
import type { DemoOrder } from './orders.ts';
import { refundTime } from './orders.ts';
import { pointsMoves } from './points-rows.ts';
import { allocate, hexOf, rng } from './rng.ts';
import type { Row } from './sql.ts';

export interface RefundPlan {
  amount: number;
  lines: { index: number; quantity: number }[];
}

export interface HistoryRows {
  order_history: Row[];
  payments: Row[];
  refunds: Row[];
  table_seatings: Row[];
  member_coupons: Row[];
  wallet_ledger: Row[];
  points_ledger: Row[];
  points_lots: Row[];
}

export const emptyRows = (): HistoryRows => ({
  order_history: [],
  payments: [],
  refunds: [],
  table_seatings: [],
  member_coupons: [],
  wallet_ledger: [],
  points_ledger: [],
  points_lots: [],
});

/** When this order's story ends (its last change): a refund, or its completion. */
export function settledAt(o: DemoOrder): number {
  return o.ending === 'completed' || o.ending === 'unpaid_cancel' ? o.endedAt : refundTime(o);
}

/** What one refund gives back and which units: a partial refund returns one unit of one line. */
function refundPlan(o: DemoOrder): RefundPlan {
  if (o.ending !== 'partial_refund')
    return { amount: o.total, lines: o.lines.map((l) => ({ index: l.index, quantity: l.quantity })) };
  const r = rng(`refund-line|${o.key}`);
  const line = r.pick(o.lines);
  const units = allocate(line.total, Array(line.quantity).fill(1));
  // As refundOrder: the units go back in order, each at its largest-remainder share of the line.
  return { amount: units[0] ?? 0, lines: [{ index: line.index, quantity: 1 }] };
}

export function orderRows(o: DemoOrder, now: number, out: HistoryRows): void {
  if (settledAt(o) > now) return;
  const tz = o.store.timeZone;
  const brand = o.store.brandId;
  const memberId = o.member?.id ?? null;
  const paid = o.ending === 'unpaid_cancel' ? 0 : o.total;
  const refunding = o.ending === 'full_refund' || o.ending === 'partial_refund' || o.ending === 'paid_cancel';
  const plan = refunding ? refundPlan(o) : null;
  const refundAt = plan ? refundTime(o) : 0;
  const status =
    o.ending === 'unpaid_cancel'
      ? 'cancelled'
      : o.ending === 'completed' || o.ending === 'partial_refund'
        ? 'completed'
        : 'refunded';
  const updatedAt = plan ? refundAt : o.endedAt;
  const paidAt = o.ending === 'unpaid_cancel' ? null : o.placedAt + 40_000;
  const sessionId = o.table ? `ses_demo_${o.key}` : null;

  const body = {
    id: o.id,
    storeId: o.store.id,
    ticketNo: o.ticketNo,
    status,
    mode: o.mode,
    payLater: false,
    kitchenHold: false,
    memberId,
    addedBy: memberId ? `member:${memberId}` : `staff:${o.store.staffId}`,
    table: o.table ? { id: o.table.id, name: o.table.name, area: o.table.area } : null,
    sessionId,
    lines: o.lines,
    discounts: o.coupon
      ? [
          {
            id: o.coupon.id,
            source: 'coupon',
            kind: 'amount',
            name: o.coupon.name,
            amount: o.discountTotal,
            reason: o.coupon.name,
          },
        ]
      : [],
    itemsSubtotal: o.itemsSubtotal,
    discountTotal: o.discountTotal,
    packingFee: o.packingFee,
    deliveryFee: o.deliveryFee,
    total: o.total,
    couponIds: o.coupon ? [o.coupon.id] : [],
    note: null,
    invoice: null,
    paid,
    pickupAt: o.mode === 'pickup' ? isoLocal(o.placedAt + 15 * MINUTE, tz) : null,
    delivery:
      o.mode === 'delivery'
        ? {
            distanceMetres: o.distance,
            address: '上海市黄浦区 示例路 88 号',
            location: { lat: o.store.lat + o.distance / 200_000, lng: o.store.lng },
            contactName: o.member?.nickname ?? '顾客',
            contactPhone: '138****0000',
          }
        : null,
    createdAt: isoLocal(o.placedAt, tz),
    updatedAt: isoLocal(updatedAt, tz),
    expiresAt: null,
    paidAt: paidAt === null ? null : isoLocal(paidAt, tz),
    estimatedReadyAt: isoLocal(o.readyAt, tz),
    lastUrgedAt: null,
    allowedActions: [],
  };
  out.order_history.push({
    id: o.id,
    brand_id: brand,
    store_id: o.store.id,
    member_id: memberId,
    ticket_no: o.ticketNo,
    mode: o.mode,
    status,
    total: o.total,
    body: JSON.stringify(body),
    last_seq: plan ? 7 : 6,
    created_at: o.placedAt,
    updated_at: updatedAt,
  });

  // A balance payment is topped up just before (so the wallet ledger always sums to its balance).
  const method = o.method === 'balance' && (plan || !memberId) ? 'wechat' : o.method;
  const payId = `pay_demo_${o.key}`;
  const external = method === 'wechat' || method === 'alipay';
  out.payments.push({
    id: payId,
    brand_id: brand,
    store_id: o.store.id,
    order_id: o.id,
    member_id: memberId,
    purpose: 'order',
    method,
    amount: o.total,
    currency: 'CNY',
    status: paid ? 'succeeded' : 'expired',
    provider_txn_id: paid && external ? txnId(method, o.key) : null,
    refunded: plan ? plan.amount : 0,
    client_params: '{}',
    expires_at: o.placedAt + 15 * MINUTE,
    created_at: o.placedAt + 10_000,
    settled_at: paidAt,
  });
  if (method === 'balance' && memberId) walletMoves(o, memberId, payId, out);
  if (plan) {
    const refundId =
      o.ending === 'paid_cancel' ? `rfd_${payId}_cancel` : `rfd_${payId}_${hexOf(`refund|${o.key}`, 12)}`;
    out.refunds.push({
      id: refundId,
      payment_id: payId,
      order_id: o.id,
      amount: plan.amount,
      status: 'succeeded',
      reason:
        o.ending === 'paid_cancel'
          ? 'order cancelled'
          : o.ending === 'full_refund'
            ? '菜品问题，整单退款'
            : '少送一份，按菜退款',
      lines: JSON.stringify(o.ending === 'paid_cancel' ? [] : plan.lines),
      provider_refund_id:
        method === 'wechat'
          ? `50${hexOf(`wxr|${o.key}`, 26).replace(/[a-f]/g, '7')}`
          : method === 'alipay'
            ? txnId('alipay', `r${o.key}`)
            : null,
      created_at: refundAt,
      settled_at: refundAt + 60_000,
    });
  }
  if (o.table) {
    out.table_seatings.push({
      id: sessionId,
      brand_id: brand,
      store_id: o.store.id,
      table_id: o.table.id,
      day: new Date(o.dayNo * DAY).toISOString().slice(0, 10),
      diners: o.diners,
      opened_at: o.seatedAt,
      closed_at: o.leftAt,
    });
  }
  if (o.coupon && memberId) {
    const issuedAt =
      o.coupon.source === 'gift_pack'
        ? (o.member?.createdAt ?? o.placedAt)
        : o.placedAt - rng(`coupon|${o.key}`).int(2, 20) * DAY;
    // A cancelled order gives its coupon back.
    const back = o.ending === 'unpaid_cancel' || o.ending === 'paid_cancel';
    out.member_coupons.push({
      id: o.coupon.id,
      brand_id: brand,
      member_id: memberId,
      template_id: o.coupon.templateId,
      rule: JSON.stringify({
        kind: 'amount',
        threshold: o.coupon.threshold,
        amountOff: o.coupon.amountOff,
        templateId: o.coupon.templateId,
        name: o.coupon.name,
      }),
      valid_from: issuedAt,
      valid_to: issuedAt + 30 * DAY,
      status: back ? (issuedAt + 30 * DAY <= now ? 'expired' : 'available') : 'used',
      order_id: back ? null : o.id,
      issued_at: issuedAt,
      used_at: back ? null : (paidAt ?? o.placedAt),
      issue_key: `demo:${o.coupon.id}`,
      source: o.coupon.source,
    });
  }
  if (memberId && status !== 'cancelled' && o.ending !== 'paid_cancel')
    pointsMoves(o, memberId, plan, refundAt, now, out);
}

function txnId(method: 'wechat' | 'alipay', key: string): string {
  const digits = hexOf(`txn|${key}`, 24).replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10));
  return method === 'wechat' ? `42${digits.slice(0, 26)}` : `2026${digits.slice(0, 24)}`;
}

function walletMoves(o: DemoOrder, memberId: string, payId: string, out: HistoryRows) {
  const topupId = `pay_demo_${o.key}_t`;
  const at = o.placedAt - 3 * MINUTE;
  out.payments.push({
    id: topupId,
    brand_id: o.store.brandId,
    store_id: o.store.id,
    order_id: null,
    member_id: memberId,
    purpose: 'topup',
    method: 'wechat',
    amount: o.total,
    currency: 'CNY',
    status: 'succeeded',
    provider_txn_id: txnId('wechat', `${o.key}_t`),
    refunded: 0,
    client_params: '{}',
    expires_at: at + 15 * MINUTE,
    created_at: at,
    settled_at: at + 30_000,
  });
  const entry = (suffix: string, kind: string, ref: string, amount: number, balance: number, createdAt: number) => ({
    id: `wle_demo_${o.key}_${suffix}`,
    member_id: memberId,
    brand_id: o.store.brandId,
    kind,
    ref,
    amount,
    balance_after: balance,
    created_at: createdAt,
  });
  out.wallet_ledger.push(entry('t', 'topup', topupId, o.total, o.total, at + 30_000));
  out.wallet_ledger.push(entry('p', 'payment', payId, -o.total, 0, o.placedAt + 40_000));
}
