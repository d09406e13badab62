import { CARE_NOTE_SUGGESTIONS } from '../../domain/delivery/slots';
import { isoInZone } from '../../domain/zoned-time';
import { orderViewer, principalOf, requireRole } from '../http/auth';
import { forbidden } from '../http/errors';
import { createRouter } from '../http/router';
import { publicOrder } from '../orders/order-view';
import { scopedOrder, scopedStoreContext, storeContext } from '../stores/store-gateway';
import { assignmentsOf, assignRider, ownRiderDeliveries, riderTap, unassignRider } from './assignments.service';
import { deliverySlotsOf } from './delivery-slots.service';
import * as r from './riders.routes';
import { activeRider, addRider, listRiders, makeSignInLink, riderView, updateRider } from './riders.service';

/** Staff routes (roster, assignment) and the rider's own routes (`rdk_…` keys open only these). */
export const ridersRouter = createRouter();

const staffRoles = requireRole('staff', 'admin');
ridersRouter.use('/v1/stores/:storeId/riders', staffRoles);
ridersRouter.use('/v1/stores/:storeId/riders/*', staffRoles);
ridersRouter.use('/v1/stores/:storeId/rider-deliveries', staffRoles);
ridersRouter.use('/v1/orders/:orderId/rider', staffRoles);
ridersRouter.use('/v1/rider/*', requireRole('rider'));

/** The roster is the manager's: a clerk may pick a rider for an order, not add or edit one. */
async function managedStore(
  c: Parameters<typeof principalOf>[0],
  storeId: string,
  env: Parameters<typeof storeContext>[0],
) {
  const p = principalOf(c);
  const ctx = await scopedStoreContext(env, p, storeId);
  if (orderViewer(p).authority !== 'manager') throw forbidden('The rider roster is kept by a store manager or admin.');
  return ctx;
}

ridersRouter
  .openapi(r.addRiderRoute, async (c) => {
    const ctx = await managedStore(c, c.req.valid('param').storeId, c.env);
    const row = await addRider(c.env, ctx.store, c.req.valid('json'));
    return c.json(riderView(row, ctx.store.timeZone), 201);
  })
  .openapi(r.listRidersRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, principalOf(c), c.req.valid('param').storeId);
    const rows = await listRiders(c.env, ctx.store.id);
    return c.json({ items: rows.map((row) => riderView(row, ctx.store.timeZone)) }, 200);
  })
  .openapi(r.updateRiderRoute, async (c) => {
    const { storeId, riderId } = c.req.valid('param');
    const ctx = await managedStore(c, storeId, c.env);
    return c.json(
      riderView(await updateRider(c.env, ctx.store.id, riderId, c.req.valid('json')), ctx.store.timeZone),
      200,
    );
  })
  .openapi(r.riderSignInLinkRoute, async (c) => {
    const { storeId, riderId } = c.req.valid('param');
    const ctx = await managedStore(c, storeId, c.env);
    return c.json(await makeSignInLink(c.env, ctx.store.id, riderId), 201);
  })
  .openapi(r.riderDeliveriesRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, principalOf(c), c.req.valid('param').storeId);
    const items = await ownRiderDeliveries(c.env, ctx.store.id);
    return c.json(
      { items: await Promise.all(items.map(async (i) => ({ ...i, order: await publicOrder(c.env, i.order) }))) },
      200,
    );
  })
  .openapi(r.assignRiderRoute, async (c) => {
    const p = principalOf(c);
    const scoped = await scopedOrder(c.env, p, c.req.valid('param').orderId);
    const { order } = await assignRider(c.env, await scoped.read(), c.req.valid('json').riderId, p.subject);
    return c.json(await publicOrder(c.env, order), 200);
  })
  .openapi(r.unassignRiderRoute, async (c) => {
    const scoped = await scopedOrder(c.env, principalOf(c), c.req.valid('param').orderId);
    await scoped.read();
    return c.json(await publicOrder(c.env, await unassignRider(c.env, scoped.orderId)), 200);
  })
  .openapi(r.deliverySlotsRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, c.get('principal'), c.req.valid('param').storeId);
    return c.json({ ...deliverySlotsOf(ctx), careNoteSuggestions: CARE_NOTE_SUGGESTIONS }, 200);
  })
  .openapi(r.riderMeRoute, async (c) => {
    const rider = await activeRider(c.env, principalOf(c));
    const { store } = await storeContext(c.env, rider.storeId);
    const open = await assignmentsOf(c.env, rider);
    const assignments = [];
    for (const a of open) {
      assignments.push({
        id: a.row.id,
        orderId: a.row.orderId,
        riderId: a.row.riderId,
        assignedAt: isoInZone(a.row.assignedAt, store.timeZone),
        order: await publicOrder(c.env, a.order, { revealPhone: true }),
      });
    }
    return c.json(
      { rider: { id: rider.id, name: rider.name, storeId: store.id, storeName: store.name }, assignments },
      200,
    );
  })
  .openapi(r.riderTapRoute, async (c) => {
    const rider = await activeRider(c.env, principalOf(c));
    const { orderId, tap } = c.req.valid('param');
    const body = c.req.valid('json') as { position?: { lat: number; lng: number } } | undefined;
    const { order } = await riderTap(c.env, rider, orderId, tap, body?.position);
    return c.json(await publicOrder(c.env, order, { revealPhone: true }), 200);
  });
