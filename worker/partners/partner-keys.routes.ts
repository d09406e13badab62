import { createRoute, z } from '@hono/zod-openapi';
import { CreatedPartnerKey, PartnerKey, PartnerKeyInput } from '../../schema/api/partners.schemas';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: partner keys'];
const security = bearer;

export const createPartnerKeyRoute = createRoute({
  method: 'post',
  path: '/v1/admin/partner-keys',
  operationId: 'partnerKeys.create',
  tags,
  security,
  summary: 'Make an API key for a partner (a POS, an aggregator, a BI tool): its scopes and, optionally, its stores',
  description:
    'The answer carries `key` (`tfk_…`) this once: only its hash is kept, so a lost key is revoked and made ' +
    'again. An unknown scope or a store that is not the brand’s is a 422 naming the field, and nothing is stored. ' +
    'Without `storeIds` the key reaches every store of the brand, including ones opened later.',
  request: { body: jsonBody(PartnerKeyInput) },
  responses: { 201: jsonOk(CreatedPartnerKey, 'Created'), ...writeErrors },
});

export const listPartnerKeysRoute = createRoute({
  method: 'get',
  path: '/v1/admin/partner-keys',
  operationId: 'partnerKeys.list',
  tags,
  security,
  summary: "The brand's partner keys, newest first, revoked ones included (never the keys themselves)",
  responses: { 200: jsonOk(z.object({ keys: z.array(PartnerKey) })), ...readErrors },
});

export const revokePartnerKeyRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/partner-keys/{keyId}',
  operationId: 'partnerKeys.revoke',
  tags,
  security,
  summary: 'Revoke a partner key: its next request is 401 (kept in the list as revoked)',
  request: { params: z.object({ keyId: idParam('keyId', 'pkey_3f9c2a1b7d4e5f60a1b2') }) },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404, 422) },
});
