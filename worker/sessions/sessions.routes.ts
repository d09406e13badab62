import { createRoute, z } from '@hono/zod-openapi';
import { Bill, TableSession } from '../../schema/api/orders.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Table sessions'];
const security = bearer;
const storeParams = z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') });
const sessionParams = storeParams.extend({ sessionId: idParam('sessionId', 'ses_…') });

export const tableSessionRoute = createRoute({
  method: 'get',
  path: '/v1/tables/{qrToken}/session',
  operationId: 'sessions.forTable',
  tags,
  security,
  summary: 'The open session of the table whose QR code was scanned: every round and who added it',
  description:
    "A diner sees their own rounds whole; another diner's round comes as its dishes, status and amounts only " +
    '(`addedBy` `diner:N`, labelled "Diner N"; no note, invoice, coupons, discounts, member id or actions). ' +
    'Staff see every round whole. 404 `session.not_found` when the table has no open session.',
  request: { params: z.object({ qrToken: idParam('qrToken', 'qr_…') }) },
  responses: { 200: jsonOk(TableSession), ...readErrors },
});

export const listSessionsRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/sessions',
  operationId: 'sessions.list',
  tags,
  security,
  summary: 'Open table sessions (staff)',
  request: { params: storeParams },
  responses: { 200: jsonOk(z.object({ items: z.array(TableSession) })), ...readErrors },
});

export const getSessionRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/sessions/{sessionId}',
  operationId: 'sessions.get',
  tags,
  security,
  summary: 'One table session (staff)',
  request: { params: sessionParams },
  responses: { 200: jsonOk(TableSession), ...readErrors },
});

export const moveSessionRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/sessions/{sessionId}/move',
  operationId: 'sessions.move',
  tags,
  security,
  summary: 'Move a party to a free table (nothing is re-sent to the kitchen)',
  request: { params: sessionParams, body: jsonBody(z.strictObject({ tableId: z.string().min(1).max(64) })) },
  responses: { 200: jsonOk(TableSession), ...writeErrors },
});

export const mergeSessionRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/sessions/{sessionId}/merge',
  operationId: 'sessions.merge',
  tags,
  security,
  summary: 'Merge another table’s session into this one (nothing is re-sent to the kitchen)',
  request: { params: sessionParams, body: jsonBody(z.strictObject({ sessionId: z.string().min(1).max(64) })) },
  responses: { 200: jsonOk(TableSession), ...writeErrors },
});

export const billRoute = createRoute({
  method: 'get',
  path: '/v1/stores/{storeId}/sessions/{sessionId}/bill',
  operationId: 'sessions.bill',
  tags,
  security,
  summary: 'The bill, split by diner or by line; the parts add up to the total exactly',
  request: { params: sessionParams, query: z.object({ split: z.enum(['diner', 'line']).default('diner') }) },
  responses: { 200: jsonOk(Bill), ...readErrors },
});

export const closeSessionRoute = createRoute({
  method: 'post',
  path: '/v1/stores/{storeId}/sessions/{sessionId}/close',
  operationId: 'sessions.close',
  tags,
  security,
  summary: 'Close a session once everything on it is paid',
  request: { params: sessionParams },
  responses: { 200: jsonOk(TableSession), ...writeErrors },
});
