import { createRoute, z } from '@hono/zod-openapi';
import { Bargain, BargainHelpInput, GroupBuy, GroupSeatInput } from '../../schema/api/groups.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Campaigns'];
const security = bearer;

const campaignParams = z.object({ campaignId: idParam('campaignId', 'cmp_3f9c') });
const groupParams = campaignParams.extend({ groupId: idParam('groupId', 'grp_3f9c') });
const bargainParams = campaignParams.extend({ bargainId: idParam('bargainId', 'bgn_3f9c') });

const seatRules =
  'The order must be your own paid order of this brand containing the campaign item, in no other group. ' +
  'Refusals are 422 `group.refused` with `reason`: `already_in_group`, `device_used`, `daily_limit`, ' +
  '`order_not_eligible` (with `why`). A campaign not running is 409 `campaign.not_running`.';

export const openGroupRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/{campaignId}/groups',
  operationId: 'campaigns.createGroup',
  tags,
  security,
  summary: 'Open a group buy with your paid order; friends have the campaign’s minutes to fill it',
  description: `${seatRules} Sending the same order again answers its group with 200.`,
  request: { params: campaignParams, body: jsonBody(GroupSeatInput) },
  responses: {
    201: jsonOk(GroupBuy, 'Opened'),
    200: jsonOk(GroupBuy, 'Already opened with this order'),
    ...writeErrors,
  },
});

export const joinGroupRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/{campaignId}/groups/{groupId}/members',
  operationId: 'campaigns.createMember',
  tags,
  security,
  summary: 'Join a group with your paid order; the join that fills it pays every member their reward',
  description:
    `${seatRules} A full group is 409 \`group.full\`, one past its time 409 \`group.expired\`. ` +
    'Sending the same order again answers the group with 200 and joins nothing.',
  request: { params: groupParams, body: jsonBody(GroupSeatInput) },
  responses: { 200: jsonOk(GroupBuy, 'Joined'), ...writeErrors },
});

export const groupRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}/groups/{groupId}',
  operationId: 'campaigns.getGroup',
  tags,
  security,
  summary: 'A group: status, places taken and left, deadline, reward and share payload',
  request: { params: groupParams },
  responses: { 200: jsonOk(GroupBuy), ...readErrors },
});

export const startBargainRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/{campaignId}/bargains',
  operationId: 'campaigns.createBargain',
  tags,
  security,
  summary: 'Start a bargain ladder to share; answers your open one (200) if you have one',
  responses: { 201: jsonOk(Bargain, 'Started'), 200: jsonOk(Bargain, 'Your open bargain'), ...writeErrors },
  request: { params: campaignParams },
});

export const helpBargainRoute = createRoute({
  method: 'post',
  path: '/v1/campaigns/{campaignId}/bargains/{bargainId}/helps',
  operationId: 'campaigns.createHelp',
  tags,
  security,
  summary: 'Help a friend’s bargain; each rung reached issues its coupon to them',
  description:
    'Refusals are 422 `bargain.refused` with `reason`: `self_help`, `already_helped`, `device_used`, `daily_limit`. ' +
    'A bargain past its time is 409 `bargain.expired`; one at its top rung 409 `bargain.done`.',
  request: { params: bargainParams, body: jsonBody(BargainHelpInput) },
  responses: { 201: jsonOk(Bargain, 'Helped'), ...writeErrors },
});

export const bargainRoute = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}/bargains/{bargainId}',
  operationId: 'campaigns.getBargain',
  tags,
  security,
  summary: 'A bargain: helpers, rungs reached, the next rung and the share payload',
  request: { params: bargainParams },
  responses: { 200: jsonOk(Bargain), ...readErrors },
});
