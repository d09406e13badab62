import { presenceMessages, seatOutlived } from '../../../domain/sessions/presence';
import type { PlaceOrderInput } from '../orders/order-types';
import { DoFailure } from '../result';
import type { Sessions } from './sessions';

/**
 * The store's half of proof of presence, before anything is admitted: a guest seated
 * before the table's last session closed belongs to the party that left, and a diner on
 * an open tab has a bounded number of rounds the kitchen cooks before anyone pays or
 * staff serve them, so a stolen ticket cannot run up a table's bill.
 */
export function checkSeat(sessions: Sessions, input: PlaceOrderInput): void {
  if (!input.table || input.placedBy.role !== 'member') return;
  if (input.presence && seatOutlived(input.presence.seatedAt, sessions.lastClosedAt(input.table.id))) {
    throw new DoFailure({
      status: 403,
      code: 'table.presence_required',
      detail: presenceMessages.session_closed,
      extra: { reason: 'session_closed' },
    });
  }
  const open = sessions.openAt(input.table.id);
  if (open?.pay_later !== 1) return;
  const limit = input.settings.maxUnservedRoundsPerDiner;
  const rounds = sessions.unservedRounds(open.id, `member:${input.placedBy.subject}`);
  if (rounds >= limit) {
    throw new DoFailure({
      status: 409,
      code: 'session.rounds_limit',
      detail: `You have ${rounds} rounds on this table's tab not yet served or paid; pay, or ask the staff, to order more.`,
      extra: { limit, unservedRounds: rounds },
    });
  }
}
