import { createRoute, z } from '@hono/zod-openapi';
import {
  CatalogItem,
  CatalogItemInput,
  CouponTemplate,
  CouponTemplateInput,
  LoyaltyRulesSchema,
} from '../../schema/api/loyalty.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: loyalty'];
const security = bearer;

export const getRulesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/loyalty/rules',
  operationId: 'admin.listRules',
  tags,
  security,
  summary: "The brand's loyalty rules (defaults until saved)",
  responses: { 200: jsonOk(LoyaltyRulesSchema), ...readErrors },
});

export const putRulesRoute = createRoute({
  method: 'put',
  path: '/v1/admin/loyalty/rules',
  operationId: 'admin.setRules',
  tags,
  security,
  summary: 'Replace the loyalty rules: tiers and benefits, points, perks, referral rewards, game odds',
  description:
    'Checked as a whole: tiers lowest first with rising spend, the first tier without threshold, known tier ids in ' +
    'member-day extras, and coupon templates that exist. Problems are a 422 naming each path.',
  request: { body: jsonBody(LoyaltyRulesSchema) },
  responses: { 200: jsonOk(LoyaltyRulesSchema), ...writeErrors },
});

export const createTemplateRoute = createRoute({
  method: 'post',
  path: '/v1/admin/coupon-templates',
  operationId: 'admin.createCouponTemplate',
  tags,
  security,
  summary: 'Create a coupon template (kind, amounts, scope, validity, total stock, per-member limit)',
  request: { body: jsonBody(CouponTemplateInput) },
  responses: { 201: jsonOk(CouponTemplate, 'Created'), ...writeErrors },
});

export const listTemplatesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/coupon-templates',
  operationId: 'admin.listCouponTemplates',
  tags,
  security,
  summary: "The brand's coupon templates with how many were issued",
  responses: { 200: jsonOk(z.object({ templates: z.array(CouponTemplate) })), ...readErrors },
});

export const patchTemplateRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/coupon-templates/{templateId}',
  operationId: 'admin.updateCouponTemplate',
  tags,
  security,
  summary: 'Activate or pause a template, or change its total stock (never below what was issued)',
  request: {
    params: z.object({ templateId: idParam('templateId', 'ctp_3f9c') }),
    body: jsonBody(
      z
        .strictObject({
          active: z.boolean().optional(),
          totalStock: z.number().int().min(1).max(100_000_000).nullable().optional(),
        })
        .openapi('CouponTemplatePatch'),
    ),
  },
  responses: { 200: jsonOk(CouponTemplate), ...writeErrors },
});

export const createCatalogItemRoute = createRoute({
  method: 'post',
  path: '/v1/admin/points-catalog',
  operationId: 'admin.pointsCatalog',
  tags,
  security,
  summary: 'Add a points catalog item: a coupon or a dish (a free-item coupon template) for N points',
  request: { body: jsonBody(CatalogItemInput) },
  responses: { 201: jsonOk(CatalogItem, 'Created'), ...writeErrors },
});

export const listCatalogRoute = createRoute({
  method: 'get',
  path: '/v1/admin/points-catalog',
  operationId: 'admin.getPointsCatalog',
  tags,
  security,
  summary: 'The points catalog, paused items included',
  responses: {
    200: jsonOk(z.object({ items: z.array(CatalogItem.extend({ active: z.boolean() })) })),
    ...readErrors,
  },
});
