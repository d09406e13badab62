import { and, asc, count, eq } from 'drizzle-orm';
import { type Derivation, nextDerivationAt } from '../../domain/analytics/rollup-pace';
import { analyticsPendingDays, orderHistory } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';
import type { StoreDay } from './rollup-statements';
import { recomputeStoreDays } from './rollups.service';

/*
 * Pacing a busy store-day's re-derivations (`domain/analytics/rollup-pace.ts`). An isolate
 * remembers when it last re-derived each day and how many orders the day held; an event that
 * moves a day still inside its pace marks the day pending instead, and the first mark queues an
 * `analytics.paced` job for when the pace is out. The memory only ever saves work: forgetting
 * it re-derives sooner, never later, and a pending day is re-derived by its job, or by the
 * five-minute cron's run of the same job if that message was lost.
 */

const remembered = new Map<string, Derivation>();
/** Store-days an isolate remembers; past it, it starts over (and re-derives sooner). */
const MAX_REMEMBERED = 5_000;
/** Pending days the job re-derives a run; a longer list queues the next run. */
const PENDING_PER_RUN = 50;

const keyOf = (s: StoreDay) => `${s.storeId}|${s.day}`;

/** The touched days split into those to re-derive now and those to mark pending, with when each is due. */
export function splitByPace(days: StoreDay[], now: number) {
  const due: StoreDay[] = [];
  const paced: { day: StoreDay; dueAt: number }[] = [];
  for (const day of days) {
    const dueAt = nextDerivationAt(remembered.get(keyOf(day)));
    if (dueAt <= now) due.push(day);
    else paced.push({ day, dueAt });
  }
  return { due, paced };
}

/** Remembers these days as re-derived at `at`, each holding its count of orders. */
export function rememberDerived(days: StoreDay[], orders: number[], at: number) {
  if (remembered.size + days.length > MAX_REMEMBERED) remembered.clear();
  for (const [i, s] of days.entries()) remembered.set(keyOf(s), { at, orders: orders[i] ?? 0 });
}

/** The orders a store-day holds (the store-day index alone answers it). */
export const dayOrderCount = (d: Db, s: StoreDay) =>
  d
    .select({ n: count() })
    .from(orderHistory)
    .where(and(eq(orderHistory.storeId, s.storeId), eq(orderHistory.businessDay, s.day)));

/** Marks a day pending; returns a row only when this statement made the mark (its job is then to be queued). */
export const pendingMark = (d: Db, s: StoreDay, now: number) =>
  d
    .insert(analyticsPendingDays)
    .values({ storeId: s.storeId, day: s.day, brandId: s.brandId, since: now })
    .onConflictDoNothing()
    .returning({ since: analyticsPendingDays.since });

/**
 * Queues the job that re-derives pending days for when this day's pace is out (at once for a
 * `dueAt` already past). The job takes every pending day, so a day marked since may be
 * re-derived a little early: never late.
 */
export async function queuePacedJob(env: Pick<Env, 'JOBS_QUEUE'>, dueAt: number, now: number) {
  const delaySeconds = Math.max(0, Math.ceil((dueAt - now) / 1000));
  await env.JOBS_QUEUE.send({ job: 'analytics.paced', at: now }, { contentType: 'json', delaySeconds });
}

/**
 * `analytics.paced`: re-derives the pending days, oldest first (each re-derivation deletes its
 * mark in the same transaction), and remembers them as re-derived now.
 */
export async function derivePendingDays(env: Pick<Env, 'DB' | 'ARCHIVE' | 'JOBS_QUEUE'>, now: number) {
  const d = db(env);
  const pending = await d
    .select({
      storeId: analyticsPendingDays.storeId,
      day: analyticsPendingDays.day,
      brandId: analyticsPendingDays.brandId,
    })
    .from(analyticsPendingDays)
    .orderBy(asc(analyticsPendingDays.since))
    .limit(PENDING_PER_RUN);
  if (pending.length === 0) return { derived: 0 };
  await recomputeStoreDays(env, pending, now);
  const counts = await d.batch(
    pending.map((s) => dayOrderCount(d, s)) as unknown as [ReturnType<typeof dayOrderCount>],
  );
  rememberDerived(
    pending,
    counts.map((rows) => rows[0]?.n ?? 0),
    now,
  );
  if (pending.length === PENDING_PER_RUN) await queuePacedJob(env, now, now);
  return { derived: pending.length };
}
