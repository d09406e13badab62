import { createRoute, z } from '@hono/zod-openapi';
import { DevTokenRequest, DevTokenResponse, MemberSummary, WechatLoginRequest } from '../../schema/api/auth.schemas';
import { byIp, limitBy } from '../http/rate-limit';
import { errorResponses } from '../http/router';

const tags = ['Auth'];
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

export const devTokenRoute = createRoute({
  method: 'post',
  path: '/v1/auth/dev',
  operationId: 'auth.dev',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Mint a token for any role (local development only: DEV_AUTH=1 and PUBLIC_BASE_URL not https)',
  request: { body: json(DevTokenRequest) },
  responses: {
    200: { content: { 'application/json': { schema: DevTokenResponse } }, description: 'A signed token' },
    ...errorResponses(400, 403, 404, 409, 415, 422),
  },
});

export const wechatLoginRoute = createRoute({
  method: 'post',
  path: '/v1/auth/wechat',
  operationId: 'auth.wechat',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Log a mini-program user in with a wx.login code (registers the member on first login)',
  description:
    'Each call costs a call to WeChat and a write: limited per IP (429 `rate.limited`, `Retry-After`). ' +
    'An unknown `brandId` is 404 `brand.not_found`; a brand whose mini program is not this deployment’s ' +
    'WeChat app is 403 `auth.wechat_app_mismatch`. Both are refused before WeChat is called. A unionid the ' +
    'brand already knows (the same person signed in through the H5 app inside WeChat) finds that member.',
  middleware: limitBy('login', 'wechat', byIp),
  request: { body: json(WechatLoginRequest) },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ token: z.string(), member: MemberSummary }) } },
      description: 'Member token',
    },
    ...errorResponses(400, 401, 403, 404, 415, 422, 429, 503),
  },
});

export const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  operationId: 'auth.jwks',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Public keys that verify Tiffin tokens (ES256, by kid)',
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) } },
      description: 'JWK set',
    },
  },
});
