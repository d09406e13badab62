import { normalizeLogin, passwordProblem } from '../../domain/password-policy';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError, forbidden, validationFailed } from '../http/errors';
import { findAccount, findByLogin, setPasswordHash } from './account-records';
import { hashPassword, needsRehash, verifyPassword } from './passwords';
import { signOutEverywhere, startSession } from './sessions.service';

/** The one answer for an unknown login, a wrong password, or an account that cannot sign in. */
export const invalidCredentials = () =>
  new ApiError(401, 'auth.invalid_credentials', 'The login or password is not right.');

/**
 * Password sign-in. Every refusal is the same 401 after the same work (one PBKDF2
 * derivation, against a decoy when there is no password to check), so answers do not tell
 * which logins exist.
 */
export async function signIn(env: Env, input: { brandId: string; login: string; password: string }, now = Date.now()) {
  const account = await findByLogin(env, input.brandId, normalizeLogin(input.login));
  const ok = await verifyPassword(input.password, account?.passwordHash);
  if (!account || !ok || !account.active || !account.passwordHash) throw invalidCredentials();
  if (needsRehash(account.passwordHash)) await setPasswordHash(env, account, await hashPassword(input.password), now);
  return startSession(env, account, now);
}

/** A signed-in person changes their password: every other session ends, this one continues with new tokens. */
export async function changePassword(
  env: Env,
  p: Principal,
  input: { currentPassword: string; newPassword: string },
  now = Date.now(),
) {
  if ((p.role !== 'staff' && p.role !== 'admin') || p.dev)
    throw forbidden('Only a signed-in staff member or admin has a password.');
  const account = await findAccount(env, p.role, p.subject);
  if (!account || !(await verifyPassword(input.currentPassword, account.passwordHash))) throw invalidCredentials();
  const problem = passwordProblem(input.newPassword, account.login);
  if (problem) throw validationFailed([{ path: 'newPassword', message: problem }]);
  await signOutEverywhere(env, account.role, account.id, now);
  await setPasswordHash(env, account, await hashPassword(input.newPassword), now);
  return startSession(env, account, now);
}
