import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import * as r from './partner-keys.routes';
import { createPartnerKey, listPartnerKeys, revokePartnerKey } from './partner-keys.service';

/** Mounted under the admin router (brand admins only, scoped to their brand). */
export const partnerKeysAdminRouter = createRouter();

partnerKeysAdminRouter
  .openapi(r.createPartnerKeyRoute, async (c) =>
    c.json(await createPartnerKey(c.env, principalOf(c), c.req.valid('json')), 201),
  )
  .openapi(r.listPartnerKeysRoute, async (c) =>
    c.json({ keys: await listPartnerKeys(c.env, principalOf(c).brandId) }, 200),
  )
  .openapi(r.revokePartnerKeyRoute, async (c) => {
    await revokePartnerKey(c.env, principalOf(c).brandId, c.req.valid('param').keyId);
    return c.body(null, 204);
  });
