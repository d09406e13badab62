import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { liveMember } from '../members/members.service';
import { helpBargain, showBargain, startBargain } from './bargain.service';
import { joinGroup, openGroup, showGroup } from './group-buy.service';
import * as r from './groups.routes';

/** Group buys and bargain ladders (member routes). */
export const groupsRouter = createRouter();
// Every member-facing campaign route is member-only, so one guard covers the prefix.
groupsRouter.use('/v1/campaigns/*', requireRole('member'));

groupsRouter
  .openapi(r.openGroupRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const { group, created } = await openGroup(c.env, m, c.req.valid('param').campaignId, c.req.valid('json'));
    return created ? c.json(group, 201) : c.json(group, 200);
  })
  .openapi(r.joinGroupRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const { campaignId, groupId } = c.req.valid('param');
    return c.json(await joinGroup(c.env, m, campaignId, groupId, c.req.valid('json')), 200);
  })
  .openapi(r.groupRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const { campaignId, groupId } = c.req.valid('param');
    return c.json(await showGroup(c.env, m, campaignId, groupId), 200);
  })
  .openapi(r.startBargainRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const { bargain, created } = await startBargain(c.env, m, c.req.valid('param').campaignId);
    return created ? c.json(bargain, 201) : c.json(bargain, 200);
  })
  .openapi(r.helpBargainRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const { campaignId, bargainId } = c.req.valid('param');
    return c.json(await helpBargain(c.env, m, campaignId, bargainId, c.req.valid('json')), 201);
  })
  .openapi(r.bargainRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const { campaignId, bargainId } = c.req.valid('param');
    return c.json(await showBargain(c.env, m, campaignId, bargainId), 200);
  });
