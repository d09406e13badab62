import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { liveMember } from '../members/members.service';
import * as r from './experiments.routes';
import { myExperiments, recordConversion, recordExposure } from './exposure.service';

/** Member-facing experiment routes: the member's variants, exposures and conversions. */
export const experimentsRouter = createRouter();
experimentsRouter.use('/v1/members/me/experiments', requireRole('member'));
experimentsRouter.use('/v1/members/me/experiments/*', requireRole('member'));

experimentsRouter
  .openapi(r.myExperimentsRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json({ experiments: await myExperiments(c.env, m) }, 200);
  })
  .openapi(r.exposureRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await recordExposure(c.env, m, c.req.valid('param').key), 200);
  })
  .openapi(r.conversionRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await recordConversion(c.env, m, c.req.valid('param').key, c.req.valid('json').event), 200);
  });
