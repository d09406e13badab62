import type { SessionView } from '../../durable-objects/store/contract';
import type { Env } from '../env';
import { assertStoreScope, orderViewer, principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { publicOrder } from '../orders/order-view';
import { scopedStoreContext, storeStub, unwrap } from '../stores/store-gateway';
import { findTable, resolveTableQr } from '../stores/stores.service';
import * as r from './sessions.routes';

async function publicSession(env: Env, s: SessionView) {
  return {
    ...s,
    rounds: await Promise.all(
      s.rounds.map(async (o) => ({ ...(await publicOrder(env, o)), addedByLabel: o.addedByLabel })),
    ),
  };
}

const staffOnly = requireRole('staff', 'admin');

export const sessionsRouter = createRouter();
sessionsRouter.use('/v1/tables/:qrToken/session', requireRole('member', 'staff', 'admin'));
sessionsRouter.use('/v1/stores/:storeId/sessions', staffOnly);
sessionsRouter.use('/v1/stores/:storeId/sessions/*', staffOnly);

sessionsRouter
  .openapi(r.tableSessionRoute, async (c) => {
    const p = principalOf(c);
    // Holding the table's QR token is what seats a diner at the table.
    const { store, table } = await resolveTableQr(c.env, c.req.valid('param').qrToken);
    assertStoreScope(p, store);
    const { actor, memberId } = orderViewer(p);
    const view = unwrap(await storeStub(c.env, store.id).sessionView({ tableId: table.id }, actor, memberId));
    return c.json(await publicSession(c.env, view), 200);
  })
  .openapi(r.listSessionsRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, principalOf(c), c.req.valid('param').storeId);
    const items = unwrap(await storeStub(c.env, ctx.store.id).listSessions());
    return c.json({ items: await Promise.all(items.map((s) => publicSession(c.env, s))) }, 200);
  })
  .openapi(r.getSessionRoute, async (c) => {
    const { storeId, sessionId } = c.req.valid('param');
    await scopedStoreContext(c.env, principalOf(c), storeId);
    const view = unwrap(await storeStub(c.env, storeId).sessionView({ sessionId }, 'staff'));
    return c.json(await publicSession(c.env, view), 200);
  })
  .openapi(r.moveSessionRoute, async (c) => {
    const { storeId, sessionId } = c.req.valid('param');
    await scopedStoreContext(c.env, principalOf(c), storeId);
    const table = await findTable(c.env, storeId, c.req.valid('json').tableId);
    const view = unwrap(
      await storeStub(c.env, storeId).moveSession(sessionId, { id: table.id, name: table.name, area: table.area }),
    );
    return c.json(await publicSession(c.env, view), 200);
  })
  .openapi(r.mergeSessionRoute, async (c) => {
    const { storeId, sessionId } = c.req.valid('param');
    await scopedStoreContext(c.env, principalOf(c), storeId);
    const view = unwrap(await storeStub(c.env, storeId).mergeSessions(sessionId, c.req.valid('json').sessionId));
    return c.json(await publicSession(c.env, view), 200);
  })
  .openapi(r.billRoute, async (c) => {
    const { storeId, sessionId } = c.req.valid('param');
    await scopedStoreContext(c.env, principalOf(c), storeId);
    return c.json(unwrap(await storeStub(c.env, storeId).sessionBill(sessionId, c.req.valid('query').split)), 200);
  })
  .openapi(r.closeSessionRoute, async (c) => {
    const { storeId, sessionId } = c.req.valid('param');
    await scopedStoreContext(c.env, principalOf(c), storeId);
    const view = unwrap(await storeStub(c.env, storeId).closeSession(sessionId));
    return c.json(await publicSession(c.env, view), 200);
  });
