import { type CryptoKey, exportJWK, importJWK, type JWK, SignJWT } from 'jose';
import { issuedBefore } from '../../domain/token-revocation';
import type { Env } from '../env';
import { type Principal, type Role, roles } from './app-env';
import { ApiError, unauthorized } from './errors';
import { verifyEs256Jwt } from './jws-verify';

const AUDIENCE = 'tiffin-api';

interface KeyRing {
  kid: string;
  privateKey: CryptoKey;
  publicJwks: JWK[];
  verifyKeys: Map<string, CryptoKey>;
}

// Importing a JWK costs a few hundred microseconds: do it once per isolate and secret value.
let cached: { source: string; ring: Promise<KeyRing> } | undefined;

function keyRing(env: Env): Promise<KeyRing> {
  const source = `${env.JWT_PRIVATE_JWK ?? ''}|${env.JWT_PREVIOUS_PUBLIC_JWKS ?? ''}`;
  if (cached?.source !== source) cached = { source, ring: loadKeyRing(env) };
  return cached.ring;
}

async function loadKeyRing(env: Env): Promise<KeyRing> {
  if (!env.JWT_PRIVATE_JWK) throw new Error('JWT_PRIVATE_JWK is not set (see .dev.vars.example)');
  const jwk = JSON.parse(env.JWT_PRIVATE_JWK) as JWK;
  if (!jwk.kid) throw new Error('JWT_PRIVATE_JWK needs a kid');
  const privateKey = (await importJWK({ ...jwk, alg: 'ES256', key_ops: ['sign'] }, 'ES256')) as CryptoKey;
  const { d: _private, key_ops: _ops, ext: _ext, ...publicPart } = jwk;
  const current = { ...publicPart, alg: 'ES256', use: 'sig' } as JWK;
  const previous = env.JWT_PREVIOUS_PUBLIC_JWKS ? (JSON.parse(env.JWT_PREVIOUS_PUBLIC_JWKS) as JWK[]) : [];
  const publicJwks = [
    current,
    ...previous.map(({ key_ops: _o, ext: _e, ...k }) => ({ ...k, alg: 'ES256', use: 'sig' })),
  ];
  const verifyKeys = new Map<string, CryptoKey>();
  for (const k of publicJwks) verifyKeys.set(k.kid ?? '', (await importJWK(k, 'ES256')) as CryptoKey);
  return { kid: jwk.kid, privateKey, publicJwks, verifyKeys };
}

/** The public keys clients and partners verify our tokens with. */
export async function publicJwks(env: Env): Promise<{ keys: JWK[] }> {
  return { keys: (await keyRing(env)).publicJwks };
}

/** How long a device token lives: a month, renewed by the device itself. */
export const DEVICE_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

const ttlSeconds: Record<Role, number> = {
  member: 7 * 24 * 3600,
  staff: 12 * 3600,
  admin: 12 * 3600,
  // A display renews its own token (`POST /v1/devices/token`) while it is valid and not
  // revoked; one left off longer than this is enrolled again with a fresh code.
  device: DEVICE_TOKEN_TTL_SECONDS,
  partner: 24 * 3600,
  // Riders sign in with their key (worker/riders/); a dev token for one names a live rider.
  rider: 12 * 3600,
};

/**
 * Signs an ES256 token for a principal. `ttlSeconds` overrides the role's lifetime (account
 * access tokens live 15 minutes); `dev` marks a token minted by /v1/auth/dev, which has no
 * account behind it and is accepted only while DEV_AUTH is on.
 */
export async function issueToken(
  env: Env,
  p: Principal,
  now = Date.now(),
  opts: { ttlSeconds?: number; dev?: boolean } = {},
): Promise<string> {
  const ring = await keyRing(env);
  const iat = Math.floor(now / 1000);
  return new SignJWT({
    role: p.role,
    brand: p.brandId,
    stores: p.storeIds,
    ...(p.staffRole ? { srole: p.staffRole } : {}),
    ...(p.scopes ? { scp: p.scopes } : {}),
    ...(opts.dev ? { dev: true } : {}),
    // Milliseconds, so a token issued right after "sign out everywhere" is not mistaken for one before it.
    iat_ms: now,
  })
    .setProtectedHeader({ alg: 'ES256', kid: ring.kid, typ: 'JWT' })
    .setSubject(p.subject)
    .setIssuer(env.JWT_ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.ttlSeconds ?? ttlSeconds[p.role]))
    .sign(ring.privateKey);
}

