import { createRoute, z } from '@hono/zod-openapi';
import {
  CatalogItem,
  CheckInResult,
  DiceRoll,
  LoyaltyProgramme,
  PointsPage,
  Redemption,
  RedemptionResult,
  ReferralBinding,
  ReferralBound,
  ReferralCash,
  ReferralInfo,
  ReferralPreview,
  TierPage,
} from '../../schema/api/loyalty.schemas';
import { ReviewInput, ReviewResult } from '../../schema/api/reviews.schemas';
import { idempotencyHeaders } from '../http/idempotency';
import { byIp, limitBy } from '../http/rate-limit';
import { bearer, errorResponses, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Loyalty'];
const security = bearer;

export const programmeRoute = createRoute({
  method: 'get',
  path: '/v1/loyalty/programme',
  operationId: 'loyalty.getProgramme',
  tags,
  security,
  summary: "The brand's published programme: tiers and benefits, points rates, perks and the dice odds",
  responses: { 200: jsonOk(LoyaltyProgramme), ...readErrors },
});

export const catalogRoute = createRoute({
  method: 'get',
  path: '/v1/loyalty/catalog',
  operationId: 'loyalty.getCatalog',
  tags,
  security,
  summary: 'What points can be redeemed for (coupons and dishes)',
  responses: { 200: jsonOk(z.object({ items: z.array(CatalogItem) })), ...readErrors },
});

export const myPointsRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/points',
  operationId: 'loyalty.listPoints',
  tags,
  security,
  summary: 'Points balance (spendable, pending through the refund window, next expiry) and the ledger, newest first',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      before: z.string().datetime({ offset: true }).optional().openapi({ description: 'ledger page cursor' }),
    }),
  },
  responses: { 200: jsonOk(PointsPage), ...readErrors },
});

export const myTierRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/tier',
  operationId: 'loyalty.getTier',
  tags,
  security,
  summary: 'Tier, benefits, rolling figures, progress to the next tier, and the history of changes',
  responses: { 200: jsonOk(TierPage), ...readErrors },
});

export const redeemRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/points/redemptions',
  operationId: 'loyalty.createRedemption',
  'x-idempotent': true,
  tags,
  security,
  summary: 'Spend points on a catalog item (issues its coupon)',
  description:
    'Send an `Idempotency-Key` header to make retries safe: the same key spends once and answers the same coupon. ' +
    'Not enough spendable points is 409 `points.insufficient` with `available` and `needed`.',
  request: {
    headers: idempotencyHeaders,
    body: jsonBody(Redemption),
  },
  responses: { 201: jsonOk(RedemptionResult, 'Redeemed'), ...writeErrors },
});

export const checkInRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/check-ins',
  operationId: 'loyalty.createCheckIn',
  tags,
  security,
  summary:
    "Today's check-in (brand time): the streak continues from yesterday; twice a day is 409 `checkin.done_today`",
  responses: { 201: jsonOk(CheckInResult, 'Checked in'), ...errorResponses(401, 403, 404, 409) },
});

export const diceRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/dice-rolls',
  operationId: 'loyalty.createDiceRoll',
  tags,
  security,
  summary: 'Roll the points dice (daily limit; every roll recorded; odds at /v1/loyalty/programme)',
  responses: { 201: jsonOk(DiceRoll, 'Rolled'), ...errorResponses(401, 403, 404, 409) },
});

export const referralRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/referral',
  operationId: 'loyalty.getReferral',
  tags,
  security,
  summary: "The member's referral code, share link, poster payload and invite progress",
  request: { headers: z.object({ 'x-device-id': z.string().min(8).max(128).optional() }) },
  responses: { 200: jsonOk(ReferralInfo), ...readErrors },
});

export const referralPreviewRoute = createRoute({
  method: 'get',
  path: '/v1/referrals/{code}',
  operationId: 'loyalty.getReferralPreview',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'What a referral link shows before sign-in: the inviter (masked nickname) and what both get',
  description: 'An unknown code, or an erased inviter’s, is 404 `referral.code_not_found`. Limited per IP.',
  middleware: limitBy('public', 'referral-preview', byIp),
  request: {
    params: z.object({
      code: z
        .string()
        .min(4)
        .max(16)
        .openapi({ param: { name: 'code', in: 'path' }, example: 'K7P2QX' }),
    }),
    query: z.object({ brandId: z.string().min(1).max(64).optional() }),
  },
  responses: { 200: jsonOk(ReferralPreview), ...errorResponses(404, 422, 429) },
});

export const bindReferralRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/referral',
  operationId: 'loyalty.referral',
  tags,
  security,
  summary: "A new guest enters an inviter's code; both are rewarded after the guest's first completed paid order",
  description:
    'Refused with 422 `referral.refused` and `reason`: `self`, `loop`, `already_referred`, `not_new` (the guest already ' +
    'completed an order) or `device_used`. An unknown code is 404 `referral.code_not_found`.',
  request: { body: jsonBody(ReferralBinding) },
  responses: { 201: jsonOk(ReferralBound, 'Bound'), ...writeErrors },
});

export const reviewRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/reviews',
  operationId: 'loyalty.createReview',
  tags,
  security,
  summary: 'Review a completed order (once per order; earns the review points once)',
  description:
    'Rates the order, optionally its dishes, its server, with text and up to 6 uploaded photos. An order that is ' +
    'not yours or not completed, a dish not in the order, a staff member not of its store: 422 naming the field. ' +
    "A rating of 2 or less, or a complaint, opens a follow-up for the store's manager (due in 24 hours).",
  request: { body: jsonBody(ReviewInput) },
  responses: { 201: jsonOk(ReviewResult, 'Reviewed'), ...writeErrors },
});

export const referralCashRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/referral-cash',
  operationId: 'loyalty.getReferralCash',
  tags,
  security,
  summary: "The member's referral cash: locked until enough friends' first orders complete, then in the wallet",
  description:
    'Cash per rewarded friend is held locked; when `friendsNeeded` friends have completed a first order it all moves ' +
    'into the stored-value wallet (kind `referral`). It is not withdrawable unless the brand enables it; `taxNote` ' +
    'says how withdrawn cash is taxed.',
  responses: { 200: jsonOk(ReferralCash), ...readErrors },
});
