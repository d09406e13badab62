import type { OrderAction, OrderStatus } from '../orders/order-state';

/*
 * One delivery status model for every carrier: the store's own riders, WeChat instant
 * delivery, Dada and SF. Each adapter maps its provider's callback codes onto these, and
 * the store applies them here, so out-of-order and repeated callbacks (the carriers'
 * most common failure) cannot move a delivery backwards or twice.
 */

export const deliveryStatuses = [
  'awaiting_rider',
  'rider_assigned',
  'at_store',
  'picked_up',
  'delivered',
  'cancelled',
  'failed',
] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** Who carries it: the store's own rider, or a carrier reached through its adapter. */
export const deliveryProviders = ['own', 'wechat', 'dada', 'sf'] as const;
export type DeliveryProvider = (typeof deliveryProviders)[number];

export interface RiderInfo {
  name: string;
  phone?: string;
  /** The store's own rider (`rdr_…`); absent for a carrier's rider. */
  riderId?: string;
}

export interface Position {
  lat: number;
  lng: number;
}

/** A callback or a rider's tap, mapped onto the one model. */
export interface DeliveryUpdate {
  provider: DeliveryProvider;
  status: DeliveryStatus;
  /** When the provider says it happened (epoch ms). */
  at: number;
  /**
   * Every dispatch has its own `trackingNo` (the carrier's order number, or the own
   * rider's assignment id): it tells a late callback about an earlier dispatch from news.
   */
  trackingNo?: string;
  rider?: RiderInfo;
  position?: Position;
  /** Why a delivery was cancelled or failed, as the provider says it. */
  reason?: string;
}

export interface DeliveryTracking {
  provider: DeliveryProvider;
  status: DeliveryStatus;
  trackingNo?: string;
  rider?: RiderInfo;
  position?: Position & { at: number };
  /** Each status reached, once, in the order it was reached. */
  history: { status: DeliveryStatus; at: number; reason?: string }[];
  updatedAt: number;
}

/** Progress of a live delivery; the two ends (`cancelled`, `failed`) stand outside it. */
const RANK: Record<DeliveryStatus, number> = {
  awaiting_rider: 1,
  rider_assigned: 2,
  at_store: 3,
  picked_up: 4,
  delivered: 5,
  cancelled: 0,
  failed: 0,
};

const ended = (s: DeliveryStatus) => s === 'delivered' || s === 'cancelled' || s === 'failed';

export interface AppliedUpdate {
  tracking: DeliveryTracking;
  /** False for a repeat or a stale callback that taught nothing new (answer it, change nothing). */
  changed: boolean;
  /** Whether the status itself moved (the guest and the kitchen are told). */
  statusChanged: boolean;
}

/**
 * The tracking after one update. A status only moves forward; an older callback arriving
 * late still brings the rider's newer position. A cancelled or failed carrier delivery may
 * be dispatched again (a new `awaiting_rider` from any provider starts over), but nothing
 * moves a delivered order.
 */
export function applyDeliveryUpdate(current: DeliveryTracking | null | undefined, u: DeliveryUpdate): AppliedUpdate {
  const sameDispatch =
    !!current &&
    u.provider === current.provider &&
    (!u.trackingNo || !current.trackingNo || u.trackingNo === current.trackingNo);
  const redispatch =
    !!current &&
    current.status !== 'delivered' &&
    ended(current.status) &&
    !ended(u.status) &&
    (!sameDispatch || u.status === 'awaiting_rider');
  if (!current || redispatch) {
    const history = current?.history ?? [];
    return {
      tracking: {
        provider: u.provider,
        status: u.status,
        ...(u.trackingNo ? { trackingNo: u.trackingNo } : {}),
        ...(u.rider ? { rider: u.rider } : {}),
        ...(u.position ? { position: { ...u.position, at: u.at } } : {}),
        history: [...history, { status: u.status, at: u.at }],
        updatedAt: u.at,
      },
      changed: true,
      statusChanged: true,
    };
  }
  // A late callback about an earlier dispatch (another carrier, or another order number)
  // says nothing about this one.
  if (!sameDispatch) return { tracking: current, changed: false, statusChanged: false };
  const next: DeliveryTracking = { ...current, history: [...current.history] };
  let changed = false;
  let statusChanged = false;
  const forward = !ended(current.status) && (ended(u.status) || RANK[u.status] > RANK[current.status]);
  if (forward) {
    next.status = u.status;
    next.history.push({ status: u.status, at: u.at, ...(u.reason ? { reason: u.reason } : {}) });
    changed = statusChanged = true;
  }
  if (
    u.rider &&
    (u.rider.name !== current.rider?.name || u.rider.phone !== current.rider?.phone) &&
    !ended(current.status)
  ) {
    next.rider = u.rider;
    changed = true;
  }
  if (u.trackingNo && !current.trackingNo) {
    next.trackingNo = u.trackingNo;
    changed = true;
  }
  if (u.position && (!current.position || u.at > current.position.at)) {
    next.position = { ...u.position, at: u.at };
    changed = true;
  }
  if (changed) next.updatedAt = Math.max(current.updatedAt, u.at);
  return { tracking: changed ? next : current, changed, statusChanged };
}

/** How an order goes from paid to delivered, one state-machine action per step. */
const PATH: { from: OrderStatus; action: OrderAction }[] = [
  { from: 'paid', action: 'accept' },
  { from: 'accepted', action: 'ready' },
  { from: 'preparing', action: 'ready' },
  { from: 'ready', action: 'dispatch' },
  { from: 'delivering', action: 'complete' },
];

/**
 * The order moves a delivery status implies: a rider who picked the food up proves it
 * was ready and is now on its way; a delivered order is complete. Each move still goes
 * through the state machine; statuses before pickup move nothing.
 */
export function orderMovesFor(orderStatus: OrderStatus, delivery: DeliveryStatus): OrderAction[] {
  const target: OrderStatus | null =
    delivery === 'picked_up' ? 'delivering' : delivery === 'delivered' ? 'completed' : null;
  if (!target) return [];
  const moves: OrderAction[] = [];
  let status = orderStatus;
  while (status !== target) {
    const step = PATH.find((p) => p.from === status);
    if (!step) return moves;
    moves.push(step.action);
    status =
      step.action === 'accept'
        ? 'accepted'
        : step.action === 'ready'
          ? 'ready'
          : step.action === 'dispatch'
            ? 'delivering'
            : 'completed';
  }
  return moves;
}
