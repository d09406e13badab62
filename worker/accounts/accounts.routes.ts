import { createRoute } from '@hono/zod-openapi';
import {
  AcceptInvitationRequest,
  ChangePasswordRequest,
  LoginRequest,
  RefreshRequest,
  Session,
} from '../../schema/api/accounts.schemas';
import { bearer, errorResponses, jsonBody, jsonOk } from '../http/router';

const tags = ['Auth: staff and admins'];

export const loginRoute = createRoute({
  method: 'post',
  path: '/v1/auth/login',
  operationId: 'auth.login',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Sign a staff member or admin in with login and password',
  description:
    'A wrong login and a wrong password get the same 401 `auth.invalid_credentials`. Limited per IP and per login.',
  request: { body: jsonBody(LoginRequest) },
  responses: { 200: jsonOk(Session, 'Signed in'), ...errorResponses(400, 401, 413, 415, 422, 429) },
});

export const refreshRoute = createRoute({
  method: 'post',
  path: '/v1/auth/refresh',
  operationId: 'auth.refresh',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Trade a refresh token for a new access token and a new refresh token',
  description:
    'Each refresh token works once. Presenting a used one again revokes every token of that sign-in (401 `auth.refresh_reused`).',
  request: { body: jsonBody(RefreshRequest) },
  responses: { 200: jsonOk(Session, 'New tokens'), ...errorResponses(400, 401, 413, 415, 422, 429) },
});

export const logoutRoute = createRoute({
  method: 'post',
  path: '/v1/auth/logout',
  operationId: 'auth.logout',
  security: [],
  'x-auth': 'none',
  tags,
  summary: "Sign this device out (its refresh token's sign-in ends)",
  request: { body: jsonBody(RefreshRequest) },
  responses: { 204: { description: 'Signed out' }, ...errorResponses(400, 413, 415, 422) },
});

export const logoutAllRoute = createRoute({
  method: 'post',
  path: '/v1/auth/logout-all',
  operationId: 'auth.logoutAll',
  tags,
  security: bearer,
  summary: 'Sign out everywhere: every access and refresh token of this account stops working',
  responses: { 204: { description: 'Signed out everywhere' }, ...errorResponses(401, 403) },
});

export const acceptInvitationRoute = createRoute({
  method: 'post',
  path: '/v1/auth/invitations/accept',
  operationId: 'auth.acceptInvitation',
  security: [],
  'x-auth': 'none',
  tags,
  summary: 'Accept an invitation (or reset link): set the password and sign in',
  request: { body: jsonBody(AcceptInvitationRequest) },
  responses: { 200: jsonOk(Session, 'Password set; signed in'), ...errorResponses(400, 404, 413, 415, 422, 429) },
});

export const changePasswordRoute = createRoute({
  method: 'post',
  path: '/v1/auth/password',
  operationId: 'auth.changePassword',
  tags,
  security: bearer,
  summary: 'Change your password; every other session is signed out, this one gets new tokens',
  request: { body: jsonBody(ChangePasswordRequest) },
  responses: { 200: jsonOk(Session, 'Password changed'), ...errorResponses(400, 401, 403, 413, 415, 422, 429) },
});
