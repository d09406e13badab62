import type { Actor, StaffAuthority } from '../../../domain/orders/order-state';
import { DoFailure } from '../result';
import type { StoreParts } from '../store-parts';
import type { OrderRow, OrderView } from './order-types';
import { loadOrder, orderView } from './orders';

/** One order, as a guest (only their own), staff member or the system sees it. */
export function readOrder(
  parts: StoreParts,
  orderId: string,
  viewer: { actor: Actor; memberId?: string; authority?: StaffAuthority },
): OrderView {
  const m = parts.store.require();
  const row = loadOrder(parts.sql, orderId);
  if (viewer.actor === 'guest' && row.member_id !== viewer.memberId) {
    throw new DoFailure({ status: 404, code: 'order.not_found', detail: `No order with id ${orderId}.` });
  }
  const view = orderView(row, m.storeId, m.timeZone, viewer.actor, undefined, viewer.authority);
  return { ...view, queuePosition: view.kitchenHold ? null : queuePosition(parts.sql, row) };
}

const cooking: readonly string[] = ['paid', 'accepted', 'preparing'];
const cookingList = cooking.map((s) => `'${s}'`).join(',');

/**
 * How many orders the kitchen took before this one and has not finished: the open orders
 * (a handful, on the status index) taken earlier, when paid or, paying later, when placed.
 * Null when the order is not waiting in the kitchen.
 */
function queuePosition(sql: SqlStorage, row: OrderRow): number | null {
  if (!cooking.includes(row.status)) return null;
  const taken = row.paid_at ?? row.created_at;
  return sql
    .exec<{ n: number }>(
      `SELECT count(*) AS n FROM orders WHERE status IN (${cookingList}) AND id != ?
         AND (coalesce(paid_at, created_at) < ? OR (coalesce(paid_at, created_at) = ? AND created_at < ?))`,
      row.id,
      taken,
      taken,
      row.created_at,
    )
    .one().n;
}

/** Today's orders for the staff screen, newest first, optionally by status. */
export function todaysOrders(
  parts: StoreParts,
  filter: { statuses?: string[]; limit?: number },
  now: number,
): OrderView[] {
  const m = parts.store.known;
  if (!m) return [];
  return parts.sql
    .exec<OrderRow>(
      'SELECT * FROM orders WHERE business_day = ? ORDER BY created_at DESC LIMIT ?',
      parts.store.today(now),
      filter.limit ?? 200,
    )
    .toArray()
    .filter((r) => !filter.statuses || filter.statuses.includes(r.status))
    .map((r) => orderView(r, m.storeId, m.timeZone, 'staff'));
}
