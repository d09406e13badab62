import { fromBase64Url } from '../../domain/encoding';
import { type ClaimRules, claimsProblem, headerProblem } from '../../domain/jwt-claims';

/** A token that is not a valid, current ES256 JWT of ours; the reason is for logs, never the client. */
export class TokenRefused extends Error {}

// base64url without padding, as JWS compact serialization writes it (RFC 7515 §2).
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const ascii = new TextEncoder();

/**
 * Verifies a compact ES256 JWT against the key its `kid` names and returns its payload.
 * Written here rather than through jose's `jwtVerify`: every first request of a guest pays
 * for it, and jose's general machinery showed as about 3 % of placement's profile. Only
 * what we sign is accepted: ES256, a known kid, no `crit`, a 64-byte signature.
 */
export async function verifyEs256Jwt(
  token: string,
  keys: ReadonlyMap<string, CryptoKey>,
  rules: ClaimRules,
): Promise<Record<string, unknown>> {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) throw new TokenRefused('not a compact JWS');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h);
  const bad = headerProblem(header);
  if (bad) throw new TokenRefused(bad);
  const key = keys.get((header as { kid: string }).kid);
  if (!key) throw new TokenRefused('unknown kid');
  const signature = decode(s);
  // ES256 signs as r ‖ s, 32 bytes each (RFC 7518 §3.4), the form WebCrypto verifies.
  if (signature.length !== 64) throw new TokenRefused('signature is not 64 bytes');
  const signed = ascii.encode(`${h}.${p}`);
  const ok = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, signature, signed);
  if (!ok) throw new TokenRefused('bad signature');
  const payload = decodeJson(p);
  const wrong = claimsProblem(payload, rules);
  if (wrong) throw new TokenRefused(wrong);
  return payload as Record<string, unknown>;
}

function decode(segment: string): Uint8Array {
  try {
    return fromBase64Url(segment);
  } catch {
    throw new TokenRefused('not base64url');
  }
}

function decodeJson(segment: string): unknown {
  const bytes = decode(segment);
  try {
    return JSON.parse(text.decode(bytes));
  } catch {
    throw new TokenRefused('not JSON');
  }
}
