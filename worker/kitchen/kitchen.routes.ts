import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, idParam, jsonOk, problem, readErrors } from '../http/router';
import { storeCallLimits } from '../stores/store-call-limits';

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
  summary: 'Kitchen display WebSocket (upgrade). A one-time ?ticket= (or the token by header)',
  description:
    'Get a `ticket` from `POST /v1/stores/{storeId}/kitchen/tickets` and connect with `?ticket=` (a browser ' +
    'WebSocket cannot set headers); `?token=` is still accepted here, and only here, for older displays. ' +
    'Server → display: `hello` { station, seq, mode: snapshot|catchup, thresholds }, then `snapshot` { seq, tickets } ' +
    'or the missed `event`s, then live `event` { seq, type, station, orderId, ticket? }. Display → server: ' +
    '`{ type: "command", requestId, cmd: start|bump|recall|hold|unhold, orderId?, line? }`, answered by `ack` ' +
    '{ requestId, seq } or `error` { requestId, code, message }. Send `ping` for `pong`. Reconnect with ' +
    '`since=<last seq>` to receive exactly the events missed. Station `expo` sees whole orders; `board` is the ' +
    'pickup-counter feed. The server closes the socket with code 4401 and reason `auth.token_revoked` when the ' +
    'device is revoked or the staff member signed out, and `auth.token_expired` once the token it was opened ' +
    'with has expired: get a new ticket (with a fresh token) and reconnect.',
  request: {
    params: storeParams,
    query: z.object({
      station: Station.default('expo'),
      since: z.string().regex(/^\d+$/).optional(),
      ticket: z.string().max(100).optional(),
    }),
  },
  responses: {
    101: { description: 'Switching protocols' },
    426: problem('Upgrade required: connect with a WebSocket upgrade'),
    ...readErrors,
  },
});

export const socketTicketRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/kitchen/tickets',
  operationId: 'kitchen.ticket',
  tags,
  security: [{ bearerAuth: [] }],
  summary: 'A one-time ticket to open the kitchen socket with (`?ticket=`), valid for 60 s',
  description:
    'For staff, admins and display devices of the store. The ticket stands for the calling token: one use, and ' +
    'the socket it opens closes when that token expires or is revoked.',
  request: { params: storeParams },
  responses: {
    201: jsonOk(
      z.object({
        ticket: z.string().openapi({ example: 'kst_3f9c…' }),
        expiresAt: z.string().openapi({ example: '2026-05-01T09:00:60.000+08:00' }),
      }),
    ),
    ...errorResponses(401, 403, 404),
  },
});

export const pickupBoardRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/pickup-board',
  operationId: 'kitchen.pickupBoard',
  security: [],
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
