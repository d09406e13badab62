import { holdingStatuses } from '../../../domain/orders/order-state';
import { unpaidHoldRefusal } from '../../../domain/orders/unpaid-holds';
import { DoFailure } from '../result';
import type { StoreParts } from '../store-parts';
import type { OrderDraft } from './order-draft';
import type { OrderBody, OrderRow } from './order-types';

const holding = holdingStatuses.map((s) => `'${s}'`).join(',');

/**
 * A guest's orders held unpaid here. Not sorted by the statement: its ORDER BY built a
 * temporary b-tree on every placement, which doubled the statement's cost at a quiet store
 * (SCALE.md); the few rows are sorted after.
 */
export const UNPAID_HOLDS_SQL = `SELECT id, created_at FROM orders WHERE member_id = ? AND status IN (${holding})`;

/**
 * Refuses an unpaid order its guest may not place (the rules are in
 * `domain/orders/unpaid-holds.ts`). Runs in the same synchronous step as the hold, so two
 * placements by one guest cannot both pass. Staff placements and open tabs are not unpaid
 * holds of a guest and are left alone.
 */
export function checkGuestHolds(parts: StoreParts, order: OrderDraft) {
  const { input } = order;
  if (order.payLater || input.placedBy.role !== 'member' || !input.memberId) return;
  const unpaid = parts.sql
    .exec<{ id: string; created_at: number }>(UNPAID_HOLDS_SQL, input.memberId)
    .toArray()
    .sort((a, b) => a.created_at - b.created_at)
    .map((r) => r.id);
  const strikesToday = order.limitedStock ? strikes(parts.sql, input.memberId, order.day) : 0;
  const refusal = unpaidHoldRefusal(input.settings, { unpaid: unpaid.length, strikesToday }, order.limitedStock);
  if (refusal?.code === 'order.too_many_unpaid') {
    throw new DoFailure({
      status: 409,
      code: refusal.code,
      detail: `You already have ${refusal.unpaid} unpaid orders here; pay or cancel one before placing another.`,
      extra: { unpaidOrderIds: unpaid, limit: refusal.limit },
    });
  }
  if (refusal?.code === 'order.limited_stock_refused') {
    const limited = limitedItems(order);
    throw new DoFailure({
      status: 409,
      code: refusal.code,
      detail:
        `${refusal.strikes} of your unpaid orders holding limited dishes lapsed today, so ` +
        `${limited.map((id) => order.names.get(id) ?? id).join(', ')} cannot be held for you again until tomorrow. ` +
        'Other dishes are still open to you.',
      errors: limited.map((id) => ({ path: `items.${id}`, message: 'limited today; not held for unpaid orders' })),
    });
  }
}

/** Items of the order that have a daily count. */
function limitedItems(order: OrderDraft): string[] {
  return [...order.reserved.keys()].filter((id) => (order.levels.get(id)?.remaining ?? null) !== null);
}

/** Whether a draft takes any dish with a daily count. */
export const takesLimitedStock = (order: Pick<OrderDraft, 'reserved' | 'levels'>) =>
  [...order.reserved.keys()].some((id) => (order.levels.get(id)?.remaining ?? null) !== null);

function strikes(sql: SqlStorage, memberId: string, day: string): number {
  const r = sql
    .exec<{ lapses: number }>(
      'SELECT lapses FROM guest_strikes WHERE member_id = ? AND business_day = ?',
      memberId,
      day,
    )
    .toArray()[0];
  return r?.lapses ?? 0;
}

/**
 * Inside an order's status change: an unpaid order holding limited stock that the guest
 * let lapse (it expired, or they cancelled it before paying) is a strike for today.
 * Earlier days' strikes are dropped on the way, so the table holds one day.
 */
export function recordLapse(
  parts: StoreParts,
  row: OrderRow,
  body: OrderBody,
  lapse: { action: string; actor: string },
  now: number,
) {
  const lapsed =
    (lapse.action === 'expire' && lapse.actor === 'system') || (lapse.action === 'cancel' && lapse.actor === 'guest');
  if (!lapsed || !body.limitedStock || !row.member_id || !holdingStatuses.includes(row.status)) return;
  const day = parts.store.today(now);
  parts.sql.exec('DELETE FROM guest_strikes WHERE business_day < ?', day);
  parts.sql.exec(
    `INSERT INTO guest_strikes (member_id, business_day, lapses) VALUES (?, ?, 1)
     ON CONFLICT(member_id, business_day) DO UPDATE SET lapses = lapses + 1`,
    row.member_id,
    day,
  );
}
