import { toBase64, toHex } from '../encoding';

/*
 * The carriers' signatures, each exactly as REFERENCES §2.4 gives it. Signature mismatches
 * are the carriers' most common integration complaint, so each is one pure function with
 * a test pinned to a hand-computed example (test/domain/carrier-signatures.test.ts).
 */

const enc = new TextEncoder();

async function digestHex(algorithm: 'MD5' | 'SHA-1', text: string): Promise<string> {
  return toHex(await crypto.subtle.digest(algorithm, enc.encode(text)));
}

/**
 * Dada request signature: `UPPER(md5(secret + k1v1k2v2… + secret))` over every request
 * field but `signature`, keys in ascii order (`app_key, body, format, source_id, timestamp, v`).
 */
export async function dadaRequestSignature(appSecret: string, fields: Record<string, string>): Promise<string> {
  const joined = Object.keys(fields)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}${fields[k]}`)
    .join('');
  return (await digestHex('MD5', `${appSecret}${joined}${appSecret}`)).toUpperCase();
}

/**
 * Dada callback signature, unlike the request one: lower-case `md5` of the *values* of
 * `client_id`, `order_id` and `update_time`, sorted as strings and concatenated, no secret
 * (wanDoubleMing/dada_openapi_php #1).
 */
export async function dadaCallbackSignature(p: {
  client_id: string;
  order_id: string;
  update_time: string | number;
}): Promise<string> {
  const values = [String(p.client_id), String(p.order_id), String(p.update_time)].sort();
  return digestHex('MD5', values.join(''));
}

/**
 * SF same-city `sign` (query string, both ways): base64 of the lower-case md5 *hex string*
 * of `body + "&" + dev_id + "&" + dev_key`, where body is the exact JSON text sent.
 */
export async function sfSign(body: string, devId: string | number, devKey: string): Promise<string> {
  const hex = await digestHex('MD5', `${body}&${devId}&${devKey}`);
  return toBase64(enc.encode(hex));
}

/** WeChat instant delivery `delivery_sign = SHA1(shopid + shop_order_id + AppSecret)`, lower-case hex. */
export function wechatDeliverySign(shopId: string, shopOrderId: string, appSecret: string): Promise<string> {
  return digestHex('SHA-1', `${shopId}${shopOrderId}${appSecret}`);
}

/**
 * The mini program message-push signature WeChat puts in the push URL's query:
 * `SHA1(sorted([token, timestamp, nonce]).join(""))`, lower-case hex.
 */
export function wechatPushSignature(token: string, timestamp: string, nonce: string): Promise<string> {
  return digestHex('SHA-1', [token, timestamp, nonce].sort().join(''));
}

/** Compares two signatures without stopping at the first differing character. */
export function sameSignature(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
