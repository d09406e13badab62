import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { fromBase64 } from '../../domain/encoding';
import { devices } from '../../schema/d1/tables';
import type { AppEnv } from '../http/app-env';
import { principalOf, requireRole } from '../http/auth';
import { ApiError, unauthorized } from '../http/errors';
import {
  bearer,
  createRouter,
  errorResponses,
  idParam,
  jsonBody,
  jsonOk,
  readErrors,
  writeErrors,
} from '../http/router';
import { db, json } from '../lib/db';
import { h5Origin } from '../lib/h5-links';
import { sha256Hex } from '../lib/ids';
import { scopedOrder, scopedStoreContext, storeContext, storeStub, unwrap } from '../stores/store-gateway';

interface PrinterDevice {
  id: string;
  storeId: string;
  brandId: string;
  stations: string[];
}

// Printers poll every few seconds: remember a verified secret briefly instead of asking D1 each time.
const verified = new Map<string, { device: PrinterDevice; at: number }>();

async function printerDevice(c: Context<AppEnv>): Promise<PrinterDevice> {
  const auth = c.req.header('authorization') ?? '';
  let id: string | undefined;
  let secretHash: string | undefined;
  if (auth.startsWith('Basic ')) {
    let decoded = '';
    try {
      decoded = new TextDecoder().decode(fromBase64(auth.slice(6).trim()));
    } catch {
      throw unauthorized('Malformed basic credentials.');
    }
    const i = decoded.indexOf(':');
    id = decoded.slice(0, i);
    secretHash = await sha256Hex(decoded.slice(i + 1));
  } else {
    const p = c.get('principal');
    if (p?.role !== 'device')
      throw unauthorized('A printer authenticates with basic auth id:secret or a device token.');
    id = p.subject;
  }
  const key = `${id}|${secretHash ?? 'jwt'}`;
  const hit = verified.get(key);
  if (hit && Date.now() - hit.at < 30_000) return hit.device;
  const row = await db(c.env)
    .select({
      id: devices.id,
      storeId: devices.storeId,
      brandId: devices.brandId,
      stations: devices.stations,
      secretHash: devices.secretHash,
    })
    .from(devices)
    .where(and(eq(devices.id, id ?? ''), eq(devices.kind, 'printer'), isNull(devices.revokedAt)))
    .get();
  if (!row || (secretHash !== undefined && row.secretHash !== secretHash))
    throw unauthorized('Unknown printer or wrong secret.');
  const device = { id: row.id, storeId: row.storeId, brandId: row.brandId, stations: json<string[]>(row.stations, []) };
  verified.set(key, { device, at: Date.now() });
  return device;
}

const widthOf = (c: Context<AppEnv>) => (c.req.query('width') === '58' ? 58 : 80);

async function confirm(c: Context<AppEnv>, device: PrinterDevice) {
  const token = c.req.query('token');
  const code = c.req.query('code') ?? '200 OK';
  if (!token) throw new ApiError(400, 'printer.token_required', 'Pass the job token.');
  unwrap(await storeStub(c.env, device.storeId).printerConfirm(device.id, token, code));
  return c.text('OK', 200);
}

export const cloudprntRouter = createRouter();

// The printer side speaks Star's wire format (JSON poll, binary job, confirm by query), so
// its handlers are plain; the document still describes them.
const printerTags = ['Printers (CloudPRNT)'];
// Basic id:secret, or the printer's device token.
const printerAuth: Record<string, string[]>[] = [{ printerBasic: [] }, { bearerAuth: [] }];
const jobQuery = z.object({
  token: z.string().optional().openapi({ description: 'job token from the poll answer' }),
  type: z.string().optional().openapi({ description: 'media type to render' }),
  code: z.string().optional().openapi({ description: 'print result (DELETE): 2xx/OK removes the job' }),
  width: z.enum(['58', '80']).optional(),
});
cloudprntRouter.openAPIRegistry.registerComponent('securitySchemes', 'printerBasic', {
  type: 'http',
  scheme: 'basic',
  description: 'deviceId:secret of a printer registered with POST /v1/admin/stores/{storeId}/devices',
});
cloudprntRouter.openAPIRegistry.registerPath({
  method: 'post',
  path: '/v1/devices/cloudprnt',
  operationId: 'cloudprnt.poll',
  'x-sdk-omit': 'called by Star CloudPRNT printers',
  tags: printerTags,
  security: printerAuth,
  summary: 'CloudPRNT poll: the printer reports its status and learns whether a job waits',
  responses: {
    200: jsonOk(
      z.object({
        jobReady: z.boolean(),
        mediaTypes: z.array(z.string()).optional(),
        jobToken: z.string().optional(),
        deleteMethod: z.literal('DELETE').optional(),
      }),
    ),
    ...errorResponses(401),
  },
});
cloudprntRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/v1/devices/cloudprnt',
  operationId: 'cloudprnt.fetchJob',
  'x-sdk-omit': 'called by Star CloudPRNT printers',
  tags: printerTags,
  security: printerAuth,
  summary: 'CloudPRNT job download (no side effects; with `delete` in the query it confirms instead)',
  request: { query: jobQuery },
  responses: {
    200: {
      description: 'The job bytes in the requested media type',
      content: Object.fromEntries(
        ['application/vnd.star.starprnt', 'text/plain', 'application/octet-stream'].map((t) => [
          t,
          { schema: { type: 'string', format: 'binary' } },
        ]),
      ),
    },
    ...errorResponses(400, 401, 404),
  },
});
cloudprntRouter.openAPIRegistry.registerPath({
  method: 'delete',
  path: '/v1/devices/cloudprnt',
  operationId: 'cloudprnt.finishJob',
  'x-sdk-omit': 'called by Star CloudPRNT printers',
  tags: printerTags,
  security: printerAuth,
  summary: 'CloudPRNT confirmation: 2xx/OK removes the job, a failure code keeps it and records the status',
  request: { query: jobQuery },
  responses: {
    200: { description: 'OK', content: { 'text/plain': { schema: { type: 'string', example: 'OK' } } } },
    ...errorResponses(400, 401, 404),
  },
});

