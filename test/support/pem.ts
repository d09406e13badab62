/*
 * RSA key pairs as PEM for payment-provider tests: the adapters take PEM strings, as they
 * would from secrets, so the tests go through the same import path.
 */

/** Wraps DER bytes as PEM: base64 in 64-character lines between BEGIN/END lines. */
export function toPem(der: ArrayBuffer, label: 'PRIVATE KEY' | 'PUBLIC KEY'): string {
  let binary = '';
  for (const byte of new Uint8Array(der)) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** An RSA 2048 SHA256withRSA key pair, both as CryptoKeys and as PKCS#8 / SPKI PEM. */
export interface PemKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Generates a fresh RSASSA-PKCS1-v1_5 / SHA-256 2048-bit key pair. */
export async function generateRsaPemKeyPair(): Promise<PemKeyPair> {
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const pkcs8 = (await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer;
  const spki = (await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer;
  return {
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    privateKeyPem: toPem(pkcs8, 'PRIVATE KEY'),
    publicKeyPem: toPem(spki, 'PUBLIC KEY'),
  };
}
