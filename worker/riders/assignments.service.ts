import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Position } from '../../domain/delivery/tracking';
import { storeOfOrder } from '../../domain/orders/order-ids';
import type { OrderView } from '../../durable-objects/store/contract';
import type { RiderTap } from '../../schema/api/riders.schemas';
import { riderAssignments } from '../../schema/d1/tables';
import { recordDeliveryUpdate } from '../delivery/tracking.service';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { storeStub, unwrap } from '../stores/store-gateway';
import { type RiderRow, riderOf } from './riders.service';

/*
 * Staff give a paid delivery order to one of the store's own riders. Each assignment has
 * its own id, which is the dispatch's `trackingNo`: a reassignment cancels the old dispatch
 * and starts a new one, so a late tap on the old one cannot move the new one.
 */

type AssignmentRow = typeof riderAssignments.$inferSelect;

/** An order may be given to a rider once it is paid and until the food has left the store. */
const ASSIGNABLE = new Set(['paid', 'accepted', 'preparing', 'ready']);

const openAssignment = (env: Env, orderId: string) =>
  db(env)
    .select()
    .from(riderAssignments)
    .where(and(eq(riderAssignments.orderId, orderId), isNull(riderAssignments.endedAt)))
    .get();

async function cancelDispatch(env: Env, open: AssignmentRow, reason: string, now: number) {
  await db(env)
    .update(riderAssignments)
    .set({ endedAt: now, endedReason: reason })
    .where(and(eq(riderAssignments.id, open.id), isNull(riderAssignments.endedAt)));
  return recordDeliveryUpdate(
    env,
    open.orderId,
    { provider: 'own', status: 'cancelled', at: now, trackingNo: open.id, reason },
    now,
  );
}

/**
 * Assigns an own rider to a delivery order (staff of its store): the order's tracking
 * becomes `rider_assigned` with the rider's name and phone. A different rider already on
 * it is taken off first (their dispatch `cancelled`); the same rider again changes nothing.
 */
export async function assignRider(
  env: Env,
  order: OrderView,
  riderId: string,
  assignedBy: string,
  now = Date.now(),
): Promise<{ assignment: AssignmentRow; order: OrderView }> {
  const storeId = storeOfOrder(order.id) ?? '';
  const rider = await riderOf(env, storeId, riderId);
  if (!rider.active) throw new ApiError(409, 'rider.inactive', `Rider ${riderId} is deactivated.`);
  if (order.mode !== 'delivery') {
    throw new ApiError(409, 'order.not_delivery', `Order ${order.id} is not a delivery order.`);
  }
  if (!ASSIGNABLE.has(order.status)) {
    throw new ApiError(
      409,
      'rider.order_not_assignable',
      `Order ${order.id} is ${order.status}: a rider is assigned once it is paid and before it leaves the store.`,
    );
  }
  const open = await openAssignment(env, order.id);
  if (open?.riderId === riderId) return { assignment: open, order };
  if (open) await cancelDispatch(env, open, 'reassigned', now);
  const assignment: AssignmentRow = {
    id: newId('rda'),
    orderId: order.id,
    storeId,
    riderId,
    assignedBy,
    assignedAt: now,
    endedAt: null,
    endedReason: null,
  };
  const inserted = await db(env)
    .insert(riderAssignments)
    .values(assignment)
    .onConflictDoNothing()
    .returning({ id: riderAssignments.id });
  if (!inserted.length) {
    // Another staff member assigned a rider to this order at the same moment.
    throw new ApiError(409, 'rider.order_not_assignable', `Order ${order.id} was just given to another rider.`);
  }
  const tracked = await recordDeliveryUpdate(
    env,
    order.id,
    {
      provider: 'own',
      status: 'rider_assigned',
      at: now,
      trackingNo: assignment.id,
      rider: { name: rider.name, phone: rider.phone, riderId: rider.id },
    },
    now,
  );
  return { assignment, order: tracked.order };
}

