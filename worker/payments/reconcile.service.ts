import { and, asc, eq, lt, sql } from 'drizzle-orm';
import { log } from '../../domain/log';
import { payments, reconciliationRuns } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { ledgerEntry } from '../loyalty/points.service';
import { type PaymentRow, paymentFields } from './payment-rows';
import { expireStalePayments, movePayment, settleBalancePayment, settleWithStore } from './payments.service';
import { type QueryRunOptions, queryPendingAtProviders } from './reconcile-queries';
import { paymentDebited } from './wallet.service';

export type ReconcileResult = {
  checked: number;
  settled: number;
  closed: number;
  stillPending: number;
  expired: number;
  errors: number;
  /** Left for the next run: the time budget ran out, or the provider's breaker was open. */
  deferred: number;
  /** Providers whose breaker opened this run (too many failures in a row). */
  unavailable: string[];
};

/**
 * The reconciliation job, every five minutes. First what needs only D1: wallet and points
 * payments a dying request left half done. Then payments still pending after a minute are
 * looked up at their provider (a callback may have been lost), a few at a time, within a
 * time budget and with a breaker per provider, so an outage costs one short run. Stale
 * payments are expired whatever the providers did. Each run's result is stored.
 */
export async function reconcilePayments(env: Env, now = Date.now(), options: QueryRunOptions = {}) {
  const started = Date.now();
  const result: ReconcileResult = {
    checked: 0,
    settled: 0,
    closed: 0,
    stillPending: 0,
    expired: 0,
    errors: 0,
    deferred: 0,
    unavailable: [],
  };
  try {
    await finishBalancePayments(env, now, result);
    await settleStrandedPointsPayments(env, now, result);
    await queryPendingAtProviders(env, now, result, options);
  } catch (e) {
    log.warn('reconcile step failed', { error: e });
    result.errors++;
  } finally {
    result.expired = await expireStalePayments(env, now);
    await db(env)
      .insert(reconciliationRuns)
      .values({ id: newId('rec'), startedAt: started, finishedAt: Date.now(), result: JSON.stringify(result) });
  }
  return result;
}

/**
 * Balance payments a request left half done. A pending one: the wallet ledger (keyed by
 * the payment id) says whether the debit was taken; if so the payment completes, if not it
 * fails and nothing was taken. A succeeded one the store never heard of is told now.
 */
async function finishBalancePayments(env: Env, now: number, result: ReconcileResult) {
  const stuck = (status: PaymentRow['status']) =>
    db(env)
      .select(paymentFields)
      .from(payments)
      .where(
        and(
          // Literal terms, so SQLite can match the partial index payments_balance_unsettled.
          sql`${payments.method} = 'balance'`,
          status === 'succeeded'
            ? sql`${payments.status} = 'succeeded' AND ${payments.settledAt} IS NULL`
            : eq(payments.status, status),
          lt(payments.createdAt, now - 60_000),
        ),
      )
      .orderBy(asc(payments.createdAt))
      .limit(200);
  for (const p of await stuck('pending')) {
    const debited = await paymentDebited(env, p.id);
    if (!debited) {
      if (await movePayment(env, p.id, ['pending'], 'failed', { now })) result.closed++;
      continue;
    }
    // Taken before payments moved in the same transaction as their debit: completed here.
    if (await movePayment(env, p.id, ['pending'], 'succeeded', { now })) {
      await settleBalancePayment(env, { ...p, status: 'succeeded' }, now);
      result.settled++;
    }
  }
  for (const p of await stuck('succeeded')) {
    await settleBalancePayment(env, p, now);
    result.settled++;
  }
}

/**
 * A points payment whose request died between spending and settling: the ledger says
 * whether the points moved (keyed by the payment id). If they did, the payment settles
 * as it would have; if not, it fails and nothing was taken.
 */
async function settleStrandedPointsPayments(env: Env, now: number, result: { settled: number; closed: number }) {
  const results = await db(env)
    .select(paymentFields)
    .from(payments)
    .where(and(eq(payments.status, 'pending'), eq(payments.method, 'points'), lt(payments.createdAt, now - 60_000)))
    .limit(200);
  for (const p of results) {
    const spent = await ledgerEntry(env, 'pay', p.id);
    if (spent && (await movePayment(env, p.id, ['pending'], 'succeeded', { now }))) {
      await settleWithStore(env, { ...p, status: 'succeeded', settled_at: now }, now);
      result.settled++;
    } else if (!spent && (await movePayment(env, p.id, ['pending'], 'failed', { now }))) {
      result.closed++;
    }
  }
}
