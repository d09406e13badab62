import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import { listDeliveries, replayDelivery, resumeDeliveries, testEndpoint } from './deliveries.service';
import {
  createEndpoint,
  deleteEndpoint,
  endpointOf,
  endpointView,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
} from './endpoints.service';
import * as r from './webhooks.routes';

/** Mounted under the admin router (brand admins only, scoped to their brand). */
export const webhooksAdminRouter = createRouter();

webhooksAdminRouter
  .openapi(r.createWebhookRoute, async (c) =>
    c.json(await createEndpoint(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.listWebhooksRoute, async (c) => c.json({ items: await listEndpoints(c.env, principalOf(c).brandId) }, 200))
  .openapi(r.getWebhookRoute, async (c) =>
    c.json(endpointView(await endpointOf(c.env, principalOf(c).brandId, c.req.valid('param').webhookId)), 200),
  )
  .openapi(r.updateWebhookRoute, async (c) => {
    const { endpoint, reenabled } = await updateEndpoint(
      c.env,
      principalOf(c).brandId,
      c.req.valid('param').webhookId,
      c.req.valid('json'),
    );
    // Enabled again after a fix: what it missed while disabled goes out now, oldest first.
    if (reenabled) await resumeDeliveries(c.env, endpoint.id);
    return c.json(endpoint, 200);
  })
  .openapi(r.deleteWebhookRoute, async (c) => {
    await deleteEndpoint(c.env, principalOf(c).brandId, c.req.valid('param').webhookId);
    return c.body(null, 204);
  })
  .openapi(r.rotateWebhookSecretRoute, async (c) =>
    c.json(await rotateSecret(c.env, principalOf(c).brandId, c.req.valid('param').webhookId, c.req.valid('json')), 200),
  )
  .openapi(r.testWebhookRoute, async (c) =>
    c.json(await testEndpoint(c.env, principalOf(c).brandId, c.req.valid('param').webhookId), 200),
  )
  .openapi(r.listDeliveriesRoute, async (c) =>
    c.json(
      {
        items: await listDeliveries(
          c.env,
          principalOf(c).brandId,
          c.req.valid('param').webhookId,
          c.req.valid('query'),
        ),
      },
      200,
    ),
  )
  .openapi(r.replayDeliveryRoute, async (c) => {
    const { webhookId, deliveryId } = c.req.valid('param');
    return c.json(await replayDelivery(c.env, principalOf(c).brandId, webhookId, deliveryId), 202);
  });
