import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { liveMember } from '../members/members.service';
import * as r from './campaigns.routes';
import { claimDrop, edgeLocation, exchangeCode, reportLocation } from './claims.service';

/** Member-facing campaign routes: daily drops, partner codes, location. */
export const campaignsRouter = createRouter();
campaignsRouter.use('/v1/campaigns/*', requireRole('member'));
campaignsRouter.use('/v1/members/me/exchange-codes', requireRole('member'));
campaignsRouter.use('/v1/members/me/location', requireRole('member'));

campaignsRouter
  .openapi(r.claimRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await claimDrop(c.env, m, c.req.valid('param').campaignId), 201);
  })
  .openapi(r.exchangeRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await exchangeCode(c.env, m, c.req.valid('json').code), 201);
  })
  .openapi(r.locationRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await reportLocation(c.env, m, c.req.valid('json'), edgeLocation(c.req.raw.cf)), 200);
  });
