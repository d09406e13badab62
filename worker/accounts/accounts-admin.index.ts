import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import * as r from './accounts-admin.routes';
import { listAdmins, updateAdmin } from './admins.service';
import { inviteAccount, resetAccount } from './invitations.service';

/** Admins manage who signs in: invitations, resets, other admins. */
export const accountsAdminRouter = createRouter()
  .openapi(r.inviteRoute, async (c) => {
    const p = principalOf(c);
    return c.json(await inviteAccount(c.env, p.brandId, p.subject, c.req.valid('json')), 201);
  })
  .openapi(r.resetAccountRoute, async (c) => {
    const p = principalOf(c);
    const { login } = c.req.valid('json');
    return c.json(await resetAccount(c.env, p.brandId, c.req.valid('param').accountId, p.subject, login), 201);
  })
  .openapi(r.listAdminsRoute, async (c) => c.json({ items: await listAdmins(c.env, principalOf(c).brandId) }, 200))
  .openapi(r.updateAdminRoute, async (c) => {
    const p = principalOf(c);
    return c.json(
      await updateAdmin(c.env, p.brandId, p.subject, c.req.valid('param').adminId, c.req.valid('json')),
      200,
    );
  });
