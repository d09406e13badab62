import { createRoute, z } from '@hono/zod-openapi';
import { Recommendations, RecommendQuery } from '../../schema/api/recommend.schemas';
import { bearer, errorResponses, idParam, jsonOk, readErrors } from '../http/router';

const tags = ['Recommendations'];
const how =
  "Only dishes on the store's published menu, in their daypart and not sold out. Reasons are Chinese, ready to " +
  'show (`code` is stable, `text` may change). The co-purchase and popularity figures are recomputed nightly from the ' +
  'last 30 days of completed orders.';

export const myRecommendationsRoute = createRoute({
  method: 'get',
  path: '/v1/members/me/recommendations',
  operationId: 'members.recommendations',
  tags,
  security: bearer,
  summary: 'Dishes and combos for the member at a store now, each with its reason',
  description:
    "With the `personalisation` consent (the latest decision counts): the member's favourites (`favourite`), " +
    'what goes with them (`goes_with`), what the weather at the store and the hour call for (`weather`, ' +
    '`late_night`, `breakfast`), a light meal for a frequent fried-food eater (`light_meal`), a milk tea and ' +
    'dessert combo for a milk-tea lover (`milk_tea_dessert`), popular dishes not yet tried for a new guest ' +
    '(`explore`). Without the consent, popular-now only (`strategy: popular`), from no personal data. ' +
    `Anonymous guests use \`GET /v1/stores/{storeId}/recommendations\`. ${how}`,
  request: { query: RecommendQuery },
  responses: { 200: jsonOk(Recommendations), ...readErrors },
});

export const storeRecommendationsRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/recommendations',
  operationId: 'stores.recommendations',
  tags,
  security: [],
  summary: 'Popular dishes at a store now (for anyone, no token)',
  description:
    'What this store sells most in the current hour band (breakfast, lunch, afternoon, dinner, late night), and ' +
    `the pair guests most often buy together: reason \`popular\`, never personal, even with a token. ${how}`,
  request: { params: z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') }) },
  responses: { 200: jsonOk(Recommendations), ...errorResponses(404, 422) },
});
