import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import { brandHoldoutPercent, setBrandHoldoutPercent } from './brand-holdout.service';
import * as r from './experiments.routes';
import {
  createExperiment,
  experimentView,
  getExperiment,
  listExperiments,
  patchExperiment,
} from './experiments.service';
import { resultsOf } from './results.service';

/** Mounted under the admin router (admins only, scoped to their brand). */
export const experimentsAdminRouter = createRouter();

experimentsAdminRouter
  .openapi(r.createExperimentRoute, async (c) =>
    c.json(experimentView(await createExperiment(c.env, principalOf(c).brandId, c.req.valid('json'))), 201),
  )
  .openapi(r.listExperimentsRoute, async (c) =>
    c.json({ experiments: (await listExperiments(c.env, principalOf(c).brandId)).map(experimentView) }, 200),
  )
  .openapi(r.getExperimentRoute, async (c) =>
    c.json(experimentView(await getExperiment(c.env, principalOf(c).brandId, c.req.valid('param').experimentId)), 200),
  )
  .openapi(r.patchExperimentRoute, async (c) => {
    const { brandId } = principalOf(c);
    const row = await patchExperiment(c.env, brandId, c.req.valid('param').experimentId, c.req.valid('json'));
    return c.json(experimentView(row), 200);
  })
  .openapi(r.experimentResultsRoute, async (c) => {
    const e = await getExperiment(c.env, principalOf(c).brandId, c.req.valid('param').experimentId);
    return c.json(await resultsOf(c.env, e), 200);
  })
  .openapi(r.getHoldoutRoute, async (c) =>
    c.json({ percent: await brandHoldoutPercent(c.env, principalOf(c).brandId) }, 200),
  )
  .openapi(r.putHoldoutRoute, async (c) =>
    c.json(await setBrandHoldoutPercent(c.env, principalOf(c).brandId, c.req.valid('json').percent), 200),
  );
