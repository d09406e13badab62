import { createRoute, z } from '@hono/zod-openapi';
import { AdminAccount, AdminPatch, InvitationCreated, InvitationRequest } from '../../schema/api/accounts.schemas';
import { bearer, errorResponses, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: accounts'];
const security = bearer;

export const inviteRoute = createRoute({
  method: 'post',
  path: '/v1/admin/invitations',
  operationId: 'admin.invite',
  tags,
  security,
  summary: 'Invite a staff member (clerk or manager, with stores) or another admin',
  description:
    'Creates the account without a password and answers a one-time link, shown once and valid 72 hours; ' +
    'the person sets their password with `auth.acceptInvitation`.',
  request: { body: jsonBody(InvitationRequest) },
  responses: { 201: jsonOk(InvitationCreated, 'Invitation (shown once)'), ...writeErrors },
});

export const resetAccountRoute = createRoute({
  method: 'post',
  path: '/v1/admin/accounts/{accountId}/reset',
  operationId: 'admin.resetAccount',
  tags,
  security,
  summary: "Reset a staff member's or admin's password: sign them out everywhere and issue a new link",
  description: 'A staff account created without a login needs `login` in the body; the link is shown once.',
  request: {
    params: z.object({ accountId: idParam('accountId', 'stf_demo_clerk') }),
    body: jsonBody(z.strictObject({ login: z.string().trim().min(3).max(64).optional() }).openapi('ResetRequest')),
  },
  responses: { 201: jsonOk(InvitationCreated, 'New link (shown once)'), ...writeErrors },
});

export const listAdminsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/admins',
  operationId: 'admin.listAdmins',
  tags,
  security,
  summary: "The brand's admins",
  responses: { 200: jsonOk(z.object({ items: z.array(AdminAccount) })), ...readErrors },
});

export const updateAdminRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/admins/{adminId}',
  operationId: 'admin.updateAdmin',
  tags,
  security,
  summary: 'Rename or deactivate an admin (deactivation signs them out everywhere)',
  request: { params: z.object({ adminId: idParam('adminId', 'adm_…') }), body: jsonBody(AdminPatch) },
  responses: { 200: jsonOk(AdminAccount), ...writeErrors, ...errorResponses(409) },
});
