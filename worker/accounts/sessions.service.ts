import { and, eq, lt, sql } from 'drizzle-orm';
import { toBase64Url } from '../../domain/encoding';
import { DAY } from '../../domain/time';
import { issuedBefore } from '../../domain/token-revocation';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { admins, refreshTokens, staff } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { issueToken } from '../http/tokens';
import { closeSocketsOf } from '../kitchen/socket-access.service';
import { db } from '../lib/db';
import { newId, sha256Hex } from '../lib/ids';
import { type AccountRecord, accountView, findAccount } from './account-records';
import { type AccountRole, forgetAccountState, loadAccountState } from './account-state';

/** Access tokens are short: a change to the account also reaches tokens through the state check. */
export const ACCESS_TTL_SECONDS = 15 * 60;
/** A refresh token unused this long expires; each use starts the period again. */
export const REFRESH_TTL_MS = 30 * DAY;

export const refreshRefused = (detail = 'The refresh token is invalid, expired or already used; sign in again.') =>
  new ApiError(401, 'auth.refresh_invalid', detail);

/** A fresh opaque secret: 32 random bytes, base64url. */
export function opaqueToken(prefix: string): string {
  return `${prefix}_${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

async function accessToken(env: Env, a: AccountRecord, now: number) {
  const token = await issueToken(
    env,
    { role: a.role, subject: a.id, brandId: a.brandId, storeIds: a.storeIds, staffRole: a.staffRole },
    now,
    { ttlSeconds: ACCESS_TTL_SECONDS },
  );
  return { token, expiresAt: isoInZone(now + ACCESS_TTL_SECONDS * 1000, BRAND_TIME_ZONE) };
}

async function newRefreshToken(env: Env, a: AccountRecord, familyId: string, now: number) {
  const refreshToken = opaqueToken('rt');
  const expiresAt = now + REFRESH_TTL_MS;
  await db(env)
    .insert(refreshTokens)
    .values({
      id: newId('rtk'),
      brandId: a.brandId,
      accountId: a.id,
      role: a.role,
      familyId,
      tokenHash: await sha256Hex(refreshToken),
      expiresAt,
      createdAt: now,
    });
  return { refreshToken, refreshExpiresAt: isoInZone(expiresAt, BRAND_TIME_ZONE) };
}

/** Signs an account in: a 15-minute access token and the first refresh token of a new family. */
export async function startSession(env: Env, a: AccountRecord, now = Date.now()) {
  // Each sign-in is a good moment to drop the account's expired refresh tokens.
  await db(env)
    .delete(refreshTokens)
    .where(and(eq(refreshTokens.accountId, a.id), lt(refreshTokens.expiresAt, now)));
  const refresh = await newRefreshToken(env, a, newId('rtf'), now);
  return { ...(await accessToken(env, a, now)), ...refresh, account: accountView(a) };
}

/**
 * Trades a refresh token for a new pair. Each token works once: presenting a used one again
 * means it was copied, so the whole family (every token from that sign-in) is revoked.
 */
export async function rotateSession(env: Env, refreshToken: string, now = Date.now()) {
  const row = await db(env)
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(refreshToken)))
    .get();
  if (!row || row.expiresAt <= now) throw refreshRefused();
  // Claim it atomically: two racing uses of one token are one use and one reuse.
  const claimed = await db(env)
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.id, row.id), sql`${refreshTokens.usedAt} IS NULL`))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) {
    await db(env).delete(refreshTokens).where(eq(refreshTokens.familyId, row.familyId));
    throw new ApiError(
      401,
      'auth.refresh_reused',
      'This refresh token was already used; every session from that sign-in is now signed out.',
    );
  }
  const account = await findAccount(env, row.role, row.accountId);
  if (
    !account?.active ||
    account.brandId !== row.brandId ||
    issuedBefore({ issuedAtMs: row.createdAt }, account.tokensValidAfter)
  ) {
    await db(env).delete(refreshTokens).where(eq(refreshTokens.familyId, row.familyId));
    throw refreshRefused();
  }
  const refresh = await newRefreshToken(env, account, row.familyId, now);
  return { ...(await accessToken(env, account, now)), ...refresh, account: accountView(account) };
}

/** Signs one device out: the refresh token's family is deleted (unknown tokens are ignored). */
export async function endSession(env: Env, refreshToken: string): Promise<void> {
  const row = await db(env)
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(refreshToken)))
    .get();
  if (row) await db(env).delete(refreshTokens).where(eq(refreshTokens.familyId, row.familyId));
}

/**
 * Sign out everywhere: every access token issued until now dies (through the account check)
 * and every refresh token is deleted. Used by logout-all, password change, reset, deactivation.
 */
export async function signOutEverywhere(env: Env, role: AccountRole, id: string, now = Date.now()): Promise<void> {
  const table = role === 'admin' ? admins : staff;
  await db(env).batch([
    db(env)
      .update(table)
      .set({ tokensValidAfter: sql`MAX(${table.tokensValidAfter}, ${now})` })
      .where(eq(table.id, id)),
    db(env).delete(refreshTokens).where(eq(refreshTokens.accountId, id)),
  ]);
  forgetAccountState(role, id);
  // An open kitchen socket outlives the token it was opened with: close this account's.
  const account = await loadAccountState(env, role, id);
  if (account) {
    await closeSocketsOf(env, { brandId: account.brandId, storeIds: account.storeIds, subject: { role, subject: id } });
  }
}
