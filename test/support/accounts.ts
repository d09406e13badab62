import { expect } from 'vitest';
import { unique } from './factories';
import { call, tokenFor } from './http';

/** A fresh unique IP for the limits (their counters are shared across test files). */
export const freshIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

export const PASSWORD = 'correct horse battery';

export interface Invited {
  token: string;
  url: string;
  account: { id: string; login: string; role: string; staffRole?: string; storeIds: string[] };
}

/** An admin invites a person; the answer carries the one-time token (shown once). */
export async function invite(admin: string, body: Record<string, unknown>): Promise<Invited> {
  const res = await call('/v1/admin/invitations', { method: 'POST', token: admin, body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** Sets the password with the invitation's token; answers the session. */
export async function accept(token: string, password = PASSWORD) {
  return call('/v1/auth/invitations/accept', { method: 'POST', body: { token, password } });
}

export function login(login: string, password = PASSWORD, ip = freshIp()) {
  return call('/v1/auth/login', { method: 'POST', body: { login, password }, headers: { 'CF-Connecting-IP': ip } });
}

/**
 * A staff member of the demo brand who accepted an invitation and signed in: their account,
 * login and first session ({ token, refreshToken, … }).
 */
export async function signedInStaff(storeIds: string[], staffRole: 'clerk' | 'manager' = 'manager') {
  const admin = await tokenFor('admin');
  const loginName = `${unique('cook')}@example.com`;
  const inv = await invite(admin, { role: 'staff', name: 'Cook', login: loginName, staffRole, storeIds });
  const session = await accept(inv.token);
  expect(session.status, session.text).toBe(200);
  return { admin, login: loginName, account: inv.account, session: session.json };
}
