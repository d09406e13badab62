/*
 * The one order state machine. Every status change of an order goes through
 * `transition`; nothing else writes a status.
 */

export const orderStatuses = [
  'placed',
  'pending_payment',
  'paid',
  'accepted',
  'preparing',
  'ready',
  'served',
  'picked_up',
  'delivering',
  'completed',
  'cancel_requested',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const orderActions = [
  'await_payment',
  'pay',
  'accept',
  'start',
  'ready',
  'serve',
  'pick_up',
  'dispatch',
  'complete',
  'request_cancel',
  'approve_cancel',
  'reject_cancel',
  'cancel',
  'expire',
  'refund',
] as const;
export type OrderAction = (typeof orderActions)[number];

export type Actor = 'guest' | 'staff' | 'system';

/**
 * What a staff member may do beyond running the floor: a clerk accepts, cooks, serves and
 * cancels unpaid orders; only a manager (or a brand admin) may give money back.
 */
export type StaffAuthority = 'clerk' | 'manager';
export type OrderMode = 'dine_in' | 'pickup' | 'delivery';

interface Rule {
  /** `previous`: back to the status before a cancel request; `stay`: no status change. */
  to: OrderStatus | 'previous' | 'stay';
  actors: Actor[];
  modes?: OrderMode[];
  /** Only for orders that pay after the meal (an open tab). */
  tab?: boolean;
}

const S: Actor[] = ['staff'];
const SYS: Actor[] = ['system'];
const STAFF_OR_SYS: Actor[] = ['staff', 'system'];

/** From each status, the actions allowed and where they lead. */
const rules: Record<OrderStatus, Partial<Record<OrderAction, Rule>>> = {
  placed: {
    await_payment: { to: 'pending_payment', actors: SYS },
    accept: { to: 'accepted', actors: STAFF_OR_SYS, tab: true },
    cancel: { to: 'cancelled', actors: ['guest', 'staff', 'system'] },
  },
  pending_payment: {
    pay: { to: 'paid', actors: SYS },
    expire: { to: 'cancelled', actors: SYS },
    cancel: { to: 'cancelled', actors: ['guest', 'staff', 'system'] },
  },
  paid: {
    accept: { to: 'accepted', actors: STAFF_OR_SYS },
    request_cancel: { to: 'cancel_requested', actors: ['guest'] },
    cancel: { to: 'cancelled', actors: STAFF_OR_SYS },
  },
  accepted: {
    pay: { to: 'stay', actors: SYS, tab: true },
    start: { to: 'preparing', actors: STAFF_OR_SYS },
    ready: { to: 'ready', actors: STAFF_OR_SYS },
    request_cancel: { to: 'cancel_requested', actors: ['guest'] },
    cancel: { to: 'cancelled', actors: S },
  },
  preparing: {
    pay: { to: 'stay', actors: SYS, tab: true },
    ready: { to: 'ready', actors: STAFF_OR_SYS },
    request_cancel: { to: 'cancel_requested', actors: ['guest'] },
    cancel: { to: 'cancelled', actors: S },
  },
  ready: {
    pay: { to: 'stay', actors: SYS, tab: true },
    serve: { to: 'served', actors: S, modes: ['dine_in'] },
    pick_up: { to: 'picked_up', actors: S, modes: ['pickup'] },
    dispatch: { to: 'delivering', actors: STAFF_OR_SYS, modes: ['delivery'] },
    complete: { to: 'completed', actors: STAFF_OR_SYS },
  },
  served: {
    pay: { to: 'stay', actors: SYS, tab: true },
    complete: { to: 'completed', actors: STAFF_OR_SYS },
  },
  picked_up: { complete: { to: 'completed', actors: STAFF_OR_SYS } },
  delivering: { complete: { to: 'completed', actors: STAFF_OR_SYS } },
  completed: {
    pay: { to: 'stay', actors: SYS, tab: true },
    refund: { to: 'refunded', actors: STAFF_OR_SYS },
  },
  cancel_requested: {
    approve_cancel: { to: 'cancelled', actors: S },
    reject_cancel: { to: 'previous', actors: S },
  },
  cancelled: { refund: { to: 'refunded', actors: STAFF_OR_SYS } },
  refunded: {},
};

export interface OrderStateView {
  status: OrderStatus;
  mode: OrderMode;
  /** Status before a cancellation request, restored when staff reject it. */
  previousStatus?: OrderStatus | null;
  /** True for pay-after-meal (open tab) orders. */
  payLater?: boolean;
  /** Money received so far, in cents (an open tab may be paid in part). */
  paid?: number;
}

export type TransitionResult =
  | { ok: true; status: OrderStatus; previousStatus: OrderStatus | null }
  | { ok: false; code: 'order.illegal_transition' | 'auth.forbidden' | 'order.refund_needs_manager'; message: string };

/**
 * Applies an action to an order's state, or explains why it cannot happen now. Staff act
 * as clerks unless `authority` says otherwise: a move that gives money back needs a manager.
 */
export function transition(
  order: OrderStateView,
  action: OrderAction,
  actor: Actor,
  authority: StaffAuthority = 'clerk',
): TransitionResult {
  const rule = rules[order.status][action];
  if (!rule || (rule.modes && !rule.modes.includes(order.mode)) || (rule.tab && !order.payLater)) {
    return {
      ok: false,
      code: 'order.illegal_transition',
      message: `Cannot ${action.replace('_', ' ')} an order that is ${order.status.replace('_', ' ')}.`,
    };
  }
  if (!rule.actors.includes(actor)) {
    return { ok: false, code: 'auth.forbidden', message: `A ${actor} cannot ${action.replace('_', ' ')} an order.` };
  }
  if (actor === 'staff' && authority !== 'manager' && rule.to !== 'stay' && returnsMoney(order, rule.to)) {
    return {
      ok: false,
      code: 'order.refund_needs_manager',
      message: `Only a manager can ${action.replace('_', ' ')} an order that has been paid: it refunds the guest.`,
    };
  }
  // An open tab is paid after the meal: payment is recorded, the kitchen status stays.
  if (rule.to === 'stay') return { ok: true, status: order.status, previousStatus: order.previousStatus ?? null };
  if (rule.to === 'previous') {
    const back = order.previousStatus;
    if (!back) return { ok: false, code: 'order.illegal_transition', message: 'No earlier status to return to.' };
    return { ok: true, status: back, previousStatus: null };
  }
  return {
    ok: true,
    status: rule.to,
    previousStatus: rule.to === 'cancel_requested' ? order.status : null,
  };
}

/** Actions allowed now for an actor: what a client may offer as buttons. */
export function allowedActions(order: OrderStateView, actor: Actor, authority?: StaffAuthority): OrderAction[] {
  return orderActions.filter((a) => transition(order, a, actor, authority).ok);
}

/**
 * Whether a move ends with money going back to the guest. Every payment of a cancelled
 * order is refunded in full (the events consumer does it), so cancelling an order that
 * took money is a refund as much as refunding it is. An order has taken money once it is
 * past payment (a tab only once something was paid on it).
 */
export function returnsMoney(order: OrderStateView, to: OrderStatus | 'previous'): boolean {
  if (to !== 'cancelled' && to !== 'refunded') return false;
  if ((order.paid ?? 0) > 0) return true;
  return !order.payLater && !holdingStatuses.includes(order.status);
}

/** Orders still taking kitchen capacity (for peak protection and ETAs). */
export const openStatuses: readonly OrderStatus[] = ['paid', 'accepted', 'preparing', 'ready'];

/** Orders whose stock and coupons are held but not yet settled. */
export const holdingStatuses: readonly OrderStatus[] = ['placed', 'pending_payment'];

/** Final states: no further change except a refund. */
export const isFinal = (s: OrderStatus) => s === 'completed' || s === 'cancelled' || s === 'refunded';
