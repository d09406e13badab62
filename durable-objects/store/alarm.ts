import { log } from '../../domain/log';
import { SWEEP } from './jobs';
import { actOnOrder, checkKitchenHold } from './orders/actions';
import type { OrderRow } from './orders/order-types';
import { isHolding } from './orders/orders';
import { resultOrProblem } from './result';
import { pruneStore, RETENTION } from './retention';
import type { StoreParts } from './store-parts';

/**
 * The store's one alarm: runs the due jobs (expire unpaid orders, giving back stock and
 * coupons; check printers and group-buy holds; prune what retention no longer keeps),
 * flushes the outbox, and re-arms itself.
 */
export async function runAlarm(parts: StoreParts, now: number) {
  parts.jobs.fired();
  parts.jobs.takeFlush();
  let sweepFailed = false;
  try {
    parts.samples.flush(now);
    for (const job of parts.jobs.takeDue(now)) {
      try {
        if (job.kind === 'expire') await expire(parts, job.ref, now);
        if (job.kind === SWEEP.kind) await expireDue(parts, now);
        if (job.kind === 'printer') parts.printers.checkOffline(job.ref, now);
        if (job.kind === 'hold') await checkKitchenHold(parts, job.ref, now);
        if (job.kind === RETENTION.kind)
          await parts.jobs.schedule(RETENTION.kind, RETENTION.ref, await pruneStore(parts, now));
      } catch (e) {
        // One failing job must not lose the others: it is tried again shortly.
        log.warn('store job failed', { job, error: e });
        await parts.jobs.schedule(job.kind, job.ref, now + 30_000);
        if (job.kind === SWEEP.kind) sweepFailed = true;
      }
    }
    // Whatever waits in the outbox goes now, due or not: the alarm is awake anyway.
    if (parts.outbox.waiting()) {
      const m = parts.store.known;
      try {
        // A store that does not know itself cannot name its events (never seen: events are
        // appended after the store is followed); it looks again in a minute, not in a loop.
        if (!m) parts.jobs.flushAgainAt(now + 60_000);
        else await flushEvents(parts, now);
      } catch (e) {
        // Keep the events; try again shortly.
        log.warn('outbox flush failed', { storeId: m?.storeId, error: e });
        parts.jobs.flushAgainAt(now + 5_000);
      }
    }
  } finally {
    parts.jobs.flushDone();
  }
  // The sweep is re-derived from the orders every time, whatever memory says (unless it
  // just failed and waits out its retry), at most once a second through a backlog.
  const nextExpiry = parts.sql
    .exec<{ t: number | null }>(
      `SELECT min(t) AS t FROM (
         SELECT min(expires_at) AS t FROM orders WHERE status = 'pending_payment' AND expires_at IS NOT NULL
         UNION ALL SELECT min(expires_at) FROM orders WHERE status = 'placed' AND expires_at IS NOT NULL)`,
    )
    .one().t;
  if (nextExpiry !== null && !sweepFailed) parts.jobs.sweepBy(Math.max(nextExpiry, now + 1_000), true);
  await parts.jobs.arm();
}

/** Sends pending outbox events to the events queue; nothing before the store knows its brand. */
export async function flushEvents(parts: StoreParts, now: number): Promise<number> {
  const m = parts.store.known;
  if (!m) return 0;
  return parts.outbox.flush(parts.env.EVENTS_QUEUE, m.storeId, m.brandId, now, parts.ownHistory);
}

/** Unpaid orders past their time, oldest first; the alarm comes back for more. */
async function expireDue(parts: StoreParts, now: number) {
  const due = parts.sql
    .exec<{ id: string }>(
      `SELECT id FROM orders WHERE status IN ('placed', 'pending_payment') AND expires_at <= ?
       ORDER BY expires_at LIMIT 200`,
      now,
    )
    .toArray();
  for (const { id } of due) await expire(parts, id, now);
}

async function expire(parts: StoreParts, orderId: string, now: number) {
  const row = parts.sql.exec<OrderRow>('SELECT * FROM orders WHERE id = ?', orderId).toArray()[0];
  if (!row || !isHolding(row.status)) return;
  if (row.expires_at !== null && row.expires_at > now) {
    await parts.jobs.schedule('expire', orderId, row.expires_at);
    return;
  }
  // An order stuck in `placed` (the object died mid-placement) is cancelled the same way.
  const action = row.status === 'pending_payment' ? 'expire' : 'cancel';
  const done = await resultOrProblem(() => actOnOrder(parts, { orderId, action, actor: 'system' }, now));
  if (!done.ok) {
    // Never expected; left for staff, not swept again every second.
    log.error('order cannot expire', { orderId, problem: done.problem });
    parts.sql.exec('UPDATE orders SET expires_at = NULL WHERE id = ?', orderId);
  }
}
