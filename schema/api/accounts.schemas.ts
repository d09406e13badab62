import { z } from '@hono/zod-openapi';

/*
 * Staff and admin sign-in: invitations, passwords, short-lived access tokens with rotating
 * refresh tokens. Password rules beyond length are checked by domain/password-policy.ts.
 */

const login = z.string().trim().min(3).max(64).openapi({ example: 'manager@demo' });
const password = z.string().min(1).max(128);
const newPassword = z.string().min(10).max(128).openapi({ example: 'a long passphrase' });

export const LoginRequest = z
  .strictObject({ brandId: z.string().min(1).max(64).optional(), login, password })
  .openapi('LoginRequest');

export const RefreshRequest = z.strictObject({ refreshToken: z.string().min(1).max(256) }).openapi('RefreshRequest');

export const AcceptInvitationRequest = z
  .strictObject({ token: z.string().min(1).max(256), password: newPassword })
  .openapi('AcceptInvitationRequest');

export const ChangePasswordRequest = z
  .strictObject({ currentPassword: password, newPassword })
  .openapi('ChangePasswordRequest');

export const Account = z
  .object({
    id: z.string().openapi({ example: 'stf_demo_manager' }),
    brandId: z.string(),
    name: z.string(),
    login: z.string(),
    role: z.enum(['staff', 'admin']),
    staffRole: z.enum(['clerk', 'manager']).optional(),
    storeIds: z.array(z.string()),
  })
  .openapi('Account');

export const Session = z
  .object({
    token: z.string().openapi({ description: 'Access token (ES256 JWT), valid 15 minutes' }),
    refreshToken: z.string().openapi({ description: 'Opaque; one use: each refresh returns a new one' }),
    expiresAt: z.string().openapi({ description: 'When the access token expires (ISO 8601)' }),
    refreshExpiresAt: z.string(),
    account: Account,
  })
  .openapi('Session');

const person = { name: z.string().trim().min(1).max(40), login };

export const InvitationRequest = z
  .discriminatedUnion('role', [
    z.strictObject({
      role: z.literal('staff'),
      ...person,
      phone: z.string().trim().max(30).default(''),
      staffRole: z.enum(['clerk', 'manager']),
      storeIds: z.array(z.string().min(1).max(64)).min(1).max(200),
    }),
    z.strictObject({ role: z.literal('admin'), ...person }),
  ])
  .openapi('InvitationRequest');

export const InvitationCreated = z
  .object({
    id: z.string(),
    token: z.string().openapi({ description: 'Shown once: hand it (or the url) to the person' }),
    url: z.string(),
    expiresAt: z.string(),
    account: Account,
  })
  .openapi('InvitationCreated');

export const AdminAccount = z
  .object({
    id: z.string(),
    name: z.string(),
    login: z.string(),
    active: z.boolean(),
    passwordSet: z.boolean(),
  })
  .openapi('AdminAccount');

export const AdminPatch = z
  .strictObject({ name: z.string().trim().min(1).max(40), active: z.boolean() })
  .partial()
  .openapi('AdminPatch');
