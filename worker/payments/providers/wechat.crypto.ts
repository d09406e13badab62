import { quoteInput } from '../../../domain/bounded-text';
import { fromBase64, toBase64 } from '../../../domain/encoding';
import { ProviderError } from './provider';

/*
 * WeChat Pay API v3 cryptography on WebCrypto alone: SHA256withRSA (RSASSA-PKCS1-v1_5)
 * request signing and response/callback verification, and AEAD_AES_256_GCM decryption
 * of callback resources.
 */

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const encoder = new TextEncoder();

/** Callbacks and responses older (or newer) than this are refused, per WeChat's guidance. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

function pemBody(pem: string, label: string): Uint8Array {
  const match = pem.match(new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`));
  if (!match?.[1]) throw new Error(`expected a PEM block "${label}"`);
  return fromBase64(match[1].replace(/\s+/g, ''));
}

/** Imports the merchant's PKCS#8 PEM private key (`BEGIN PRIVATE KEY`) for SHA256withRSA signing. */
export function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pemBody(pem, 'PRIVATE KEY'), RSA, false, ['sign']);
}

/** Imports an SPKI PEM public key (`BEGIN PUBLIC KEY`), e.g. the WeChat Pay public key. */
export function importPublicKeyPem(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', pemBody(pem, 'PUBLIC KEY'), RSA, false, ['verify']);
}

/** WeChat's canonical message: every part followed by `\n`, including the last one. */
export function signatureMessage(...parts: string[]): string {
  return parts.map((part) => `${part}\n`).join('');
}

/** SHA256withRSA over the UTF-8 message, base64-encoded. */
export async function rsaSign(key: CryptoKey, message: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign(RSA, key, encoder.encode(message))));
}

/** Verifies a base64 SHA256withRSA signature; false for undecodable signatures too. */
export async function rsaVerify(key: CryptoKey, message: string, signature: string): Promise<boolean> {
  let raw: Uint8Array;
  try {
    raw = fromBase64(signature);
  } catch {
    return false;
  }
  return crypto.subtle.verify(RSA, key, raw, encoder.encode(message));
}

/** A 32-character alphanumeric nonce for `nonce_str` / `nonceStr`. */
export function nonceStr(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Builds the `Authorization` header of an API v3 request: SHA256withRSA with the merchant
 * key over `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n` (BODY empty for GET).
 */
export async function authorizationHeader(
  key: CryptoKey,
  opts: { mchId: string; serialNo: string; method: string; pathWithQuery: string; body: string; timestamp: number },
): Promise<string> {
  const nonce = nonceStr();
  const timestamp = String(opts.timestamp);
  const signature = await rsaSign(key, signatureMessage(opts.method, opts.pathWithQuery, timestamp, nonce, opts.body));
  return (
    'WECHATPAY2-SHA256-RSA2048 ' +
    `mchid="${opts.mchId}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${opts.serialNo}"`
  );
}

/**
 * Verifies the `Wechatpay-*` headers of a callback or API response over
 * `TIMESTAMP\nNONCE\nRAW_BODY\n`. Throws ProviderError: malformed (missing headers, or
 * `missingCode` when given), probe, serial_unknown, timestamp_stale, signature_invalid.
 */
export async function verifyWechatpaySignature(
  headers: Headers,
  rawBody: string,
  platform: { key: CryptoKey; serial: string },
  nowMs: number,
  missingCode: 'payment.malformed' | 'payment.signature_invalid' = 'payment.malformed',
): Promise<void> {
  const timestamp = headers.get('Wechatpay-Timestamp');
  const nonce = headers.get('Wechatpay-Nonce');
  const signature = headers.get('Wechatpay-Signature');
  const serial = headers.get('Wechatpay-Serial');
  if (!timestamp || !nonce || !signature || !serial) {
    throw new ProviderError(missingCode, 'Wechatpay-Timestamp/Nonce/Signature/Serial headers are required');
  }
  // WeChat sends probe callbacks with a deliberately bad signature to check that we verify.
  if (signature.startsWith('WECHATPAY/SIGNTEST/')) {
    throw new ProviderError('payment.probe', 'WeChat Pay signature probe');
  }
  if (serial !== platform.serial) {
    throw new ProviderError('payment.serial_unknown', `unknown Wechatpay-Serial ${quoteInput(serial)}`);
  }
  if (!/^\d{1,12}$/.test(timestamp))
    throw new ProviderError('payment.malformed', 'Wechatpay-Timestamp is not a number');
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw new ProviderError('payment.timestamp_stale', `Wechatpay-Timestamp ${timestamp} is too far from now`);
  }
  if (!(await rsaVerify(platform.key, signatureMessage(timestamp, nonce, rawBody), signature))) {
    throw new ProviderError('payment.signature_invalid', 'Wechatpay-Signature does not verify');
  }
}

/**
 * Decrypts an AEAD_AES_256_GCM callback resource with the APIv3 key. WeChat's base64
 * ciphertext is ciphertext‖16-byte tag, which is exactly WebCrypto's layout.
 */
export async function decryptResource(
  apiV3Key: string,
  resource: { nonce: string; associated_data?: string; ciphertext: string },
): Promise<string> {
  try {
    const key = await crypto.subtle.importKey('raw', encoder.encode(apiV3Key), 'AES-GCM', false, ['decrypt']);
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: encoder.encode(resource.nonce),
        additionalData: encoder.encode(resource.associated_data ?? ''),
      },
      key,
      fromBase64(resource.ciphertext),
    );
    return new TextDecoder().decode(plain);
  } catch {
    throw new ProviderError('payment.decrypt_failed', 'could not decrypt the notification resource');
  }
}
