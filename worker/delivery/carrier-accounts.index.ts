import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import * as r from './carrier-accounts.routes';
import {
  deleteCarrierAccount,
  getCarrierAccount,
  listCarrierAccounts,
  putCarrierAccount,
} from './carrier-accounts.service';
import { callbackRefusals } from './dispatch-rows';

/** Mounted under the admin router (brand admins only, scoped to their brand). */
export const carrierAccountsAdminRouter = createRouter();

carrierAccountsAdminRouter
  .openapi(r.putCarrierAccountRoute, async (c) =>
    c.json(
      await putCarrierAccount(c.env, principalOf(c).brandId, c.req.valid('param').storeId, c.req.valid('json')),
      200,
    ),
  )
  .openapi(r.listCarrierAccountsRoute, async (c) =>
    c.json({ items: await listCarrierAccounts(c.env, principalOf(c).brandId, c.req.valid('param').storeId) }, 200),
  )
  .openapi(r.getCarrierAccountRoute, async (c) => {
    const { storeId, carrier } = c.req.valid('param');
    return c.json(await getCarrierAccount(c.env, principalOf(c).brandId, storeId, carrier), 200);
  })
  .openapi(r.deleteCarrierAccountRoute, async (c) => {
    const { storeId, carrier } = c.req.valid('param');
    await deleteCarrierAccount(c.env, principalOf(c).brandId, storeId, carrier);
    return c.body(null, 204);
  })
  .openapi(r.callbackRefusalsRoute, async (c) =>
    c.json({ items: await callbackRefusals(c.env, c.req.valid('query').days) }, 200),
  );
