import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';

/**
 * One payment attempt: an external provider charge or a wallet debit. `id` is the
 * out_trade_no sent to the provider. `refunded` only grows, by conditional UPDATE, and
 * never past `amount`.
 */
export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    storeId: text('store_id'),
    /** The order paid for; null for a wallet top-up. */
    orderId: text('order_id'),
    memberId: text('member_id'),
    purpose: text('purpose', { enum: ['order', 'topup'] }).notNull(),
    method: text('method', { enum: ['wechat', 'alipay', 'balance', 'points', 'sandbox'] }).notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('CNY'),
    status: text('status', { enum: ['pending', 'succeeded', 'failed', 'expired', 'review'] }).notNull(),
    providerTxnId: text('provider_txn_id'),
    refunded: integer('refunded').notNull().default(0),
    /** JSON: what the client needs to pay (wx.requestPayment params, a wap URL…). */
    clientParams: text('client_params').notNull().default('{}'),
    expiresAt: integer('expires_at').notNull(),
    createdAt: createdAt(),
    /** When it succeeded; for a balance payment, when the store took it (empty until then). */
    settledAt: integer('settled_at'),
  },
  (t) => [
    index('payments_order').on(t.orderId),
    index('payments_pending').on(t.status, t.createdAt),
    uniqueIndex('payments_provider_txn').on(t.method, t.providerTxnId),
    // Balance payments debited but not yet known to the store (reconciliation finishes them).
    index('payments_balance_unsettled')
      .on(t.createdAt)
      .where(sql`method = 'balance' AND status = 'succeeded' AND settled_at IS NULL`),
  ],
);

/** Refunds to one tender; `id` is the provider's out_refund_no (idempotent there too). */
export const refunds = sqliteTable(
  'refunds',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id').notNull(),
    orderId: text('order_id'),
    amount: integer('amount').notNull(),
    /** `review`: the provider could not deliver it (WeChat ABNORMAL); staff resend it by hand. */
    status: text('status', { enum: ['processing', 'succeeded', 'failed', 'review'] }).notNull(),
    reason: text('reason').notNull(),
    /** JSON [{ index, quantity }]: the order lines this refund pays back, when by line. */
    lines: text('lines').notNull().default('[]'),
    providerRefundId: text('provider_refund_id'),
    createdAt: createdAt(),
    settledAt: integer('settled_at'),
  },
  (t) => [index('refunds_payment').on(t.paymentId), index('refunds_order').on(t.orderId)],
);

/** What happened to payments that needs a human or an audit: refusals, mismatches, late callbacks. */
export const paymentEvents = sqliteTable(
  'payment_events',
  {
    id: text('id').primaryKey(),
    paymentId: text('payment_id'),
    kind: text('kind').notNull(),
    detail: text('detail').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('payment_events_payment').on(t.paymentId),
    index('payment_events_kind').on(t.kind, t.createdAt),
    index('payment_events_created').on(t.createdAt),
  ],
);

/** Stored value: the balance row is a cache of the ledger's sum, moved only with it. */
export const walletBalances = sqliteTable('wallet_balances', {
  memberId: text('member_id').primaryKey(),
  brandId: text('brand_id').notNull(),
  balance: integer('balance').notNull().default(0),
  updatedAt: updatedAt(),
});

/** Append-only wallet ledger; (kind, ref) is unique so a replay can never post twice. */
export const walletLedger = sqliteTable(
  'wallet_ledger',
  {
    id: text('id').primaryKey(),
    memberId: text('member_id').notNull(),
    brandId: text('brand_id').notNull(),
    kind: text('kind', { enum: ['topup', 'bonus', 'payment', 'refund', 'return', 'referral'] }).notNull(),
    ref: text('ref').notNull(),
    amount: integer('amount').notNull(),
    balanceAfter: integer('balance_after').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('wallet_ledger_kind_ref').on(t.kind, t.ref),
    index('wallet_ledger_member').on(t.memberId, t.createdAt),
  ],
);

/** One row per reconciliation cron run. */
export const reconciliationRuns = sqliteTable(
  'reconciliation_runs',
  {
    id: text('id').primaryKey(),
    startedAt: integer('started_at').notNull(),
    finishedAt: integer('finished_at').notNull(),
    /** JSON: counts checked, settled, expired, failed, errors. */
    result: text('result').notNull(),
  },
  (t) => [index('reconciliation_runs_started').on(t.startedAt)],
);
