import type { Actor } from '../../../domain/orders/order-state';
import type { BillRound } from '../../../domain/sessions/bill';
import { isoInZone } from '../../../domain/zoned-time';
import type { OrderRow, OrderView } from '../orders/order-types';
import { orderView } from '../orders/orders';
import type { SessionRow } from './sessions';

export interface SessionView {
  id: string;
  table: { id: string; name: string; area: string };
  status: SessionRow['status'];
  payLater: boolean;
  openedAt: string;
  closedAt: string | null;
  /** Diners in order of arrival, labelled "Diner 1", "Diner 2"…; waiter entries are "Staff". */
  diners: { key: string; label: string }[];
  rounds: (OrderView & { addedByLabel: string })[];
  total: number;
  unpaid: number;
}

export function sessionView(sql: SqlStorage, row: SessionRow, storeId: string, tz: string, actor: Actor): SessionView {
  const keys = JSON.parse(row.diners) as string[];
  let n = 0;
  const diners = keys.map((key) => ({ key, label: key.startsWith('staff:') ? 'Staff' : `Diner ${++n}` }));
  const labels = new Map(diners.map((d) => [d.key, d.label]));
  const rounds = sql
    .exec<OrderRow>('SELECT * FROM orders WHERE session_id = ? ORDER BY created_at', row.id)
    .toArray()
    .map((o) => ({ ...orderView(o, storeId, tz, actor), addedByLabel: labels.get(o.placed_by) ?? 'Diner' }));
  const live = rounds.filter((r) => r.status !== 'cancelled' && r.status !== 'refunded');
  return {
    id: row.id,
    table: { id: row.table_id, name: row.table_name, area: row.area },
    status: row.status,
    payLater: row.pay_later === 1,
    openedAt: isoInZone(row.opened_at, tz),
    closedAt: row.closed_at === null ? null : isoInZone(row.closed_at, tz),
    diners,
    rounds,
    total: live.reduce((s, r) => s + r.total, 0),
    unpaid: live.filter((r) => r.paidAt === null).reduce((s, r) => s + r.total, 0),
  };
}

/** The rounds of a session as the bill splitter sees them (cancelled rounds excluded). */
export function billRounds(view: SessionView): BillRound[] {
  return view.rounds
    .filter((r) => r.status !== 'cancelled' && r.status !== 'refunded')
    .map((r) => ({
      orderId: r.id,
      addedBy: r.addedBy,
      lines: r.lines.map((l) => ({ index: l.index, name: l.name, quantity: l.quantity, total: l.total })),
      fees: r.total - r.lines.reduce((s, l) => s + l.total, 0),
      total: r.total,
    }));
}

/**
 * What one diner sees of their table: every round's dishes, quantities, status and the
 * shared totals, but another diner's note, invoice, coupons and identity stay theirs
 * ("allergic to peanuts, room 1203" is not for whoever holds the QR code). Their
 * discounts go too: a coupon's id is theirs, and a tier discount names their tier; the
 * lines and totals still show what the round costs. Other diners are named by their
 * label only, and nobody acts on another's round. Staff see the session whole.
 */
export function forDiner(view: SessionView, memberId: string | undefined): SessionView {
  const own = memberId ? `member:${memberId}` : undefined;
  const keyOf = new Map(view.diners.map((d, i) => [d.key, d.key === own ? d.key : `diner:${i + 1}`]));
  return {
    ...view,
    diners: view.diners.map((d) => ({ ...d, key: keyOf.get(d.key)! })),
    rounds: view.rounds.map((r) =>
      r.addedBy === own
        ? r
        : {
            ...r,
            addedBy: keyOf.get(r.addedBy) ?? 'diner',
            memberId: null,
            note: null,
            invoice: null,
            delivery: null,
            couponIds: [],
            discounts: [],
            allowedActions: [],
          },
    ),
  };
}
