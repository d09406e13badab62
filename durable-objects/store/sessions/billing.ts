import { yuan } from '../../../domain/money';
import type { Actor } from '../../../domain/orders/order-state';
import { type Bill, splitBill } from '../../../domain/sessions/bill';
import { DoFailure } from '../result';
import type { StoreParts } from '../store-parts';
import { billRounds, type SessionView, sessionView } from './session-view';
import type { SessionRow } from './sessions';

/** A session as `actor` sees it, in the store's time zone. */
export function viewOf(parts: StoreParts, row: SessionRow, actor: Actor): SessionView {
  const m = parts.store.require();
  return sessionView(parts.sql, row, m.storeId, m.timeZone, actor);
}

/** The bill of a session, split by diner or by line; parts always add up to the total. */
export function sessionBill(
  parts: StoreParts,
  sessionId: string,
  by: 'diner' | 'line',
): Bill & { sessionId: string; unpaid: number } {
  const view = viewOf(parts, parts.sessions.get(sessionId), 'staff');
  return {
    sessionId,
    unpaid: view.unpaid,
    ...splitBill(billRounds(view), by, new Map(view.diners.map((d) => [d.key, d.label]))),
  };
}

/** Closes a session once nothing on it is left unpaid. */
export function closeSession(parts: StoreParts, sessionId: string, now: number): SessionView {
  parts.store.require();
  const view = viewOf(parts, parts.sessions.get(sessionId), 'staff');
  if (view.unpaid > 0) {
    throw new DoFailure({
      status: 409,
      code: 'session.unpaid',
      detail: `${yuan(view.unpaid)} is still unpaid on this table.`,
      extra: { unpaid: view.unpaid },
    });
  }
  // The seating and its outbox event in one transaction: table turnover counts every close once.
  parts.storage.transactionSync(() => {
    parts.sessions.close(sessionId, now);
    for (const s of parts.sessions.seatingsClosedWith(sessionId)) parts.outbox.append('session.closed', null, s, now);
    parts.jobs.flushSoon(now);
  });
  void parts.jobs.arm();
  return viewOf(parts, parts.sessions.get(sessionId), 'staff');
}
