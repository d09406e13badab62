import { createRoute } from '@hono/zod-openapi';
import { ProvisionRequest, ProvisionResponse } from '../../schema/api/admin.schemas';
import { createRouter, errorResponses, jsonBody, jsonOk } from '../http/router';
import { provisionDevice } from './devices.service';

export const provisionRoute = createRoute({
  method: 'post',
  path: '/v1/devices/provision',
  operationId: 'devices.provision',
  'x-auth': 'none',
  tags: ['Devices'],
  summary: 'A display or printer enrols itself with its one-time provisioning code',
  request: { body: jsonBody(ProvisionRequest) },
  responses: { 200: jsonOk(ProvisionResponse), ...errorResponses(400, 404, 415, 422) },
});

export const devicesRouter = createRouter().openapi(provisionRoute, async (c) =>
  c.json(await provisionDevice(c.env, c.req.valid('json').code), 200),
);
