import { createRoute, z } from '@hono/zod-openapi';
import {
  SecretWordRedeem,
  SecretWordRedemption,
  ShareOpen,
  ShareOpenInput,
  ShareTask,
  Wheel,
  WheelSpin,
  WheelSpinPage,
} from '../../schema/api/games.schemas';
import { idempotencyHeaders } from '../http/idempotency';
import { byIp, byPrincipal, limitBy } from '../http/rate-limit';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, writeErrors } from '../http/router';

const tags = ['Games'];
const wheelParams = z.object({ wheelId: idParam('wheelId', 'whl_3f9c0a1b2c3d4e5f6a7b') });

export const wheelRoute = createRoute({
  method: 'get',
  path: '/v1/wheels/{wheelId}',
  operationId: 'games.getWheel',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'A lucky wheel with its published odds: each prize’s chance (adding up to 100) and what is out of stock',
  description:
    'A prize’s chance is its weight over the total weight of the prizes still in stock, exactly what a spin draws ' +
    'from now. Limited per IP.',
  middleware: limitBy('public', 'wheel', byIp),
  request: { params: wheelParams },
  responses: { 200: jsonOk(Wheel), ...errorResponses(404, 422, 429) },
});

export const spinRoute = createRoute({
  method: 'post',
  path: '/v1/wheels/{wheelId}/spins',
  operationId: 'games.spinWheel',
  'x-idempotent': true,
  tags,
  security: bearer,
  summary: 'Spin the wheel: pays its cost in points and gives the prize in one transaction; every spin is kept',
  description:
    'Send an `Idempotency-Key` so a retry answers the same spin. Past the daily limit (brand time) is 409 ' +
    '`wheel.daily_limit`; a wheel switched off or outside its window is 409 `wheel.inactive`; too few points is 409 ' +
    '`points.insufficient` with `available` and `needed`.',
  request: { params: wheelParams, headers: idempotencyHeaders },
  responses: { 201: jsonOk(WheelSpin, 'Spun'), ...writeErrors, ...errorResponses(503) },
});

export const mySpinsRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/wheels/{wheelId}/spins',
  operationId: 'games.listMySpins',
  tags,
  security: bearer,
  summary: "The member's spins of a wheel, newest first, with what each won",
  request: {
    params: wheelParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      before: z.string().max(100).optional().openapi({ description: '`nextCursor` of the previous page' }),
    }),
  },
  responses: { 200: jsonOk(WheelSpinPage), ...errorResponses(401, 403, 404, 422) },
});

export const redeemSecretWordRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/secret-words/redeem',
  operationId: 'games.redeemSecretWord',
  tags: ['Secret words'],
  security: bearer,
  summary: 'Staff redeem a secret word (暗号) a guest said: the hidden dish is granted as a free-item coupon',
  description:
    'Name the guest by `memberId` or by their member code. A word that is not open at this store now is 422 ' +
    '`secret_word.wrong` (which words exist is never said); a guest who already had it is 409 ' +
    '`secret_word.already_redeemed`; a dish no longer on this store’s published menu is 409 ' +
    '`secret_word.item_unpublished`. Staff of another store: 403; another brand: 404. Limited per account, so ' +
    'words cannot be guessed at speed.',
  middleware: limitBy('member', 'secret-word', byPrincipal),
  request: {
    params: z.object({ storeId: idParam('storeId', 'sto_peoplesq') }),
    body: jsonBody(SecretWordRedeem),
  },
  responses: { 201: jsonOk(SecretWordRedemption, 'Redeemed'), ...writeErrors, ...errorResponses(429) },
});

export const shareTaskRoute = createRoute({
  method: 'get',
  path: '/v1/wheels/{wheelId}/share-task',
  operationId: 'games.getShareTask',
  tags,
  security: bearer,
  summary: "The member's link to share the wheel and today's progress toward the free spin",
  description:
    'WeChat share callbacks cannot be verified, so sharing counts when friends open the link: distinct groups ' +
    '(openGId) or distinct signed-in visitors, never the sharer. Reaching `needed` in a day earns one free spin, ' +
    'used by the next spin and beyond the daily limit.',
  request: { params: wheelParams },
  responses: { 200: jsonOk(ShareTask), ...errorResponses(401, 403, 404, 422) },
});

export const shareOpenRoute = createRoute({
  method: 'post',
  path: '/v1/wheels/{wheelId}/share-opens',
  operationId: 'games.recordShareOpen',
  tags,
  security: bearer,
  summary: "A friend opened a member's shared wheel link (the page calls this once signed in)",
  description:
    'Counted once per friend and once per group a day; the sharer’s own open is `counted: false`, `reason: self`. ' +
    'A wheel without a share task is 409 `wheel.no_share_task`; an unknown code 404 `referral.code_not_found`. ' +
    'Limited per member.',
  middleware: limitBy('member', 'share-open', byPrincipal),
  request: { params: wheelParams, body: jsonBody(ShareOpenInput) },
  responses: { 200: jsonOk(ShareOpen), ...writeErrors, ...errorResponses(429) },
});
