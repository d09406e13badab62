import { createRoute, z } from '@hono/zod-openapi';
import {
  Promotion,
  PromotionInput,
  PromotionPatch,
  PromotionPreview,
  PromotionPreviewInput,
} from '../../schema/api/promotions.schemas';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: promotions'];
const security = bearer;
const promotionParam = z.object({ promotionId: idParam('promotionId', 'prm_3f9c2a1b') });

export const createPromotionRoute = createRoute({
  method: 'post',
  path: '/v1/admin/promotions',
  operationId: 'promotions.create',
  tags,
  security,
  summary:
    'Create a promotion: 满减 threshold, percentage, member tier or member price, second item half price, ' +
    'fixed-price combo, gift, flash price, buy X get Y, or near-closing markdown',
  description:
    'The pricing engine’s `Promotion` shape without an id. It prices the next quote at once (no menu publish ' +
    'needed) and shows as a badge on the menu. Dishes, specs, categories, stores and tiers it names must be ' +
    'the brand’s; a window ending before it starts, a percentage outside (0, 100] or an unknown property is a 422 ' +
    'naming the field, and nothing is stored.',
  request: { body: jsonBody(PromotionInput) },
  responses: { 201: jsonOk(Promotion, 'Created'), ...writeErrors },
});

export const listPromotionsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/promotions',
  operationId: 'promotions.list',
  tags,
  security,
  summary: "The brand's promotions, newest first (`active=true` for the running ones only)",
  request: { query: z.object({ active: z.enum(['true', 'false']).optional() }) },
  responses: { 200: jsonOk(z.object({ promotions: z.array(Promotion) })), ...readErrors },
});

export const getPromotionRoute = createRoute({
  method: 'get',
  path: '/v1/admin/promotions/{promotionId}',
  operationId: 'promotions.get',
  tags,
  security,
  summary: 'One promotion',
  request: { params: promotionParam },
  responses: { 200: jsonOk(Promotion), ...readErrors },
});

export const patchPromotionRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/promotions/{promotionId}',
  operationId: 'promotions.update',
  tags,
  security,
  summary: 'Change a promotion’s terms, window, scope, channels, limits or stacking; pause or resume it',
  description: 'The result is checked as a whole, as on create; `null` removes an optional field.',
  request: { params: promotionParam, body: jsonBody(PromotionPatch) },
  responses: { 200: jsonOk(Promotion), ...writeErrors },
});

export const endPromotionRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/promotions/{promotionId}',
  operationId: 'promotions.end',
  tags,
  security,
  summary: 'End a promotion: the next quote no longer applies it (kept for the record, listed as inactive)',
  request: { params: promotionParam },
  responses: { 204: { description: 'Ended' }, ...errorResponses(401, 403, 404, 422) },
});

export const previewPromotionsRoute = createRoute({
  method: 'post',
  path: '/v1/admin/promotions/preview',
  operationId: 'promotions.preview',
  tags,
  security,
  summary: "Price a sample cart at a store with the brand's promotions (and a draft), showing each one applied",
  description:
    'Nothing is stored. Prices against the published menu, ignoring stock and coupons; `notApplied` says why ' +
    'each other promotion did not apply (not running here and now, or nothing in the cart for it).',
  request: { body: jsonBody(PromotionPreviewInput) },
  responses: { 200: jsonOk(PromotionPreview), ...writeErrors },
});
