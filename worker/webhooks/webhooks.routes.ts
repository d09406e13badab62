import { createRoute, z } from '@hono/zod-openapi';
import {
  SecretRotated,
  SecretRotation,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointCreated,
  WebhookEndpointInput,
  WebhookEndpointList,
  WebhookEndpointPatch,
} from '../../schema/api/webhooks.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: webhooks'];
const security = bearer;
const webhookParam = z.object({ webhookId: idParam('webhookId', 'whe_3f9c2a1b') });
const deliveryParams = webhookParam.extend({ deliveryId: idParam('deliveryId', 'whd_77a1c0') });

const SIGNING =
  'Every delivery is a POST of `{ type, timestamp, data }` signed as Standard Webhooks 1.0: `webhook-id` (the ' +
  'event id, the same on every retry: deduplicate on it), `webhook-timestamp` (Unix seconds of the attempt), ' +
  '`webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per live secret). `data.storeSeq` ' +
  "orders one store's events. A non-2xx answer is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h " +
  'and 24 h; 410 Gone disables the endpoint, as do five days of failures only.';

export const createWebhookRoute = createRoute({
  method: 'post',
  path: '/v1/admin/webhooks',
  operationId: 'webhooks.create',
  tags,
  security,
  summary: 'Subscribe an endpoint to events; the answer holds its signing secret, shown once',
  description:
    `${SIGNING} The URL must be https to a public host (plain http to 127.0.0.1 or localhost only where ` +
    'DEV_AUTH=1, for a receiver on a developer machine); otherwise 422 naming `url`.',
  request: { body: jsonBody(WebhookEndpointInput) },
  responses: { 201: jsonOk(WebhookEndpointCreated, 'Created'), ...writeErrors },
});

export const listWebhooksRoute = createRoute({
  method: 'get',
  path: '/v1/admin/webhooks',
  operationId: 'webhooks.list',
  tags,
  security,
  summary: "The brand's webhook endpoints (never their secrets)",
  responses: { 200: jsonOk(WebhookEndpointList), ...readErrors },
});

export const getWebhookRoute = createRoute({
  method: 'get',
  path: '/v1/admin/webhooks/{webhookId}',
  operationId: 'webhooks.get',
  tags,
  security,
  summary: 'One webhook endpoint',
  request: { params: webhookParam },
  responses: { 200: jsonOk(WebhookEndpoint), ...readErrors },
});

export const updateWebhookRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/webhooks/{webhookId}',
  operationId: 'webhooks.update',
  tags,
  security,
  summary: 'Change the URL, events or description; `enabled: false` disables it, `true` re-enables it',
  description: 'Re-enabling clears a disabling for 410 or five days of failures; deliveries resume with new events.',
  request: { params: webhookParam, body: jsonBody(WebhookEndpointPatch) },
  responses: { 200: jsonOk(WebhookEndpoint), ...writeErrors },
});

export const deleteWebhookRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/webhooks/{webhookId}',
  operationId: 'webhooks.delete',
  tags,
  security,
  summary: 'Remove an endpoint and its delivery log',
  request: { params: webhookParam },
  responses: { 204: { description: 'Removed' }, ...writeErrors },
});

export const rotateWebhookSecretRoute = createRoute({
  method: 'post',
  path: '/v1/admin/webhooks/{webhookId}/rotate-secret',
  operationId: 'webhooks.rotateSecret',
  tags,
  security,
  summary: 'A new signing secret (shown once); the previous one keeps signing too for `overlapHours`',
  request: { params: webhookParam, body: jsonBody(SecretRotation) },
  responses: { 200: jsonOk(SecretRotated), ...writeErrors },
});

export const testWebhookRoute = createRoute({
  method: 'post',
  path: '/v1/admin/webhooks/{webhookId}/test',
  operationId: 'webhooks.test',
  tags,
  security,
  summary: 'Send a signed `webhook.test` event now and answer how the endpoint responded',
  request: { params: webhookParam },
  responses: { 200: jsonOk(WebhookDelivery), ...writeErrors },
});

export const listDeliveriesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/webhooks/{webhookId}/deliveries',
  operationId: 'webhooks.listDeliveries',
  tags,
  security,
  summary: 'Recent deliveries, newest first: attempts, status, latency, next retry',
  request: {
    params: webhookParam,
    query: z.object({
      status: z.enum(['pending', 'held', 'delivered', 'failed']).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
  },
  responses: { 200: jsonOk(WebhookDeliveryList), ...readErrors },
});

export const replayDeliveryRoute = createRoute({
  method: 'post',
  path: '/v1/admin/webhooks/{webhookId}/deliveries/{deliveryId}/replay',
  operationId: 'webhooks.replayDelivery',
  tags,
  security,
  summary: 'Send a delivery again now, with the same event id and body (a new attempt series)',
  request: { params: deliveryParams },
  responses: { 202: jsonOk(WebhookDelivery, 'Queued'), ...writeErrors },
});
