import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import * as r from './recommend.routes';
import { storeRecommendations } from './recommend.service';

export const recommendRouter = createRouter();
recommendRouter.use('/v1/members/me/recommendations', requireRole('member'));

recommendRouter
  .openapi(r.myRecommendationsRoute, async (c) => {
    const { storeId, strategy } = c.req.valid('query');
    c.header('Cache-Control', 'private, no-store');
    return c.json(await storeRecommendations(c.env, storeId, principalOf(c), strategy), 200);
  })
  .openapi(r.storeRecommendationsRoute, async (c) => {
    // Popular-now is the same for everyone at the store: nothing personal, whatever the token.
    c.header('Cache-Control', 'public, max-age=60');
    return c.json(await storeRecommendations(c.env, c.req.valid('param').storeId, null, 'popular'), 200);
  });
