import { createRoute } from '@hono/zod-openapi';
import { RebuildQueued, RebuildRequest } from '../../schema/api/analytics-rebuild.schemas';
import { bearer, jsonBody, jsonOk, writeErrors } from '../http/router';

export const rebuildRoute = createRoute({
  method: 'post',
  path: '/v1/admin/analytics/rebuild',
  operationId: 'analytics.rebuild',
  tags: ['Analytics'],
  security: bearer,
  summary: 'Re-derive the KPI rollups of a range of business days from order history (queued, in slices)',
  description:
    'Brand admins only. Days already kept current by the events are recomputed to the same rows; ' +
    'history rows written without a business day get one first. At most 366 days.',
  request: { body: jsonBody(RebuildRequest) },
  responses: { 202: jsonOk(RebuildQueued, 'Queued'), ...writeErrors },
});
