import { toHex } from '../encoding';

/*
 * The two delivery platforms' signatures, as their public SDKs compute them (REFERENCES §2.2,
 * §2.3). Pure: the same functions sign our calls and check their pushes; the tests pin each
 * to a hand-computed example and the fake platforms compute them with their own code.
 */

/** MD5 as lowercase hex (workerd's WebCrypto has MD5; both platforms sign with it). */
export async function md5Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('MD5', new TextEncoder().encode(text)));
}

/** `k=v` pairs sorted by key and joined by `&`, without `sig` (Meituan's canonical query). */
export function meituanCanonical(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sig')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/**
 * Meituan Waimai `sig`: md5_hex_lower(url + "?" + sorted params + app_secret), `url` being
 * the API path called or, for a push, our callback URL exactly as registered. Values are
 * the decoded ones (not URL-encoded).
 */
export function meituanSig(url: string, params: Record<string, string>, secret: string): Promise<string> {
  return md5Hex(`${url}?${meituanCanonical(params)}${secret}`);
}

/**
 * Ele.me push signature: UPPER(md5(concat of sorted `key=value` over every field but
 * `signature`, no separator) + app_secret). `message` is the JSON string as sent.
 */
export async function elemePushSignature(push: Record<string, unknown>, secret: string): Promise<string> {
  const text = Object.keys(push)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(push[k])}`)
    .join('');
  return (await md5Hex(text + secret)).toUpperCase();
}

/**
 * Ele.me NOP request signature: UPPER(md5(action + token + concat of sorted `key=JSON(value)`
 * over metas ∪ params + app_secret)).
 */
export async function elemeRequestSignature(
  action: string,
  token: string,
  metas: Record<string, unknown>,
  params: Record<string, unknown>,
  secret: string,
): Promise<string> {
  const all: Record<string, unknown> = { ...metas, ...params };
  const text = Object.keys(all)
    .sort()
    .map((k) => `${k}=${JSON.stringify(all[k])}`)
    .join('');
  return (await md5Hex(action + token + text + secret)).toUpperCase();
}

/**
 * How far a push's timestamp may be from our clock: 10 minutes. Both platforms sign a fresh
 * timestamp on each (re)send, so an honest push is seconds old; ten minutes absorbs clock
 * skew and the platform's own queueing at peak, while a captured push cannot be replayed
 * hours later (and one replayed inside the window is idempotent by the platform order id).
 */
export const PUSH_WINDOW_MS = 10 * 60_000;

/** Whether a push signed at `signedAt` (ms) is fresh at `now`. */
export const pushIsFresh = (signedAt: number, now: number) =>
  Number.isFinite(signedAt) && Math.abs(now - signedAt) <= PUSH_WINDOW_MS;

/** Constant-time comparison of two signature strings. */
export function sameSignature(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
