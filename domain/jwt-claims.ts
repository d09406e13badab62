/*
 * The checks a JWT's header and registered claims must pass before its own claims mean
 * anything (RFC 7519 §4.1, RFC 7515 §4.1.11). Pure, so each refusal is tested on its own;
 * the signature is checked by the caller with WebCrypto.
 */

/** What a token must say to be one of ours. */
export interface ClaimRules {
  issuer: string;
  audience: string;
  /** Seconds since the epoch. */
  now: number;
}

/** Why a header is refused, or undefined when it names ES256 and a key id, and nothing we do not understand. */
export function headerProblem(header: unknown): string | undefined {
  if (!isObject(header)) return 'header is not a JSON object';
  // Only ES256: a token naming `none` or an HMAC alg must never reach a verify call.
  if (header.alg !== 'ES256') return 'alg is not ES256';
  if (typeof header.kid !== 'string' || header.kid === '') return 'no kid';
  // A critical extension we do not implement must make the token invalid (RFC 7515 §4.1.11).
  if (header.crit !== undefined) return 'crit names an extension we do not implement';
  if (header.b64 !== undefined) return 'unencoded payloads are not accepted';
  return undefined;
}

/** Why a verified payload is refused, or undefined when it is ours and in date. */
export function claimsProblem(payload: unknown, rules: ClaimRules): string | undefined {
  if (!isObject(payload)) return 'payload is not a JSON object';
  if (payload.iss !== rules.issuer) return 'wrong issuer';
  const aud = payload.aud;
  if (!(aud === rules.audience || (Array.isArray(aud) && aud.includes(rules.audience)))) return 'wrong audience';
  // Every token we sign has an expiry; one without is not ours.
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return 'no expiry';
  if (payload.exp <= rules.now) return 'expired';
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > rules.now)) return 'not yet valid';
  if (payload.iat !== undefined && typeof payload.iat !== 'number') return 'iat is not a number';
  if (payload.sub !== undefined && typeof payload.sub !== 'string') return 'sub is not a string';
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
