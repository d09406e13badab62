import { createRoute, z } from '@hono/zod-openapi';
import {
  Consent,
  ConsentUpdate,
  consentKinds,
  couponShelves,
  MemberCoupon,
  MemberErased,
  MemberExport,
  MemberPatch,
  MemberProfile,
  PhoneBinding,
  PhoneCodeRequest,
  PhoneCodeSent,
} from '../../schema/api/members.schemas';
import { bearer, errorResponses, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Members'];
const security = bearer;
const revoked =
  'A token issued before the member was erased (or logged out everywhere) is refused with 401 `auth.token_revoked`.';

export const getMeRoute = createRoute({
  method: 'get',
  path: '/v1/members/me',
  operationId: 'members.getMe',
  tags,
  security,
  summary: "The member's profile: masked phone, birthday, tags, consents, wallet balance and coupon count",
  description: revoked,
  responses: { 200: jsonOk(MemberProfile), ...readErrors },
});

export const patchMeRoute = createRoute({
  method: 'patch',
  path: '/v1/members/me',
  operationId: 'members.updateMe',
  tags,
  security,
  summary: 'Edit nickname or set the birthday (once: changing it later is 409 `member.birthday_locked`)',
  description: revoked,
  request: { body: jsonBody(MemberPatch) },
  responses: { 200: jsonOk(MemberProfile), ...writeErrors },
});

export const phoneCodeRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/phone/code',
  operationId: 'members.phoneCode',
  tags,
  security,
  summary: 'Text a 6-digit code to a phone the member wants to bind (valid 5 minutes, 5 tries)',
  description:
    'The answer is the same for every valid mainland mobile, bound to another member or not. Limited per member ' +
    'and per phone (429 `rate.limited`); 503 `sms.not_configured` where no SMS provider is set up.',
  request: { body: jsonBody(PhoneCodeRequest) },
  responses: { 202: jsonOk(PhoneCodeSent, 'Code sent'), ...writeErrors, ...errorResponses(429, 503) },
});

export const bindPhoneRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/phone',
  operationId: 'members.phone',
  tags,
  security,
  summary: 'Bind or replace the phone with the code texted to it (stored encrypted)',
  description:
    `${revoked} Without \`code\` the answer is 422 \`phone.code_required\`. A wrong code is 422 ` +
    '`phone.code_invalid` with `attemptsLeft`; after 5 wrong tries or 5 minutes the code is dead ' +
    '(`phone.code_locked`, `phone.code_expired`). A number bound to another member moves to the member who proved ' +
    'they receive its texts.',
  request: { body: jsonBody(PhoneBinding) },
  responses: { 200: jsonOk(MemberProfile), ...writeErrors, ...errorResponses(429) },
});

export const putConsentRoute = createRoute({
  method: 'put',
  path: '/v1/members/me/consents/{kind}',
  operationId: 'members.setConsent',
  tags,
  security,
  summary: 'Grant or withdraw a marketing consent, recording the text shown and the time (off by default)',
  description:
    '`personalisation` governs the taste profile (GET /v1/members/me/profile): a grant computes it, a withdrawal ' +
    'deletes it, and campaigns never target on it without the grant.',
  request: {
    params: z.object({ kind: z.enum(consentKinds).openapi({ param: { name: 'kind', in: 'path' } }) }),
    body: jsonBody(ConsentUpdate),
  },
  responses: { 200: jsonOk(Consent), ...writeErrors },
});

export const exportMeRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/export',
  operationId: 'members.getExport',
  tags,
  security,
  summary: 'Everything held about the member, as JSON (PIPL/GDPR access; audited)',
  responses: { 200: jsonOk(MemberExport), ...readErrors },
});

export const deleteMeRoute = createRoute({
  method: 'delete',
  path: '/v1/members/me',
  operationId: 'members.deleteMe',
  tags,
  security,
  summary: 'Erase the personal data and revoke all tokens (PIPL/GDPR; audited)',
  description:
    'Nickname, phone, WeChat ids, birthday, tags, the taste profile and consent texts are erased and order delivery details ' +
    'blanked; payments, refunds, wallet ledger and order amounts are kept, anonymous. Every token issued ' +
    'before is revoked, so repeating the call with the same token is a harmless 401 `auth.token_revoked`.',
  responses: { 200: jsonOk(MemberErased), ...errorResponses(401, 403, 404) },
});

export const logoutAllRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/logout-all',
  operationId: 'members.logoutAll',
  tags,
  security,
  summary: 'Sign out everywhere: every token issued to the member until now stops working',
  description:
    'Every route then refuses those tokens with 401 `auth.token_revoked` (at once where the call was ' +
    'made, within 30 s everywhere). Log in again for a new token.',
  responses: { 204: { description: 'Signed out everywhere' }, ...errorResponses(401, 403, 404) },
});

export const myCouponsRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/coupons',
  operationId: 'members.listCoupons',
  tags,
  security,
  summary: "The member's coupons: usable (soonest-ending first), used and expired, with name, rule and validity",
  description: `${revoked} \`status\` picks one shelf; without it every coupon is listed (at most 200, newest first).`,
  request: { query: z.object({ status: z.enum(couponShelves).optional() }) },
  responses: { 200: jsonOk(z.object({ items: z.array(MemberCoupon) })), ...readErrors },
});
