import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import { bindingOf, bindingView, createBinding, deleteBinding, listBindings } from './bindings.service';
import { enqueueChannelCalls } from './calls.service';
import * as r from './channels.routes';
import { elemePush } from './eleme-push';
import { meituanPush } from './meituan-push';
import { listRefusals } from './refusals.service';

/** Mounted under the admin router (brand admins only, scoped to their brand). */
export const channelsAdminRouter = createRouter();

channelsAdminRouter
  .openapi(r.createBindingRoute, async (c) =>
    c.json(await createBinding(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.listBindingsRoute, async (c) =>
    c.json({ items: await listBindings(c.env, principalOf(c).brandId, c.req.valid('query').storeId) }, 200),
  )
  .openapi(r.getBindingRoute, async (c) =>
    c.json(
      bindingView(c.env, await bindingOf(c.env, principalOf(c).brandId, c.req.valid('param').channelBindingId)),
      200,
    ),
  )
  .openapi(r.deleteBindingRoute, async (c) => {
    await deleteBinding(c.env, principalOf(c).brandId, c.req.valid('param').channelBindingId);
    return c.body(null, 204);
  })
  .openapi(r.pushMenuRoute, async (c) => {
    const b = await bindingOf(c.env, principalOf(c).brandId, c.req.valid('param').channelBindingId);
    await enqueueChannelCalls(c.env, [{ storeId: b.storeId, bindingId: b.id, sync: { op: 'menu' } }]);
    return c.json({ queued: true as const, channel: b.channel, storeId: b.storeId }, 202);
  })
  .openapi(r.listRefusalsRoute, async (c) =>
    c.json({ items: await listRefusals(c.env, principalOf(c).brandId, c.req.valid('query')) }, 200),
  );

/** The platforms' pushes: public (no token), verified by each platform's signature. */
export const channelPushRouter = createRouter();

channelPushRouter
  .openapi(
    r.meituanPushRoute,
    async (c) => (await meituanPush(c.env, c.req.valid('param').pushType, c.req.raw)) as never,
  )
  .openapi(r.elemePushRoute, async (c) => (await elemePush(c.env, c.req.raw)) as never);