cloudprntRouter.post('/v1/devices/cloudprnt', async (c) => {
  const device = await printerDevice(c);
  let status: { statusCode?: unknown } = {};
  try {
    const body: unknown = await c.req.json();
    if (body && typeof body === 'object') status = body as { statusCode?: unknown };
  } catch {
    // Some firmware polls with an empty body; a poll is still a poll.
  }
  const statusCode = typeof status.statusCode === 'string' ? status.statusCode : null;
  const answer = await storeStub(c.env, device.storeId).printerPoll(
    { deviceId: device.id, stations: device.stations.length ? device.stations : ['receipt'], width: widthOf(c) },
    statusCode,
  );
  return c.json(answer, 200);
});

cloudprntRouter.get('/v1/devices/cloudprnt', async (c) => {
  const device = await printerDevice(c);
  // deleteMethod GET: the confirmation arrives as a GET carrying `delete`.
  if (c.req.query('delete') !== undefined) return confirm(c, device);
  const token = c.req.query('token');
  if (!token) throw new ApiError(400, 'printer.token_required', 'Pass the job token.');
  const ctx = await storeContext(c.env, device.storeId);
  const job = unwrap(
    await storeStub(c.env, device.storeId).printerJob(device.id, token, c.req.query('type') ?? '', {
      name: ctx.store.name,
      baseUrl: h5Origin(c.env),
    }),
  );
  return new Response(job.bytes, { status: 200, headers: { 'Content-Type': job.contentType } });
});

cloudprntRouter.delete('/v1/devices/cloudprnt', async (c) => confirm(c, await printerDevice(c)));

const Printer = z
  .object({
    deviceId: z.string(),
    stations: z.array(z.string()),
    online: z.boolean(),
    status: z.string().openapi({ example: 'paper low' }),
    lastSeenAt: z.string(),
    pendingJobs: z.number().int(),
  })
  .openapi('PrinterStatus');

export const printersRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/printers',
  operationId: 'kitchen.printers',
  tags: ['Kitchen'],
  security: bearer,
  summary: 'Printers: online, paper, last seen, waiting jobs',
  request: { params: z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') }) },
  responses: { 200: jsonOk(z.object({ items: z.array(Printer) })), ...readErrors },
});

export const reprintRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/reprint',
  operationId: 'kitchen.reprint',
  tags: ['Kitchen'],
  security: bearer,
  summary: "Print a copy of an order's receipt or a station's ticket, marked REPRINT",
  request: {
    params: z.object({ orderId: idParam('orderId', 'ord_…') }),
    body: jsonBody(
      z.strictObject({ station: z.string().max(20).default('receipt'), printerId: z.string().max(64).optional() }),
    ),
  },
  responses: { 200: jsonOk(z.object({ printers: z.array(z.string()) })), ...writeErrors },
});

cloudprntRouter.use('/v1/stores/:storeId/printers', requireRole('staff', 'admin'));
cloudprntRouter.use('/v1/orders/:orderId/reprint', requireRole('staff', 'admin'));
cloudprntRouter
  .openapi(printersRoute, async (c) => {
    const ctx = await scopedStoreContext(c.env, principalOf(c), c.req.valid('param').storeId);
    return c.json({ items: await storeStub(c.env, ctx.store.id).printerStatuses(ctx.store.timeZone) }, 200);
  })
  .openapi(reprintRoute, async (c) => {
    const { orderId } = c.req.valid('param');
    const { store } = await scopedOrder(c.env, principalOf(c), orderId);
    const { station, printerId } = c.req.valid('json');
    return c.json(unwrap(await store.reprint(orderId, station, printerId)), 200);
  });
