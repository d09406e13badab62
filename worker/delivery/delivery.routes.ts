import { createRoute, z } from '@hono/zod-openapi';
import { carrierNames } from '../../domain/delivery/dispatch-rules';
import { DeliveryQuotes, Dispatch, DispatchInput } from '../../schema/api/delivery.schemas';
import { idempotencyHeaders } from '../http/idempotency';
import { bearer, errorResponses, idParam, jsonOk, problem, writeErrors } from '../http/router';

const tags = ['Delivery dispatch'];
const security = bearer;
const orderParam = z.object({ orderId: idParam('orderId', 'ord_3f9c2a1b7d4e_sto_demo_peoplesq') });
const carrierErrors = {
  502: problem('The carrier refused the delivery (its own words are logged with the request id)'),
  503: problem('The carrier did not answer in time; try again, or another carrier', {
    'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 0 } },
  }),
};

export const quoteDeliveryRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/delivery/quotes',
  operationId: 'delivery.quote',
  tags,
  security,
  summary: 'Price the delivery with every enabled carrier at once, and say which one the store’s rule picks',
  description:
    'Staff of the store. Each carrier (Dada `queryDeliverFee`, SF `precreateorder`, WeChat instant delivery ' +
    '`order/pre_add`) is asked in parallel with its own time limit; one failing or slow is reported in its ' +
    'entry (`ok: false`) beside the others. Fees in fen; `minutes` is the carrier’s promise, or an estimate ' +
    'from the distance when its quote has none. Only a paid delivery order not yet on its way.',
  request: { params: orderParam },
  responses: { 200: jsonOk(DeliveryQuotes), ...writeErrors },
});

export const dispatchDeliveryRoute = createRoute({
  method: 'post',
  path: '/v1/orders/{orderId}/delivery',
  operationId: 'delivery.dispatch',
  'x-idempotent': true,
  tags,
  security,
  summary: 'Hand the order to a carrier: the one named, or the one the store’s rule picks',
  description:
    'Quotes afresh and places with that quote (Dada `addAfterQuery` with its `deliveryNo`, SF `createorder`, ' +
    'WeChat `order/add` with its `delivery_token`); the order’s `delivery.tracking` becomes `awaiting_rider` ' +
    'with the carrier’s order number. Idempotent: while a dispatch is live the same call answers it (200); ' +
    'naming another carrier then is 409 `dispatch.other_carrier` (cancel first). A retry with the same ' +
    '`Idempotency-Key` answers the dispatch that key made, even after it was cancelled (`Idempotent-Replayed`).',
  request: {
    headers: idempotencyHeaders,
    params: orderParam,
    body: { content: { 'application/json': { schema: DispatchInput } }, required: false },
  },
  responses: {
    201: jsonOk(Dispatch, 'Dispatched'),
    200: jsonOk(Dispatch, 'Already dispatched: the live dispatch'),
    ...writeErrors,
    ...carrierErrors,
  },
});

export const cancelDispatchRoute = createRoute({
  method: 'delete',
  path: '/v1/orders/{orderId}/delivery',
  operationId: 'delivery.cancel',
  tags,
  security,
  summary: 'Cancel the live dispatch at its carrier; the order may then go to another carrier',
  request: { params: orderParam },
  responses: { 200: jsonOk(Dispatch, 'Cancelled'), ...writeErrors, ...carrierErrors },
});

export const listDispatchesRoute = createRoute({
  method: 'get',
  path: '/v1/orders/{orderId}/delivery/dispatches',
  operationId: 'delivery.listDispatches',
  tags,
  security,
  summary: 'Every dispatch of the order, newest first (carrier, tracking number, fee, status)',
  request: { params: orderParam },
  responses: { 200: jsonOk(z.object({ items: z.array(Dispatch) })), ...errorResponses(401, 403, 404, 422) },
});

export const carrierCallbackRoute = createRoute({
  method: 'post',
  path: '/v1/delivery/callbacks/{carrier}',
  operationId: 'delivery.callback',
  security: [],
  'x-sdk-omit': 'called by carriers, not clients',
  tags,
  summary: 'Carrier status callbacks (Dada, SF same-city, WeChat instant delivery): signature verified, applied once',
  description:
    'Dada: JSON with `signature = md5(sorted values of client_id, order_id, update_time)`. SF: `sign` in the ' +
    'query over the body. WeChat: the mini program message push (`signature`, `timestamp`, `nonce` in the ' +
    'query, SHA1 with the push Token) of `update_waybill_status`. Each is answered in its carrier’s format; a ' +
    'bad signature, an unknown order or a stale status is refused (and counted), a replay is answered success.',
  request: {
    params: z.object({ carrier: z.enum(carrierNames).openapi({ param: { name: 'carrier', in: 'path' } }) }),
  },
  responses: {
    200: {
      description:
        'Received: Dada `{status:"success",code:0}`, SF `{error_code:0,error_msg:"success"}`, WeChat `{resultcode:0}`',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
    400: {
      description: 'Refused in the carrier’s own format, so it sends again (or gives up on a forgery)',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
    ...errorResponses(413, 429),
  },
});

export const wechatPushCheckRoute = createRoute({
  method: 'get',
  path: '/v1/delivery/callbacks/wechat',
  operationId: 'delivery.wechatPushCheck',
  security: [],
  'x-sdk-omit': 'called by WeChat when the push URL is registered',
  tags,
  summary: 'WeChat’s check of the message-push URL: echoes `echostr` when the signature verifies with a push Token',
  request: {
    query: z.object({
      signature: z.string().max(64),
      timestamp: z.string().max(20),
      nonce: z.string().max(64),
      echostr: z.string().max(256),
    }),
  },
  responses: {
    200: { description: 'The `echostr`, as text', content: { 'text/plain': { schema: z.string() } } },
    403: { description: 'The signature does not verify', content: { 'text/plain': { schema: z.string() } } },
  },
});
