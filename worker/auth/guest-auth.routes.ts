import { createRoute } from '@hono/zod-openapi';
import {
  AuthMethods,
  MemberSignIn,
  PhoneSignInCodeRequest,
  PhoneSignInRequest,
  WechatWebAuthorize,
  WechatWebAuthorizeQuery,
  WechatWebLoginRequest,
} from '../../schema/api/auth.schemas';
import { PhoneCodeSent } from '../../schema/api/members.schemas';
import { byIp, limitBy } from '../http/rate-limit';
import { errorResponses, jsonBody, jsonOk } from '../http/router';

const tags = ['Auth'];

export const methodsRoute = createRoute({
  method: 'get',
  path: '/v1/auth/methods',
  operationId: 'auth.methods',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Which guest sign-ins this deployment offers (the H5 sign-in page shows only these)',
  responses: { 200: jsonOk(AuthMethods) },
});

export const wechatWebAuthorizeRoute = createRoute({
  method: 'get',
  path: '/v1/auth/wechat-web/authorize',
  operationId: 'auth.wechatWebAuthorize',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Start WeChat web authorization: the address to send the browser to, with a signed state',
  description:
    'The state is bound to `nonce` (kept by the browser) and lasts ten minutes; WeChat comes back to ' +
    '`{H5 origin}/sign-in?code=&state=`. 503 `auth.wechat_web_unconfigured` without WECHAT_OA_APPID/WECHAT_OA_SECRET.',
  middleware: limitBy('login', 'wechat-web', byIp),
  request: { query: WechatWebAuthorizeQuery },
  responses: { 200: jsonOk(WechatWebAuthorize), ...errorResponses(404, 422, 429, 503) },
});

export const wechatWebLoginRoute = createRoute({
  method: 'post',
  path: '/v1/auth/wechat-web',
  operationId: 'auth.wechatWeb',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Finish WeChat web authorization: exchange the code for a member token',
  description:
    'The state must be one we issued for this `nonce` (401 `auth.state_invalid`) within ten minutes ' +
    '(401 `auth.state_expired`); both are refused before WeChat is called. The member is found by unionid ' +
    '(the same member as in the mini program) or the Official Account openid, or registered. A used or ' +
    'invalid code is 401 `auth.wechat_code_invalid`; a snapshot-mode visitor 401 `auth.wechat_snapshot_user`.',
  middleware: limitBy('login', 'wechat-web', byIp),
  request: { body: jsonBody(WechatWebLoginRequest) },
  responses: { 200: jsonOk(MemberSignIn, 'Member token'), ...errorResponses(400, 401, 404, 415, 422, 429, 503) },
});

export const phoneSignInCodeRoute = createRoute({
  method: 'post',
  path: '/v1/auth/phone/code',
  operationId: 'auth.phoneCode',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Text a 6-digit sign-in code to a phone (valid 5 minutes, 5 tries)',
  description:
    'The answer is the same whether or not the number is a member’s. Limited per phone and per IP ' +
    '(429 `rate.limited`); 503 `sms.not_configured` where no SMS provider is set up.',
  request: { body: jsonBody(PhoneSignInCodeRequest) },
  responses: { 202: jsonOk(PhoneCodeSent, 'Code sent'), ...errorResponses(400, 404, 415, 422, 429, 503) },
});

export const phoneSignInRoute = createRoute({
  method: 'post',
  path: '/v1/auth/phone',
  operationId: 'auth.phone',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Sign in with the texted code: the member holding this phone, or a new member',
  description:
    'A wrong code is 422 `phone.code_invalid` with `attemptsLeft`; after 5 wrong tries or 5 minutes the code ' +
    'is dead (`phone.code_locked`, `phone.code_expired`). Checks are limited per phone and per IP.',
  request: { body: jsonBody(PhoneSignInRequest) },
  responses: { 200: jsonOk(MemberSignIn, 'Member token'), ...errorResponses(400, 404, 415, 422, 429) },
});
