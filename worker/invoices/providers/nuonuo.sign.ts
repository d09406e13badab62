import { toBase64 } from '../../../domain/encoding';

/*
 * 诺诺开放平台 request signing, as its SDKs do it (REFERENCES.md §6.2; the Odoo-style
 * client and the PHP SDK agree): X-Nuonuo-Sign = base64(HMAC-SHA1(appSecret,
 * "a={last path segment}&l={middle}&p={first}&k={appKey}&i={senid}&n={nonce}&t={timestamp}&f={body}")).
 * For the services URL `/open/v1/services` that reads `a=services&l=v1&p=open`.
 */

const enc = new TextEncoder();

export interface NuonuoSignInput {
  /** The URL path, e.g. `/open/v1/services`. */
  path: string;
  appKey: string;
  senid: string;
  nonce: string;
  timestamp: string;
  /** The exact request body sent. */
  body: string;
}

/** The string the platform signs: the path's three segments, reversed, then the envelope and body. */
export function nuonuoSignedString(i: NuonuoSignInput): string {
  const [p = '', l = '', a = ''] = i.path.split('/').filter(Boolean).slice(-3);
  return `a=${a}&l=${l}&p=${p}&k=${i.appKey}&i=${i.senid}&n=${i.nonce}&t=${i.timestamp}&f=${i.body}`;
}

/** X-Nuonuo-Sign for a request. */
export async function nuonuoSign(appSecret: string, i: NuonuoSignInput): Promise<string> {
  const key = await crypto.subtle.importKey('raw', enc.encode(appSecret), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  return toBase64(await crypto.subtle.sign('HMAC', key, enc.encode(nuonuoSignedString(i))));
}
