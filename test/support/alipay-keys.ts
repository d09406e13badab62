/*
 * RSA-2048 key pairs for Alipay tests, generated per run with WebCrypto and exported the way
 * the Alipay console hands them out: PKCS#8 / SPKI, as PEM and as bare base64.
 */

/** One RSA2 key pair in every shape the tests need. */
export interface RsaTestKeys {
  privatePem: string;
  publicPem: string;
  /** The same keys without PEM armour, as Alipay's key tool prints them. */
  privateBase64: string;
  publicBase64: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

function toBase64(der: ArrayBuffer): string {
  let bin = '';
  for (const b of new Uint8Array(der)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** DER → PEM with 64-column lines. */
export function toPem(der: ArrayBuffer, label: 'PRIVATE KEY' | 'PUBLIC KEY'): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A fresh RSASSA-PKCS1-v1_5 / SHA-256 2048-bit key pair. */
export async function generateRsaTestKeys(): Promise<RsaTestKeys> {
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const pkcs8 = (await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer;
  const spki = (await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer;
  return {
    privatePem: toPem(pkcs8, 'PRIVATE KEY'),
    publicPem: toPem(spki, 'PUBLIC KEY'),
    privateBase64: toBase64(pkcs8),
    publicBase64: toBase64(spki),
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
  };
}
