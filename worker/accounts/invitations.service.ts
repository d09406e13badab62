import type { z } from '@hono/zod-openapi';
import { and, eq, gt, sql } from 'drizzle-orm';
import { normalizeLogin, passwordProblem } from '../../domain/password-policy';
import { HOUR } from '../../domain/time';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import type { InvitationRequest } from '../../schema/api/accounts.schemas';
import { accountInvitations, admins, staff } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound, validationFailed } from '../http/errors';
import { db } from '../lib/db';
import { newId, sha256Hex } from '../lib/ids';
import { assertBrandStores } from '../staff/staff.service';
import { type AccountRecord, accountView, findAccount, loginTaken, roleOfId, setPasswordHash } from './account-records';
import { hashPassword } from './passwords';
import { opaqueToken, signOutEverywhere, startSession } from './sessions.service';

/** How long an invitation (or a reset link) can be accepted. */
export const INVITATION_TTL_MS = 72 * HOUR;

/** The link a person opens to set their password; the token rides in the fragment, never sent to a server log. */
export const invitationUrl = (env: Env, token: string) => `${env.PUBLIC_BASE_URL}/kitchen/#invite=${token}`;

async function issueInvitation(env: Env, a: AccountRecord, createdBy: string, now: number) {
  const token = opaqueToken('inv');
  const id = newId('inv');
  const expiresAt = now + INVITATION_TTL_MS;
  // Older unaccepted invitations for the account stop working: only the newest link counts.
  await db(env).batch([
    db(env)
      .delete(accountInvitations)
      .where(and(eq(accountInvitations.accountId, a.id), sql`${accountInvitations.acceptedAt} IS NULL`)),
    db(env)
      .insert(accountInvitations)
      .values({
        id,
        brandId: a.brandId,
        accountId: a.id,
        role: a.role,
        tokenHash: await sha256Hex(token),
        expiresAt,
        createdBy,
        createdAt: now,
      }),
  ]);
  return {
    id,
    token,
    url: invitationUrl(env, token),
    expiresAt: isoInZone(expiresAt, BRAND_TIME_ZONE),
    account: accountView(a),
  };
}

const loginTakenError = () =>
  new ApiError(409, 'account.login_taken', 'Someone in this brand already signs in with that login.');

/**
 * An admin invites a person: their account is created (without a password) and a one-time
 * link is returned, shown once; the person sets their password by accepting it.
 */
export async function inviteAccount(
  env: Env,
  brandId: string,
  invitedBy: string,
  input: z.infer<typeof InvitationRequest>,
  now = Date.now(),
) {
  const login = normalizeLogin(input.login);
  if (await loginTaken(env, brandId, login)) throw loginTakenError();
  let account: AccountRecord;
  const common = { brandId, name: input.name, login, active: true, passwordHash: null, tokensValidAfter: 0 };
  if (input.role === 'staff') {
    await assertBrandStores(env, brandId, input.storeIds);
    const storeIds = [...new Set(input.storeIds)];
    account = { ...common, id: newId('stf'), role: 'staff', staffRole: input.staffRole, storeIds };
    await db(env)
      .insert(staff)
      .values({
        ...common,
        id: account.id,
        phone: input.phone,
        role: input.staffRole,
        storeIds: JSON.stringify(storeIds),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing();
  } else {
    account = { ...common, id: newId('adm'), role: 'admin', storeIds: [] };
    await db(env)
      .insert(admins)
      .values({ ...common, id: account.id, createdAt: now, updatedAt: now })
      .onConflictDoNothing();
  }
  // The unique (brand, login) index settles a race between two invitations for one login.
  if (!(await findAccount(env, account.role, account.id))) throw loginTakenError();
  return issueInvitation(env, account, invitedBy, now);
}

/**
 * An admin's reset: the account is signed out everywhere, its password cleared, and a new
 * one-time link issued. Also how an existing staff row without a login gets one later.
 */
export async function resetAccount(
  env: Env,
  brandId: string,
  accountId: string,
  by: string,
  login?: string,
  now = Date.now(),
) {
  const role = roleOfId(accountId);
  const account = role ? await findAccount(env, role, accountId) : null;
  if (!role || !account || account.brandId !== brandId) throw notFound('account', accountId);
  if (!account.login) {
    if (!login) throw validationFailed([{ path: 'login', message: 'This staff account has no login yet: give one.' }]);
    const next = normalizeLogin(login);
    if (await loginTaken(env, brandId, next)) throw loginTakenError();
    await db(env).update(staff).set({ login: next, updatedAt: now }).where(eq(staff.id, accountId));
    account.login = next;
  }
  await signOutEverywhere(env, role, accountId, now);
  await setPasswordHash(env, account, null, now);
  return issueInvitation(env, account, by, now);
}

/** The person sets their password with the link's token, and is signed in. */
export async function acceptInvitation(env: Env, token: string, password: string, now = Date.now()) {
  const row = await db(env)
    .select()
    .from(accountInvitations)
    .where(and(eq(accountInvitations.tokenHash, await sha256Hex(token)), gt(accountInvitations.expiresAt, now)))
    .get();
  const account = row && !row.acceptedAt ? await findAccount(env, row.role, row.accountId) : null;
  if (!row || !account?.active) {
    throw new ApiError(
      404,
      'invitation.not_found',
      'This invitation is unknown, used or expired; ask an admin for a new one.',
    );
  }
  const problem = passwordProblem(password, account.login);
  if (problem) throw validationFailed([{ path: 'password', message: problem }]);
  // One use: claim it before setting anything, so two racing accepts set one password.
  const claimed = await db(env)
    .update(accountInvitations)
    .set({ acceptedAt: now })
    .where(and(eq(accountInvitations.id, row.id), sql`${accountInvitations.acceptedAt} IS NULL`))
    .returning({ id: accountInvitations.id });
  if (claimed.length === 0) throw new ApiError(404, 'invitation.not_found', 'This invitation was already used.');
  await setPasswordHash(env, account, await hashPassword(password), now);
  return startSession(env, account, now);
}
