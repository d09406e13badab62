import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import { campaignMetrics, campaignRuns, deadLetters, redrive, runCampaign } from './campaign-admin.service';
import * as r from './campaigns.routes';
import { campaignView, createCampaign, getCampaign, listCampaigns, patchCampaign } from './campaigns.service';
import { mintPartnerCodes } from './claims.service';

/** Mounted under the admin router (admins only, scoped to their brand). */
export const campaignsAdminRouter = createRouter();

campaignsAdminRouter
  .openapi(r.createCampaignRoute, async (c) =>
    c.json(campaignView(await createCampaign(c.env, principalOf(c).brandId, c.req.valid('json'))), 201),
  )
  .openapi(r.listCampaignsRoute, async (c) =>
    c.json({ campaigns: (await listCampaigns(c.env, principalOf(c).brandId)).map(campaignView) }, 200),
  )
  .openapi(r.getCampaignRoute, async (c) =>
    c.json(campaignView(await getCampaign(c.env, principalOf(c).brandId, c.req.valid('param').campaignId)), 200),
  )
  .openapi(r.patchCampaignRoute, async (c) =>
    c.json(
      campaignView(
        await patchCampaign(c.env, principalOf(c).brandId, c.req.valid('param').campaignId, c.req.valid('json')),
      ),
      200,
    ),
  )
  .openapi(r.runCampaignRoute, async (c) => {
    const campaign = await getCampaign(c.env, principalOf(c).brandId, c.req.valid('param').campaignId);
    return c.json(await runCampaign(c.env, campaign, c.req.valid('json')), 202);
  })
  .openapi(r.listRunsRoute, async (c) => {
    const campaign = await getCampaign(c.env, principalOf(c).brandId, c.req.valid('param').campaignId);
    return c.json({ runs: await campaignRuns(c.env, campaign.id) }, 200);
  })
  .openapi(r.metricsRoute, async (c) => {
    const campaign = await getCampaign(c.env, principalOf(c).brandId, c.req.valid('param').campaignId);
    return c.json(await campaignMetrics(c.env, campaign, c.req.valid('query').windowDays), 200);
  })
  .openapi(r.mintCodesRoute, async (c) => {
    const campaign = await getCampaign(c.env, principalOf(c).brandId, c.req.valid('param').campaignId);
    return c.json(await mintPartnerCodes(c.env, campaign, c.req.valid('json').count), 201);
  })
  .openapi(r.deadLettersRoute, async (c) =>
    c.json({ items: await deadLetters(c.env, principalOf(c).brandId, c.req.valid('query').all === 'true') }, 200),
  )
  .openapi(r.redriveRoute, async (c) =>
    c.json(await redrive(c.env, principalOf(c).brandId, c.req.valid('param').deadLetterId), 200),
  );
