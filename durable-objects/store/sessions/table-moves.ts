import type { Actor } from '../../../domain/orders/order-state';
import { DoFailure } from '../result';
import type { StoreParts } from '../store-parts';
import { viewOf } from './billing';
import { forDiner, type SessionView } from './session-view';
import type { TableRef } from './sessions';

/** A table session with every round and who added it; by id or by the table's open session. */
export function findSession(
  parts: StoreParts,
  ref: { sessionId?: string; tableId?: string },
  actor: Actor,
  memberId?: string,
): SessionView {
  parts.store.require();
  const { sessions } = parts;
  const row = ref.sessionId ? sessions.get(ref.sessionId) : sessions.openAt(ref.tableId ?? '');
  if (!row) throw new DoFailure({ status: 404, code: 'session.not_found', detail: 'This table has no open session.' });
  const view = viewOf(parts, row, actor);
  return actor === 'guest' ? forDiner(view, memberId) : view;
}

/** Open table sessions for the staff screen. */
export function openSessions(parts: StoreParts): SessionView[] {
  if (!parts.store.known) return [];
  return parts.sessions.list('open').map((r) => viewOf(parts, r, 'staff'));
}

/** Staff moves a party to another table; nothing is re-sent to the kitchen. */
export function moveSession(parts: StoreParts, sessionId: string, to: TableRef): SessionView {
  parts.store.require();
  parts.storage.transactionSync(() => parts.sessions.move(sessionId, to));
  return viewOf(parts, parts.sessions.get(sessionId), 'staff');
}

/** Staff joins two tables into one bill; nothing is re-sent to the kitchen. */
export function mergeSessions(parts: StoreParts, targetId: string, sourceId: string): SessionView {
  parts.store.require();
  parts.storage.transactionSync(() => parts.sessions.merge(targetId, sourceId));
  return viewOf(parts, parts.sessions.get(targetId), 'staff');
}
