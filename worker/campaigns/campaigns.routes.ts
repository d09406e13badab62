import { createRoute, z } from '@hono/zod-openapi';
import {
  Campaign,
  CampaignInput,
  CampaignMetrics,
  CampaignPatch,
  CampaignRun,
  CampaignRunInput,
  CampaignRunRecord,
  ClaimResult,
  DeadLetter,
  ExchangeInput,
  LocationReport,
  LocationResult,
  PartnerCodes,
  PartnerCodesInput,
} from '../../schema/api/campaigns.schemas';
import { byIp, byPrincipal, limitBy } from '../http/rate-limit';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const security = bearer;
const admin = ['Admin: campaigns'];
const member = ['Campaigns'];
const campaignParam = z.object({ campaignId: idParam('campaignId', 'cmp_3f9c') });

export const createCampaignRoute = createRoute({
  method: 'post',
  path: '/v1/admin/campaigns',
  operationId: 'admin.createCampaign',
  tags: admin,
  security,
  summary:
    'Create a campaign: manual, daily drop, partner codes, recall, weather, night owls, geofence, birthday, member day, segment, group buy or bargain',
  request: { body: jsonBody(CampaignInput) },
  responses: { 201: jsonOk(Campaign, 'Created'), ...writeErrors },
});

export const listCampaignsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/campaigns',
  operationId: 'admin.listCampaigns',
  tags: admin,
  security,
  summary: "The brand's campaigns",
  responses: { 200: jsonOk(z.object({ campaigns: z.array(Campaign) })), ...readErrors },
});

export const getCampaignRoute = createRoute({
  method: 'get',
  path: '/v1/admin/campaigns/{campaignId}',
  operationId: 'admin.getCampaign',
  tags: admin,
  security,
  summary: 'One campaign',
  request: { params: campaignParam },
  responses: { 200: jsonOk(Campaign), ...readErrors },
});

export const patchCampaignRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/campaigns/{campaignId}',
  operationId: 'admin.updateCampaign',
  tags: admin,
  security,
  summary: 'Pause, resume or end a campaign, or change its holdout share or its audience',
  request: { params: campaignParam, body: jsonBody(CampaignPatch) },
  responses: { 200: jsonOk(Campaign), ...writeErrors },
});

export const runCampaignRoute = createRoute({
  method: 'post',
  path: '/v1/admin/campaigns/{campaignId}/runs',
  operationId: 'admin.createRun',
  tags: admin,
  security,
  summary: 'Issue a manual or segment campaign now, to a list of members or a segment (through the coupons queue)',
  request: { params: campaignParam, body: jsonBody(CampaignRunInput) },
  responses: { 202: jsonOk(CampaignRun, 'Queued'), ...writeErrors },
});

export const listRunsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/campaigns/{campaignId}/runs',
  operationId: 'admin.listRuns',
  tags: admin,
  security,
  summary: "The campaign's runs, newest first, with the consumer's progress (issued, slices, D1 rows written)",
  request: { params: campaignParam },
  responses: { 200: jsonOk(z.object({ runs: z.array(CampaignRunRecord) })), ...readErrors },
});

export const metricsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/campaigns/{campaignId}/metrics',
  operationId: 'admin.listMetrics',
  tags: admin,
  security,
  summary: 'Issued, pushed, redeemed, attributed revenue, redemption rate, and repurchase lift over the holdout',
  request: {
    params: campaignParam,
    query: z.object({ windowDays: z.coerce.number().int().min(1).max(90).default(14) }),
  },
  responses: { 200: jsonOk(CampaignMetrics), ...readErrors },
});

export const mintCodesRoute = createRoute({
  method: 'post',
  path: '/v1/admin/campaigns/{campaignId}/codes',
  operationId: 'admin.createCode',
  tags: admin,
  security,
  summary: 'Mint exchange codes for a partner campaign (shown once; only hashes are kept)',
  request: { params: campaignParam, body: jsonBody(PartnerCodesInput) },
  responses: { 201: jsonOk(PartnerCodes, 'Minted'), ...writeErrors },
});

export const deadLettersRoute = createRoute({
  method: 'get',
  path: '/v1/admin/dead-letters',
  operationId: 'admin.listDeadLetters',
  tags: admin,
  security,
  summary:
    'Coupon issuance and store-event messages that exhausted their retries (not yet re-driven, unless `all=true`)',
  request: { query: z.object({ all: z.enum(['true', 'false']).default('false') }) },
  responses: { 200: jsonOk(z.object({ items: z.array(DeadLetter) })), ...readErrors },
});

export const redriveRoute = createRoute({
  method: 'post',
  path: '/v1/admin/dead-letters/{deadLetterId}/redrive',
  operationId: 'admin.redrive',
  tags: admin,
  security,
  summary: 'Send a dead letter back to its queue (once; consumers are idempotent, so nothing happens twice)',
  request: { params: z.object({ deadLetterId: idParam('deadLetterId', 'dlq_3f9c') }) },
  responses: { 200: jsonOk(DeadLetter), ...writeErrors },
});

export const claimRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/{campaignId}/claims',
  operationId: 'campaigns.createClaim',
  tags: member,
  security,
  summary: "Claim today's coupon from a limited daily drop (first come, first served; one per member per day)",
  description:
    '409 `drop.not_open` before the opening time (with `opensAt`), `drop.sold_out` when the day’s quantity is gone, ' +
    '`drop.already_claimed` for a second claim the same day. Limited per member: 429 `rate.limited`.',
  middleware: limitBy('member', 'drop', byPrincipal),
  request: { params: campaignParam },
  responses: { 201: jsonOk(ClaimResult, 'Claimed'), ...errorResponses(401, 403, 404, 409, 429) },
});

export const exchangeRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/exchange-codes',
  operationId: 'campaigns.createExchangeCode',
  tags: member,
  security,
  summary: "Exchange a partner's code for its coupon (each code once; the same member may repeat the call)",
  description: 'Codes are short enough to guess: limited per member and per IP (429 `rate.limited`, `Retry-After`).',
  // Guessing spreads over many members, so the IP gets the tighter guessing limit as well.
  middleware: [limitBy('member', 'exchange', byPrincipal), limitBy('auth', 'exchange', byIp)],
  request: { body: jsonBody(ExchangeInput) },
  responses: {
    201: jsonOk(z.object({ campaignId: z.string(), couponId: z.string() }), 'Exchanged'),
    ...writeErrors,
    ...errorResponses(429),
  },
});

export const locationRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/location',
  operationId: 'campaigns.location',
  tags: member,
  security,
  summary:
    "The app reports the member's location: near an open store, geofence campaigns issue their coupon (once a day)",
  description:
    'The location is used for this answer only and is not stored. A coupon is issued only when the reported ' +
    'position agrees (within 100 km) with where the network places the caller; otherwise nothing is issued.',
  request: { body: jsonBody(LocationReport) },
  responses: { 200: jsonOk(LocationResult), ...writeErrors },
});