/*
 * Clients send the same token on every request; a verified token's claims cannot change
 * before it expires, so each isolate remembers recent ones instead of re-checking the
 * ECDSA signature each time. Bounded; an entry is dropped once its token expires.
 */
const verified = new Map<string, { principal: Principal; source: string }>();
const VERIFIED_MAX = 5_000;

/*
 * Member token revocation (erasure, logout everywhere) lives in D1 as
 * `members.tokens_valid_after`; every request checks it through `token-liveness.ts` (a
 * short isolate cache over D1). This isolate-local note of recent revocations makes the
 * isolate that saw the revocation refuse the token at once, whatever its cache holds.
 */
const revokedBefore = new Map<string, number>();
const REVOKED_MAX = 10_000;

/** Records that tokens of this member issued before `validAfterMs` are dead (this isolate). */
export function noteTokensValidAfter(brandId: string, memberId: string, validAfterMs: number): void {
  if (validAfterMs <= 0) return;
  if (revokedBefore.size >= REVOKED_MAX) revokedBefore.clear();
  revokedBefore.set(`${brandId}:${memberId}`, validAfterMs);
}

export const tokenRevoked = () =>
  new ApiError(401, 'auth.token_revoked', 'This token has been revoked; log in again.', {
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

/** Verifies a token and returns its principal; any defect is a 401, never a 500. */
export async function verifyToken(env: Env, token: string): Promise<Principal> {
  const hit = verified.get(token);
  const source = cached?.source;
  let principal: Principal;
  if (hit && (hit.principal.expiresAt ?? 0) * 1000 > Date.now() && hit.source === source) principal = hit.principal;
  else {
    principal = await verifyUncached(env, token);
    if (verified.size >= VERIFIED_MAX) verified.clear();
    verified.set(token, { principal, source: cached?.source ?? '' });
  }
  if (principal.role === 'member' && revokedBefore.size > 0) {
    const cutoff = revokedBefore.get(`${principal.brandId}:${principal.subject}`);
    if (cutoff !== undefined && issuedBefore(principal, cutoff)) throw tokenRevoked();
  }
  return principal;
}

async function verifyUncached(env: Env, token: string): Promise<Principal> {
  const ring = await keyRing(env);
  try {
    const payload = await verifyEs256Jwt(token, ring.verifyKeys, {
      issuer: env.JWT_ISSUER,
      audience: AUDIENCE,
      now: Math.floor(Date.now() / 1000),
    });
    const role = payload.role as Role;
    if (!roles.includes(role) || typeof payload.sub !== 'string' || typeof payload.brand !== 'string') {
      throw new Error('claims');
    }
    const stores = Array.isArray(payload.stores) ? payload.stores.filter((s) => typeof s === 'string') : [];
    return {
      role,
      subject: payload.sub,
      brandId: payload.brand,
      storeIds: stores,
      staffRole: payload.srole === 'manager' || payload.srole === 'clerk' ? payload.srole : undefined,
      scopes: Array.isArray(payload.scp) ? payload.scp.filter((s) => typeof s === 'string') : undefined,
      issuedAt: typeof payload.iat === 'number' ? payload.iat : undefined,
      issuedAtMs: typeof payload.iat_ms === 'number' ? payload.iat_ms : undefined,
      ...(payload.dev === true ? { dev: true } : {}),
      expiresAt: typeof payload.exp === 'number' ? payload.exp : undefined,
    };
  } catch {
    throw unauthorized('The token is invalid, expired or not ours.');
  }
}

/** Generates a fresh ES256 private JWK; used by the dev setup script and tests. */
export async function generateSigningJwk(kid: string): Promise<JWK> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return { ...(await exportJWK(pair.privateKey)), kid, alg: 'ES256' };
}
