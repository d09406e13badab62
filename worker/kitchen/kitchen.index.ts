import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/app-env';
import { principalOf, requireRole } from '../http/auth';
import { ApiError } from '../http/errors';
import { createRouter } from '../http/router';
import { assertTokenLive, liveDevice } from '../http/token-liveness';
import { scopedStoreContext, storeContext, storeStub } from '../stores/store-gateway';
import * as r from './kitchen.routes';
import { issueSocketTicket, redeemSocketTicket, socketSubjectHeader } from './socket-access.service';

const isUpgrade = (c: { req: { header(name: string): string | undefined } }) =>
  c.req.header('upgrade')?.toLowerCase() === 'websocket';

const upgradeRequired = () =>
  new ApiError(426 as never, 'kitchen.upgrade_required', 'Connect with a WebSocket upgrade.', {
    headers: { Upgrade: 'websocket' },
  });

/** `?ticket=`: the principal it stands for, used up (only on a real upgrade, so nothing wastes it). */
const ticketAuth = createMiddleware<AppEnv>(async (c, next) => {
  const ticket = c.req.query('ticket');
  if (ticket !== undefined && !c.get('principal')) {
    if (!isUpgrade(c)) throw upgradeRequired();
    // An unknown store is 404 here: tickets never wake an object for a made-up store id.
    const { store } = await storeContext(c.env, c.req.param('storeId') ?? '');
    const p = await redeemSocketTicket(c.env, store.id, ticket);
    if (!p) {
      throw new ApiError(401, 'auth.ticket_invalid', 'This socket ticket is unknown, used or expired; get a new one.');
    }
    // Revoked since the ticket was issued: refused like its token.
    await assertTokenLive(c.env, p);
    c.set('principal', p);
  }
  await next();
});

export const kitchenRouter = createRouter();
kitchenRouter.use('/v1/stores/:storeId/kitchen', ticketAuth, requireRole('device', 'staff', 'admin'));
kitchenRouter.use('/v1/stores/:storeId/kitchen/tickets', requireRole('device', 'staff', 'admin'));

kitchenRouter
  .openapi(r.kitchenSocketRoute, async (c) => {
    const p = principalOf(c);
    const { storeId } = c.req.valid('param');
    const { station } = c.req.valid('query');
    await scopedStoreContext(c.env, p, storeId);
    if (p.role === 'device') {
      const { stations } = await liveDevice(c.env, p);
      if (stations.length > 0 && !stations.includes(station) && station !== 'board') {
        throw new ApiError(403, 'auth.forbidden', `This display serves ${stations.join(', ')}, not ${station}.`);
      }
    }
    if (!isUpgrade(c)) throw upgradeRequired();
    const headers = new Headers(c.req.raw.headers);
    headers.set(...socketSubjectHeader(p));
    return (await storeStub(c.env, storeId).fetch(new Request(c.req.raw.url, { headers }))) as never;
  })
  .openapi(r.socketTicketRoute, async (c) => {
    const p = principalOf(c);
    const { store } = await scopedStoreContext(c.env, p, c.req.valid('param').storeId);
    return c.json(await issueSocketTicket(c.env, store.id, p, store.timeZone), 201);
  })
  .openapi(r.pickupBoardRoute, async (c) => {
    const { storeId } = c.req.valid('param');
    const ctx = await storeContext(c.env, storeId);
    // Anyone may read this counter screen: ticket numbers only. Riders' names and statuses stay
    // on the staff's board (the kitchen socket).
    const { preparing, ready } = await storeStub(c.env, ctx.store.id).board();
    return c.json({ preparing, ready }, 200);
  });
