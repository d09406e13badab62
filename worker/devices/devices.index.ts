import { createRoute, z } from '@hono/zod-openapi';
import { ProvisionRequest, ProvisionResponse } from '../../schema/api/admin.schemas';
import { principalOf, requireRole } from '../http/auth';
import { byIp, limitBy } from '../http/rate-limit';
import { bearer, createRouter, errorResponses, jsonBody, jsonOk } from '../http/router';
import { provisionDevice, renewDeviceToken } from './devices.service';

const tags = ['Devices'];

export const provisionRoute = createRoute({
  method: 'post',
  path: '/v1/devices/provision',
  operationId: 'devices.provision',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'A display or printer enrols itself with its one-time provisioning code',
  description:
    'Codes live an hour. Too many wrong codes aimed at a device (5) or at a store (20) lock its codes: even ' +
    'the right one is then 403 `device.provisioning_locked` until an admin issues a new code. Each IP may try ' +
    '10 codes a minute (429 `rate.limited`).',
  request: { body: jsonBody(ProvisionRequest) },
  responses: { 200: jsonOk(ProvisionResponse), ...errorResponses(400, 403, 404, 415, 422, 429) },
});

export const renewTokenRoute = createRoute({
  method: 'post',
  path: '/v1/devices/token',
  operationId: 'devices.renewToken',
  tags,
  security: bearer,
  summary: 'A device renews its own token (30 days) while the current one is valid and the device not revoked',
  description:
    'Device tokens live 30 days; a display renews daily or so. A revoked device is refused with 401 ' +
    '`auth.token_revoked` and must be enrolled again with a new provisioning code.',
  responses: {
    200: jsonOk(z.object({ token: z.string(), expiresAt: z.string() })),
    ...errorResponses(401, 403),
  },
});

export const devicesRouter = createRouter();
devicesRouter.use('/v1/devices/provision', limitBy('auth', 'provision', byIp));
devicesRouter.use('/v1/devices/token', requireRole('device'));

devicesRouter
  .openapi(provisionRoute, async (c) => c.json(await provisionDevice(c.env, c.req.valid('json').code), 200))
  .openapi(renewTokenRoute, async (c) => c.json(await renewDeviceToken(c.env, principalOf(c)), 200));
