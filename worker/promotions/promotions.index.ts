import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import { previewPromotions } from './promotion-preview.service';
import * as r from './promotions.routes';
import { createPromotion, endPromotion, getPromotion, listPromotions, patchPromotion } from './promotions.service';

/** Mounted under the admin router (brand admins only, scoped to their brand). */
export const promotionsAdminRouter = createRouter();

promotionsAdminRouter
  .openapi(r.previewPromotionsRoute, async (c) =>
    c.json(await previewPromotions(c.env, principalOf(c).brandId, c.req.valid('json')), 200),
  )
  .openapi(r.createPromotionRoute, async (c) =>
    c.json(await createPromotion(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.listPromotionsRoute, async (c) => {
    const { active } = c.req.valid('query');
    const list = await listPromotions(
      c.env,
      principalOf(c).brandId,
      active === undefined ? undefined : active === 'true',
    );
    return c.json({ promotions: list }, 200);
  })
  .openapi(r.getPromotionRoute, async (c) =>
    c.json(await getPromotion(c.env, principalOf(c).brandId, c.req.valid('param').promotionId), 200),
  )
  .openapi(r.patchPromotionRoute, async (c) =>
    c.json(
      await patchPromotion(c.env, principalOf(c).brandId, c.req.valid('param').promotionId, c.req.valid('json')),
      200,
    ),
  )
  .openapi(r.endPromotionRoute, async (c) => {
    await endPromotion(c.env, principalOf(c).brandId, c.req.valid('param').promotionId);
    return c.body(null, 204);
  });
