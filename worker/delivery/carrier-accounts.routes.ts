import { createRoute, z } from '@hono/zod-openapi';
import {
  CarrierAccount,
  CarrierAccountInput,
  CarrierAccountList,
  CarrierName,
} from '../../schema/api/delivery.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: carriers'];
const security = bearer;
const storeParam = z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') });
const carrierParam = storeParam.extend({ carrier: CarrierName.openapi({ param: { name: 'carrier', in: 'path' } }) });

export const putCarrierAccountRoute = createRoute({
  method: 'put',
  path: '/v1/admin/stores/{storeId}/carriers',
  operationId: 'carriers.put',
  tags,
  security,
  summary: 'Set a store’s account with one carrier (Dada, SF same-city, WeChat instant delivery)',
  description:
    'Creates or replaces the account named by `carrier`. Secrets (Dada `appSecret`, SF `devKey`, WeChat ' +
    '`appSecret`, `pushToken`, `accessToken.appSecret`) are write-only and sealed at rest; leave one out to ' +
    'keep the one on file. Point the carrier’s callbacks at the answer’s `callbackUrl`.',
  request: { params: storeParam, body: jsonBody(CarrierAccountInput) },
  responses: { 200: jsonOk(CarrierAccount), ...writeErrors },
});

export const listCarrierAccountsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/stores/{storeId}/carriers',
  operationId: 'carriers.list',
  tags,
  security,
  summary: 'A store’s carrier accounts (never their secrets)',
  request: { params: storeParam },
  responses: { 200: jsonOk(CarrierAccountList), ...readErrors },
});

export const getCarrierAccountRoute = createRoute({
  method: 'get',
  path: '/v1/admin/stores/{storeId}/carriers/{carrier}',
  operationId: 'carriers.get',
  tags,
  security,
  summary: 'One carrier account of a store (never its secrets)',
  request: { params: carrierParam },
  responses: { 200: jsonOk(CarrierAccount), ...readErrors },
});

export const deleteCarrierAccountRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/stores/{storeId}/carriers/{carrier}',
  operationId: 'carriers.delete',
  tags,
  security,
  summary: 'Remove a store’s account with a carrier (its live dispatches keep their callbacks until it is gone)',
  request: { params: carrierParam },
  responses: { 204: { description: 'Removed' }, ...writeErrors },
});

export const callbackRefusalsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/delivery/callback-refusals',
  operationId: 'carriers.callbackRefusals',
  tags,
  security,
  summary: 'Refused carrier callbacks, counted per carrier, reason and day (newest day first)',
  description:
    'Reasons: `signature_invalid`, `unknown_order`, `stale` (a status behind the delivery, or about a replaced ' +
    'dispatch), `malformed`. A refused callback is unverified, so it is counted, never stored; the counts are ' +
    'the deployment’s (no brand is known before a signature verifies). Days are Asia/Shanghai.',
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(90).default(7) }) },
  responses: {
    200: jsonOk(
      z.object({
        items: z.array(
          z.object({
            carrier: z.string(),
            reason: z.string(),
            day: z.string().openapi({ example: '2026-12-03' }),
            count: z.number().int(),
            firstAt: z.string(),
            lastAt: z.string(),
          }),
        ),
      }),
    ),
    ...readErrors,
  },
});
