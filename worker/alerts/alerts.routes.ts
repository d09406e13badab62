import { createRoute, z } from '@hono/zod-openapi';
import {
  AdminNotice,
  AdminNoticeList,
  AdminNoticeQuery,
  AlertList,
  AlertQuery,
  AlertThresholds,
  AlertThresholdsInput,
  StoreAlert,
} from '../../schema/api/alerts.schemas';
import { requireRole } from '../http/auth';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Alerts'];
const security = bearer;

const access =
  'Brand admins see every store of their brand (or the `storeId`s they name); a store manager sees their own ' +
  'stores; clerks get 403. A `storeId` the caller may not see is 404 `store.not_found`.';

export const listAlertsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/alerts',
  operationId: 'alerts.list',
  tags,
  security,
  summary: 'Store alerts: order success, placement latency, printers, kitchen lateness (newest first)',
  description: access,
  request: { query: AlertQuery },
  responses: { 200: jsonOk(AlertList, 'Alerts of the stores, newest first'), ...readErrors },
});

export const acknowledgeAlertRoute = createRoute({
  method: 'post',
  path: '/v1/admin/alerts/{alertId}/acknowledge',
  operationId: 'alerts.acknowledge',
  tags,
  security,
  summary: 'Mark an alert as seen (it stays open until the store recovers); repeating it changes nothing',
  description: `${access} An alert of a store the caller may not see is 404 \`alert.not_found\`.`,
  request: { params: z.object({ alertId: idParam('alertId', 'alr_3f9c0a1b2c3d4e5f6a7b') }) },
  responses: { 200: jsonOk(StoreAlert, 'The alert, acknowledged'), ...writeErrors },
});

export const getThresholdsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/alerts/thresholds',
  operationId: 'alerts.thresholds',
  tags,
  security,
  summary: "The brand's alert thresholds (defaults where the brand set none)",
  description: 'Brand admins only.',
  middleware: [requireRole('admin')] as const,
  responses: { 200: jsonOk(AlertThresholds), ...readErrors },
});

export const putThresholdsRoute = createRoute({
  method: 'put',
  path: '/v1/admin/alerts/thresholds',
  operationId: 'alerts.setThresholds',
  tags,
  security,
  summary: "Replace the brand's alert thresholds; a missing key takes its default, null switches that alert off",
  description: 'Brand admins only. The next 5-minute check judges every store by them.',
  middleware: [requireRole('admin')] as const,
  request: { body: jsonBody(AlertThresholdsInput) },
  responses: { 200: jsonOk(AlertThresholds), ...writeErrors },
});

const noticeTags = ['Alerts'];

export const listNoticesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/notices',
  operationId: 'notices.list',
  tags: noticeTags,
  security,
  summary:
    "What the brand's admins must hear about that is no store's alert: a webhook endpoint disabled (newest first)",
  description:
    'Brand admins only. Every admin of the brand sees the same notices; one marking it read marks it for all.',
  request: { query: AdminNoticeQuery },
  responses: { 200: jsonOk(AdminNoticeList, 'Notices, newest first'), ...readErrors },
});

export const markNoticeReadRoute = createRoute({
  method: 'post',
  path: '/v1/admin/notices/{noticeId}/read',
  operationId: 'notices.markRead',
  tags: noticeTags,
  security,
  summary: 'Mark a notice read for the brand’s admins; repeating it changes nothing',
  description: 'Brand admins only. Another brand’s notice is 404 `notice.not_found`.',
  request: { params: z.object({ noticeId: idParam('noticeId', 'ntc_3f9c0a1b2c3d4e5f6a7b') }) },
  responses: { 200: jsonOk(AdminNotice, 'The notice, read'), ...writeErrors },
});
