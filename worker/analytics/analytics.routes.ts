import { createRoute, type z } from '@hono/zod-openapi';
import {
  AnalyticsQuery,
  KpiDaily,
  KpiHours,
  KpiItems,
  KpiOnTime,
  KpiStores,
  KpiSummary,
  KpiTargets,
  OnTimeQuery,
} from '../../schema/api/analytics.schemas';
import { bearer, errorResponses, jsonBody, jsonOk, readErrors } from '../http/router';

const tags = ['Analytics'];
const security = bearer;

/** JSON by default; `?format=csv` answers the same rows as CSV (UTF-8 with BOM, for Excel). */
const jsonOrCsv = <T extends z.ZodType>(schema: T, description: string) => ({
  content: {
    'application/json': { schema },
    'text/csv': { schema: { type: 'string' as const } },
  },
  description,
});

const access =
  'Brand admins see every store of their brand (or the `storeId`s they name); a store manager sees their ' +
  'own stores; clerks get 403. A `storeId` the caller may not see is 404 `store.not_found`.';

export const summaryRoute = createRoute({
  method: 'get',
  path: '/v1/admin/analytics/summary',
  operationId: 'analytics.summary',
  tags,
  security,
  summary: 'KPIs of a period: revenue, average ticket, guests, table turnover, repurchase, member activity, points',
  description: access,
  request: { query: AnalyticsQuery },
  responses: { 200: jsonOrCsv(KpiSummary, 'The period’s KPIs against the brand’s targets'), ...readErrors },
});

export const dailyRoute = createRoute({
  method: 'get',
  path: '/v1/admin/analytics/daily',
  operationId: 'analytics.daily',
  tags,
  security,
  summary: 'The same KPIs, one row per store per business day',
  description: access,
  request: { query: AnalyticsQuery },
  responses: { 200: jsonOrCsv(KpiDaily, 'Rows by store and day'), ...readErrors },
});

export const itemsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/analytics/items',
  operationId: 'analytics.items',
  tags,
  security,
  summary: 'Dish sales ranking: quantity, revenue, share, refunds, average rating',
  description: access,
  request: { query: AnalyticsQuery },
  responses: { 200: jsonOrCsv(KpiItems, 'Dishes by revenue'), ...readErrors },
});

export const hoursRoute = createRoute({
  method: 'get',
  path: '/v1/admin/analytics/hours',
  operationId: 'analytics.hours',
  tags,
  security,
  summary: 'Weekday × hour grid of orders and revenue (store-local)',
  description: access,
  request: { query: AnalyticsQuery },
  responses: { 200: jsonOrCsv(KpiHours, 'The heatmap cells'), ...readErrors },
});

export const storesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/analytics/stores',
  operationId: 'analytics.stores',
  tags,
  security,
  summary: 'Store comparison: rank and change against the previous period of the same length',
  description: access,
  request: { query: AnalyticsQuery },
  responses: { 200: jsonOrCsv(KpiStores, 'Stores ranked by net revenue'), ...readErrors },
});

export const getTargetsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/analytics/targets',
  operationId: 'analytics.getTargets',
  tags,
  security,
  summary: 'The brand’s KPI targets (repurchase, member activity, points consumption)',
  description: 'Brand admins only. Unset targets answer the defaults: 0.4, 0.5 and 0.6.',
  responses: { 200: jsonOk(KpiTargets, 'The targets'), ...errorResponses(401, 403) },
});

export const putTargetsRoute = createRoute({
  method: 'put',
  path: '/v1/admin/analytics/targets',
  operationId: 'analytics.putTargets',
  tags,
  security,
  summary: 'Set the brand’s KPI targets (each a fraction in [0, 1])',
  description: 'Brand admins only. Replaces all three; repeating the same body changes nothing.',
  request: { body: jsonBody(KpiTargets) },
  responses: { 200: jsonOk(KpiTargets, 'The targets now'), ...errorResponses(400, 401, 403, 413, 415, 422) },
});

export const onTimeRoute = createRoute({
  method: 'get',
  path: '/v1/admin/analytics/on-time',
  operationId: 'analytics.onTime',
  tags,
  security,
  summary: 'On-time delivery rate per store and per courier (provider, and each own rider)',
  description:
    `${access} A delivery counts once it is delivered, by its order's business day; it is on time when it ` +
    'arrived by its promise (the chosen slot’s end, or placement + preparation + travel for as soon as possible).',
  request: { query: OnTimeQuery },
  responses: { 200: jsonOk(KpiOnTime), ...readErrors },
});
