import { createRoute, z } from '@hono/zod-openapi';
import {
  ChannelBinding,
  ChannelBindingInput,
  ChannelBindingList,
  ChannelRefusalList,
  ChannelRefusalsQuery,
  MenuPushQueued,
} from '../../schema/api/channels.schemas';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';
import { MEITUAN_PUSH_TYPES } from './meituan-push';

const adminTags = ['Admin: delivery platforms'];
const pushTags = ['Delivery platforms'];
const bindingParam = z.object({ channelBindingId: idParam('channelBindingId', 'chb_3f9c2a1b7d4e') });

export const createBindingRoute = createRoute({
  method: 'post',
  path: '/v1/admin/channel-bindings',
  operationId: 'channels.bind',
  tags: adminTags,
  security: bearer,
  summary: 'Bind a store to its Meituan Waimai or Ele.me shop (the app secret is write-only)',
  description:
    'Pushes from the platform are then verified with this secret and its orders come into the store as paid ' +
    'delivery orders (`MT-…` / `ELE-…` tickets). Register the answer’s `pushUrl` with the platform ' +
    '(Meituan: one URL per push type). A store has one binding per platform and a platform shop one store: 409 ' +
    '`channel_binding.exists` otherwise.',
  request: { body: jsonBody(ChannelBindingInput) },
  responses: { 201: jsonOk(ChannelBinding, 'Bound'), ...writeErrors },
});

export const listBindingsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/channel-bindings',
  operationId: 'channels.listBindings',
  tags: adminTags,
  security: bearer,
  summary: "The brand's platform bindings (never their secrets), optionally for one store",
  request: { query: z.object({ storeId: z.string().max(64).optional() }) },
  responses: { 200: jsonOk(ChannelBindingList), ...readErrors },
});

export const getBindingRoute = createRoute({
  method: 'get',
  path: '/v1/admin/channel-bindings/{channelBindingId}',
  operationId: 'channels.getBinding',
  tags: adminTags,
  security: bearer,
  summary: 'One platform binding',
  request: { params: bindingParam },
  responses: { 200: jsonOk(ChannelBinding), ...readErrors },
});

export const deleteBindingRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/channel-bindings/{channelBindingId}',
  operationId: 'channels.unbind',
  tags: adminTags,
  security: bearer,
  summary: 'Unbind: pushes for that shop are refused from now on; its orders already in stay',
  request: { params: bindingParam },
  responses: { 204: { description: 'Unbound' }, ...writeErrors },
});

export const pushMenuRoute = createRoute({
  method: 'post',
  path: '/v1/admin/channel-bindings/{channelBindingId}/push-menu',
  operationId: 'channels.pushMenu',
  tags: adminTags,
  security: bearer,
  summary: "Send the store's published menu (and today's counts) to the platform; our item ids are its sku codes",
  description: 'Queued: the call is made (and retried while the platform is unreachable) by the jobs queue.',
  request: { params: bindingParam },
  responses: { 202: jsonOk(MenuPushQueued, 'Queued'), ...writeErrors },
});

export const listRefusalsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/channels/refusals',
  operationId: 'channels.refusals',
  tags: adminTags,
  security: bearer,
  summary: 'Refused platform pushes, counted per platform, reason, UTC day and store (newest day first)',
  description:
    'Reasons: `signature` (the shop’s secret does not verify it: a forgery, or a secret out of date), `stale` ' +
    '(timestamp more than 10 minutes off, or a replay), `unknown_shop` (no binding for the shop or app), ' +
    '`malformed`. A refused push is unverified, so it is counted, never stored; a bad signature or a stale push ' +
    'is counted under the store whose shop it named. 404 `store.not_found` for a store of another brand.',
  request: { query: ChannelRefusalsQuery },
  responses: { 200: jsonOk(ChannelRefusalList), ...readErrors },
});

const platformAnswer = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
const MeituanAnswer = z.object({
  data: z.enum(['ok', 'ng']),
  error: z.object({ code: z.number().int(), msg: z.string() }).optional(),
});
const ElemeAnswer = z.object({ message: z.string().openapi({ example: 'ok' }) });

export const meituanPushRoute = createRoute({
  method: 'post',
  path: '/v1/channels/meituan/{pushType}',
  operationId: 'channels.meituanPush',
  security: [],
  'x-sdk-omit': 'called by Meituan Waimai, not clients',
  tags: pushTags,
  summary: 'Meituan Waimai pushes (form-encoded, `sig` over this URL as registered), one URL per push type',
  description:
    'Verified with the bound shop’s secret (`app_poi_code`), refused when the timestamp is more than 10 minutes ' +
    'off; a refusal is counted, answered in Meituan’s format and writes nothing. A replayed push changes ' +
    'nothing. An empty request (the URL check) answers `{"data":"ok"}`.',
  request: {
    params: z.object({
      pushType: z.enum(MEITUAN_PUSH_TYPES).openapi({ param: { name: 'pushType', in: 'path' } }),
    }),
  },
  responses: {
    200: platformAnswer('Accepted: `{"data":"ok"}`', MeituanAnswer),
    400: platformAnswer('Refused: `{"data":"ng","error":{"code":703,"msg":…}}`', MeituanAnswer),
    503: platformAnswer('Not applied now; Meituan pushes again', MeituanAnswer),
    ...errorResponses(413, 429),
  },
});

export const elemePushRoute = createRoute({
  method: 'post',
  path: '/v1/channels/eleme',
  operationId: 'channels.elemePush',
  security: [],
  'x-sdk-omit': 'called by Ele.me, not clients',
  tags: pushTags,
  summary: 'Ele.me pushes (JSON, NOP push signature), every type on one URL',
  description:
    'Verified with the bound shop’s secret (`shopId`), refused when the timestamp is more than 10 minutes off; ' +
    'a refusal is counted, answered in Ele.me’s format and writes nothing. A replayed push changes nothing.',
  responses: {
    200: platformAnswer('Accepted: `{"message":"ok"}`', ElemeAnswer),
    400: platformAnswer('Refused: `{"message":"INVALID_SIGNATURE"}` and the like', ElemeAnswer),
    503: platformAnswer('Not applied now; Ele.me pushes again', ElemeAnswer),
    ...errorResponses(413, 429),
  },
});
