import { bodyLimit } from 'hono/body-limit';
import { sameSignature, wechatPushSignature } from '../../domain/delivery/carrier-signatures';
import { principalOf, requireRole } from '../http/auth';
import { ApiError } from '../http/errors';
import { byIp, limitBy } from '../http/rate-limit';
import { createRouter } from '../http/router';
import { scopedOrder } from '../stores/store-gateway';
import { handleCarrierCallback } from './callbacks.service';
import { wechatPushTokens } from './carrier-accounts.service';
import * as r from './delivery.routes';
import { cancelDispatch, dispatchDelivery, quoteDelivery } from './dispatch.service';
import { dispatchView, orderDispatches } from './dispatch-rows';

/** A carrier's status callback is a few hundred bytes. */
const MAX_CALLBACK_BYTES = 16 * 1024;

/** Mounted before the orders router: `/v1/orders/{id}/delivery` must not fall into `{action}`. */
export const deliveryRouter = createRouter();
const staff = requireRole('staff', 'admin');
deliveryRouter.use('/v1/orders/:orderId/delivery', staff);
deliveryRouter.use('/v1/orders/:orderId/delivery/*', staff);
// Callbacks are anonymous until verified: limited per IP, and far smaller than any API body.
deliveryRouter.use('/v1/delivery/callbacks/:carrier', limitBy('callback', 'carrier', byIp));

deliveryRouter.use(
  '/v1/delivery/callbacks/:carrier',
  bodyLimit({
    maxSize: MAX_CALLBACK_BYTES,
    onError: () => {
      throw new ApiError(413, 'request.too_large', `A callback is at most ${MAX_CALLBACK_BYTES} bytes.`);
    },
  }),
);

deliveryRouter
  .openapi(r.quoteDeliveryRoute, async (c) =>
    c.json(await quoteDelivery(c.env, principalOf(c), c.req.valid('param').orderId), 200),
  )
  .openapi(r.dispatchDeliveryRoute, async (c) => {
    const body = (c.req.valid('json') ?? {}) as { carrier?: 'dada' | 'sf' | 'wechat' };
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const { dispatch, created, replayed } = await dispatchDelivery(
      c.env,
      principalOf(c),
      c.req.valid('param').orderId,
      {
        carrier: body.carrier,
        idempotencyKey,
      },
    );
    if (replayed) c.header('Idempotent-Replayed', 'true');
    return created ? c.json(dispatch, 201) : c.json(dispatch, 200);
  })
  .openapi(r.cancelDispatchRoute, async (c) =>
    c.json(await cancelDispatch(c.env, principalOf(c), c.req.valid('param').orderId), 200),
  )
  .openapi(r.listDispatchesRoute, async (c) => {
    const scoped = await scopedOrder(c.env, principalOf(c), c.req.valid('param').orderId);
    await scoped.read();
    const rows = await orderDispatches(c.env, scoped.orderId);
    return c.json({ items: rows.map((row) => dispatchView(row, scoped.ctx.store.timeZone)) }, 200);
  })
  .openapi(r.carrierCallbackRoute, async (c) => {
    const url = new URL(c.req.url);
    const { response } = await handleCarrierCallback(c.env, c.req.valid('param').carrier, url, await c.req.text());
    return response as never;
  })
  .openapi(r.wechatPushCheckRoute, async (c) => {
    const { signature, timestamp, nonce, echostr } = c.req.valid('query');
    for (const token of await wechatPushTokens(c.env)) {
      if (sameSignature(signature, await wechatPushSignature(token, timestamp, nonce))) return c.text(echostr, 200);
    }
    return c.text('signature does not verify', 403);
  });
