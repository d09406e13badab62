import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { devices } from '../../schema/d1/tables';
import { principalOf, requireRole } from '../http/auth';
import { ApiError } from '../http/errors';
import { createRouter, errorResponses, idParam, jsonOk, readErrors } from '../http/router';
import { db, json } from '../lib/db';
import { storeCallLimits } from '../stores/store-call-limits';
import { scopedStoreContext, storeContext, storeStub } from '../stores/store-gateway';

const tags = ['Kitchen'];
const storeParams = z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') });
const Station = z.string().regex(/^[a-z][a-z0-9_-]{0,19}$/, 'a lower-case station name');

export const kitchenSocketRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/kitchen',
  operationId: 'kitchen.connect',
  'x-sdk-omit': 'a WebSocket: use KitchenSocket',
  tags,
  security: [{ bearerAuth: [] }],
  summary: 'Kitchen display WebSocket (upgrade). Token by header or ?token=',
  description:
    'Server → display: `hello` { station, seq, mode: snapshot|catchup, thresholds }, then `snapshot` { seq, tickets } ' +
    'or the missed `event`s, then live `event` { seq, type, station, orderId, ticket? }. Display → server: ' +
    '`{ type: "command", requestId, cmd: start|bump|recall|hold|unhold, orderId?, line? }`, answered by `ack` ' +
    '{ requestId, seq } or `error` { requestId, code, message }. Send `ping` for `pong`. Reconnect with ' +
    '`since=<last seq>` to receive exactly the events missed. Station `expo` sees whole orders; `board` is the ' +
    'pickup-counter feed.',
  request: {
    params: storeParams,
    query: z.object({ station: Station.default('expo'), since: z.string().regex(/^\d+$/).optional() }),
  },
  responses: { 101: { description: 'Switching protocols' }, 426: { description: 'Upgrade required' }, ...readErrors },
});

export const pickupBoardRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/pickup-board',
  operationId: 'kitchen.pickupBoard',
  tags,
  summary: 'Now preparing / ready for pickup (ticket numbers), for a counter screen',
  description: 'Rate-limited per IP and per store before the store is reached: 429 `rate.limited` with `Retry-After`.',
  middleware: storeCallLimits,
  request: { params: storeParams },
  responses: {
    200: jsonOk(z.object({ preparing: z.array(z.string()), ready: z.array(z.string()) })),
    ...readErrors,
    ...errorResponses(429),
  },
});

export const kitchenRouter = createRouter();
kitchenRouter.use('/v1/stores/:storeId/kitchen', requireRole('device', 'staff', 'admin'));

kitchenRouter
  .openapi(kitchenSocketRoute, async (c) => {
    const p = principalOf(c);
    const { storeId } = c.req.valid('param');
    const { station } = c.req.valid('query');
    await scopedStoreContext(c.env, p, storeId);
    if (p.role === 'device') {
      const device = await db(c.env)
        .select({ stations: devices.stations, revokedAt: devices.revokedAt })
        .from(devices)
        .where(eq(devices.id, p.subject))
        .get();
      if (!device || device.revokedAt !== null)
        throw new ApiError(401, 'auth.device_revoked', 'This device was revoked.');
      const stations = json<string[]>(device.stations, []);
      if (stations.length > 0 && !stations.includes(station) && station !== 'board') {
        throw new ApiError(403, 'auth.forbidden', `This display serves ${stations.join(', ')}, not ${station}.`);
      }
    }
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new ApiError(426 as never, 'kitchen.upgrade_required', 'Connect with a WebSocket upgrade.', {
        headers: { Upgrade: 'websocket' },
      });
    }
    const headers = new Headers(c.req.raw.headers);
    headers.set('X-Tiffin-Device', `${p.role}:${p.subject}`);
    return (await storeStub(c.env, storeId).fetch(new Request(c.req.raw.url, { headers }))) as never;
  })
  .openapi(pickupBoardRoute, async (c) => {
    const { storeId } = c.req.valid('param');
    const ctx = await storeContext(c.env, storeId);
    return c.json(await storeStub(c.env, ctx.store.id).board(), 200);
  });
