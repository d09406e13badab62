import { and, asc, eq, lt, notInArray } from 'drizzle-orm';
import { log } from '../../domain/log';
import { payments } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { applyNotification } from './callbacks.service';
import { type PaymentRow, paymentFields } from './payment-rows';
import { movePayment } from './payments.service';
import { ProviderError, type QueryResult } from './providers/provider';
import { type ExternalMethod, providerFor } from './providers/registry';

export interface QueryRunOptions {
  /** How long the provider queries of one run may take in all (ms); what is left waits. */
  budgetMs?: number;
  /** Queries in flight at once. */
  concurrency?: number;
  /** One query's limit (ms): shorter than the providers' own, so a hung one costs little. */
  queryTimeoutMs?: number;
  /** Failures in a row after which a provider is left alone for the rest of the run. */
  breakerAfter?: number;
  /** The run's clock for the budget (tests advance a fake one). */
  clock?: () => number;
  /** Resolves after `ms` (tests pass one that resolves at once). */
  sleep?: (ms: number) => Promise<void>;
}

/** A cron runs every five minutes; a run's queries end well inside that. */
const DEFAULTS = { budgetMs: 25_000, concurrency: 4, queryTimeoutMs: 3_000, breakerAfter: 3 };

interface Counts {
  checked: number;
  settled: number;
  closed: number;
  stillPending: number;
  errors: number;
  deferred: number;
  unavailable: string[];
}

class QueryTimeout extends Error {}

/**
 * Looks up pending provider payments (oldest first) and applies what the provider says,
 * as a callback would. Bounded three ways: the run's time budget, a few queries at a time,
 * and a breaker per provider that opens after failures in a row (an outage, or queries
 * that hang), leaving that provider's payments for the next run.
 */
export async function queryPendingAtProviders(env: Env, now: number, result: Counts, options: QueryRunOptions) {
  const o = { ...DEFAULTS, clock: Date.now, sleep: realSleep, ...options };
  const deadline = o.clock() + o.budgetMs;
  const due = await db(env)
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
  const failures = new Map<string, number>();
  const open = (method: string) => (failures.get(method) ?? 0) >= o.breakerAfter;
  let next = 0;
  const worker = async () => {
    while (next < due.length) {
      const p = due[next++]!;
      if (o.clock() >= deadline || open(p.method)) {
        result.deferred++;
        continue;
      }
      result.checked++;
      try {
        const q = await withTimeout(
          providerFor(env, p.method as ExternalMethod).query(p.id),
          o.queryTimeoutMs,
          o.sleep,
        );
        failures.set(p.method, 0);
        await apply(env, p, q, now, result);
      } catch (e) {
        result.errors++;
        if (e instanceof QueryTimeout || (e instanceof ProviderError && e.code === 'payment.provider_unavailable')) {
          failures.set(p.method, (failures.get(p.method) ?? 0) + 1);
          if (open(p.method) && !result.unavailable.includes(p.method)) result.unavailable.push(p.method);
        }
        log.warn('reconcile query failed', { paymentId: p.id, error: e });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
}

async function apply(env: Env, p: PaymentRow, q: QueryResult, now: number, result: Counts) {
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
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function withTimeout<T>(work: Promise<T>, ms: number, sleep: (ms: number) => Promise<void>): Promise<T> {
  const timeout = sleep(ms).then(() => {
    throw new QueryTimeout(`no answer in ${ms} ms`);
  });
  // A hung query is abandoned, not awaited; its late answer (or error) goes nowhere.
  work.catch(() => undefined);
  return Promise.race([work, timeout]);
}