/** Takes the rider off an order (their dispatch `cancelled`); no rider on it: 409 `rider.not_assigned`. */
export async function unassignRider(env: Env, orderId: string, now = Date.now()): Promise<OrderView> {
  const open = await openAssignment(env, orderId);
  if (!open) throw new ApiError(409, 'rider.not_assigned', `No rider is assigned to order ${orderId}.`);
  return (await cancelDispatch(env, open, 'unassigned', now)).order;
}

/** The rider's open assignments with their orders, oldest first (the first is the next pickup). */
export async function assignmentsOf(env: Env, rider: RiderRow) {
  const rows = await db(env)
    .select()
    .from(riderAssignments)
    .where(and(eq(riderAssignments.riderId, rider.id), isNull(riderAssignments.endedAt)))
    .orderBy(asc(riderAssignments.assignedAt))
    .all();
  const store = storeStub(env, rider.storeId);
  const out: { row: AssignmentRow; order: OrderView }[] = [];
  for (const row of rows) {
    const order = unwrap(await store.getOrder(row.orderId, systemViewer));
    if (FINISHED.has(order.status)) {
      // Completed by staff, or cancelled, without the rider's last tap: nothing left to carry.
      await db(env)
        .update(riderAssignments)
        .set({ endedAt: Date.now(), endedReason: order.status })
        .where(and(eq(riderAssignments.id, row.id), isNull(riderAssignments.endedAt)));
      continue;
    }
    out.push({ row, order });
  }
  return out;
}

const FINISHED = new Set(['completed', 'cancelled', 'refunded']);

/** A dispatch that ended leaves the order waiting for a rider again. */
const ENDED = new Set(['cancelled', 'failed']);

/**
 * Today's delivery orders for the store's own riders, oldest first: paid ones waiting for a
 * rider (never dispatched, or the rider or carrier taken off) and those an own rider carries.
 * A platform's order, or one a carrier carries, is not listed. `assignable`: a rider may still
 * be given or changed; `riderId`: the own rider on it, or null.
 */
export async function ownRiderDeliveries(env: Env, storeId: string) {
  const orders = unwrap(await storeStub(env, storeId).listOrders({ statuses: [...ASSIGNABLE, 'delivering'] }));
  const out: { order: OrderView; assignable: boolean; riderId: string | null }[] = [];
  for (const order of orders.reverse()) {
    if (order.mode !== 'delivery' || order.channel) continue;
    const tracking = order.delivery?.tracking;
    const live = tracking && !ENDED.has(tracking.status) ? tracking : undefined;
    if (live && live.provider !== 'own') continue;
    if (!live && !ASSIGNABLE.has(order.status)) continue;
    out.push({ order, assignable: ASSIGNABLE.has(order.status), riderId: live?.rider?.riderId ?? null });
  }
  return out;
}

const systemViewer = { actor: 'system' } as const;

const TAP_STATUS = { arrived: 'at_store', 'picked-up': 'picked_up', delivered: 'delivered' } as const;

/**
 * A rider's tap on an order assigned to them. An order that is not theirs (never, or no
 * longer) is 404 `order.not_found`, as for anyone it is not for.
 */
export async function riderTap(
  env: Env,
  rider: RiderRow,
  orderId: string,
  tap: RiderTap,
  position: Position | undefined,
  now = Date.now(),
) {
  const open = await openAssignment(env, orderId);
  if (!open || open.riderId !== rider.id) throw notFound('order', orderId);
  const tracked = await recordDeliveryUpdate(
    env,
    orderId,
    {
      provider: 'own',
      status: TAP_STATUS[tap],
      at: now,
      trackingNo: open.id,
      rider: { name: rider.name, phone: rider.phone, riderId: rider.id },
      ...(position ? { position } : {}),
    },
    now,
  );
  if (tap === 'delivered') {
    await db(env)
      .update(riderAssignments)
      .set({ endedAt: now, endedReason: 'delivered' })
      .where(and(eq(riderAssignments.id, open.id), isNull(riderAssignments.endedAt)));
  }
  return { assignment: open, order: tracked.order };
}
