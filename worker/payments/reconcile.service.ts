import { and, asc, eq, lt, notInArray } from 'drizzle-orm';
import { log } from '../../domain/log';
import { payments, reconciliationRuns } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { ledgerEntry } from '../loyalty/points.service';
import { applyNotification } from './callbacks.service';
import { paymentFields } from './payment-rows';
import { expireStalePayments, movePayment, settleWithStore } from './payments.service';
import { type ExternalMethod, providerFor } from './providers/registry';

/**
 * The reconciliation job: payments still pending after a minute are looked up at their
 * provider (a callback may have been lost) and settled exactly as a callback would.
 * Each run's result is stored.
 */
export async function reconcilePayments(env: Env, now = Date.now()) {
  const started = Date.now();
  const results = await db(env)
    .select(paymentFields)
    .from(payments)
    .where(
      and(
        eq(payments.status, 'pending'),
        notInArray(payments.method, ['balance', 'points']),
        lt(payments.createdAt, now - 60_000),
      ),
    )
    .orderBy(asc(payments.createdAt))
    .limit(200);
  const result = { checked: 0, settled: 0, closed: 0, stillPending: 0, expired: 0, errors: 0 };
  for (const p of results) {
    result.checked++;
    try {
      const q = await providerFor(env, p.method as ExternalMethod).query(p.id);
      if (q.status === 'success') {
        const applied = await applyNotification(
          env,
          p.method as ExternalMethod,
          {
            kind: 'payment',
            outTradeNo: p.id,
            providerTxnId: q.providerTxnId ?? `query_${p.id}`,
            amount: q.amount ?? p.amount,
            currency: q.currency ?? p.currency,
            status: 'success',
          },
          now,
        );
        if (applied.ok) result.settled++;
        else result.errors++;
      } else if (q.status === 'closed' || q.status === 'failed' || q.status === 'not_found') {
        if (p.expires_at < now && (await movePayment(env, p.id, ['pending'], 'failed', { now }))) result.closed++;
        else result.stillPending++;
      } else {
        result.stillPending++;
      }
    } catch (e) {
      log.warn('reconcile failed', { paymentId: p.id, error: e });
      result.errors++;
    }
  }
  await settleStrandedPointsPayments(env, now, result);
  result.expired = await expireStalePayments(env, now);
  await db(env)
    .insert(reconciliationRuns)
    .values({ id: newId('rec'), startedAt: started, finishedAt: Date.now(), result: JSON.stringify(result) });
  return result;
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
