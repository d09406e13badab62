/*
 * Alipay OpenAPI (v1 gateway) signing primitives, WebCrypto only: RSA2 = RSASSA-PKCS1-v1_5
 * over SHA-256, keys as PKCS#8 / SPKI in PEM or the bare base64 the Alipay console hands out.
 */

import { quoteInput } from '../../../domain/bounded-text';
import { fromBase64, toBase64 } from '../../../domain/encoding';
import { formatYuan } from '../../../domain/money';
import { MINUTE } from '../../../domain/time';
import { isoInZone, offsetMinutes } from '../../../domain/zoned-time';
import { ProviderError } from './provider';

const RSA2 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const encoder = new TextEncoder();

/** Alipay speaks Beijing time in every timestamp. */
const ALIPAY_ZONE = 'Asia/Shanghai';

function keyDer(text: string, what: string): ArrayBuffer {
  if (/-----BEGIN RSA (PRIVATE|PUBLIC) KEY-----/.test(text)) {
    throw new Error(`${what}: PKCS#1 keys are not supported by WebCrypto; convert to PKCS#8 / SPKI`);
  }
  // Secrets pasted into env vars often carry literal "\n" sequences instead of newlines.
  const body = text
    .replace(/\\n/g, '\n')
    .replace(/-----(BEGIN|END) [A-Z ]+-----/g, '')
    .replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error(`${what}: not PEM or base64`);
  return fromBase64(body).buffer as ArrayBuffer;
}

/** Imports our app private key (PKCS#8, PEM or bare base64) for RSA2 signing. */
export function importAppPrivateKey(pemOrBase64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', keyDer(pemOrBase64, 'app private key'), RSA2, false, ['sign']);
}

/** Imports Alipay's public key (SPKI, PEM or bare base64) for RSA2 verification. */
export function importAlipayPublicKey(pemOrBase64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', keyDer(pemOrBase64, 'alipay public key'), RSA2, false, ['verify']);
}

/** base64 RSA2 signature of `content` (UTF-8). */
export async function rsa2Sign(content: string, privateKey: CryptoKey): Promise<string> {
  const sig = await crypto.subtle.sign(RSA2, privateKey, encoder.encode(content));
  return toBase64(new Uint8Array(sig));
}

/** True when `signature` (base64) is a valid RSA2 signature of `content`; false for garbage input. */
export async function rsa2Verify(content: string, signature: string, publicKey: CryptoKey): Promise<boolean> {
  let sig: Uint8Array;
  try {
    sig = fromBase64(signature.replace(/\s+/g, ''));
  } catch {
    return false;
  }
  try {
    return await crypto.subtle.verify(RSA2, publicKey, sig, encoder.encode(content));
  } catch {
    return false;
  }
}

/**
 * The string Alipay signs: keys sorted (UTF-16 order, as Java's String.compareTo), `excluded`
 * keys and empty values dropped, `k=v` joined with `&`, values raw (never URL-encoded).
 */
export function canonicalString(
  params: Readonly<Record<string, string | undefined>>,
  excluded: readonly string[] = ['sign'],
): string {
  return Object.keys(params)
    .filter((k) => !excluded.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/**
 * Signs request params with our app key: returns the non-empty params plus `sign`, which covers
 * every param except `sign` itself (`sign_type` included, as the gateway expects).
 */
export async function signParams(
  params: Readonly<Record<string, string | undefined>>,
  appPrivateKey: CryptoKey,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (k !== 'sign' && v !== undefined && v !== '') out[k] = v;
  out.sign = await rsa2Sign(canonicalString(out), appPrivateKey);
  return out;
}

/**
 * Verifies an async notification: the signature covers every param except `sign` and
 * `sign_type`, values URL-decoded. Empty values are dropped first (what Alipay signs); if that
 * fails and empties were present, the variant keeping them is tried too, since SDKs disagree.
 */
export async function verifyNotificationParams(
  params: Readonly<Record<string, string>>,
  alipayPublicKey: CryptoKey,
): Promise<boolean> {
  const sign = params.sign;
  if (!sign) return false;
  const excluded = ['sign', 'sign_type'];
  if (await rsa2Verify(canonicalString(params, excluded), sign, alipayPublicKey)) return true;
  if (!Object.values(params).includes('')) return false;
  const withEmpties = Object.keys(params)
    .filter((k) => !excluded.includes(k))
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return rsa2Verify(withEmpties, sign, alipayPublicKey);
}

function stringEnd(raw: string, start: number): number {
  for (let i = start + 1; i < raw.length; i++) {
    if (raw[i] === '\\') i++;
    else if (raw[i] === '"') return i + 1;
  }
  return -1;
}

function skipWs(raw: string, i: number): number {
  while (i < raw.length && /\s/.test(raw[i]!)) i++;
  return i;
}

function valueEnd(raw: string, start: number): number {
  const c = raw[start];
  if (c === '"') return stringEnd(raw, start);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let i = start; i < raw.length; i++) {
      const ch = raw[i];
      if (ch === '"') {
        const end = stringEnd(raw, i);
        if (end < 0) return -1;
        i = end - 1;
      } else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  const primitive = /[^,}\]\s]+/y;
  primitive.lastIndex = start;
  return primitive.test(raw) ? primitive.lastIndex : -1;
}

/**
 * The exact source text of a top-level member's value in a JSON document, e.g. the
 * `{"code":"10000",...}` of `alipay_trade_create_response`. Alipay signs those bytes as it sent
 * them (escaped slashes, key order, unicode escapes), so re-serializing would break verification.
 */
export function topLevelMemberText(raw: string, name: string): string | undefined {
  let i = skipWs(raw, 0);
  if (raw[i] !== '{') return undefined;
  i++;
  for (;;) {
    i = skipWs(raw, i);
    if (raw[i] !== '"') return undefined;
    const keyEnd = stringEnd(raw, i);
    if (keyEnd < 0) return undefined;
    const key: unknown = JSON.parse(raw.slice(i, keyEnd));
    i = skipWs(raw, keyEnd);
    if (raw[i] !== ':') return undefined;
    i = skipWs(raw, i + 1);
    const end = valueEnd(raw, i);
    if (end < 0) return undefined;
    if (key === name) return raw.slice(i, end);
    i = skipWs(raw, end);
    if (raw[i] !== ',') return undefined;
    i++;
  }
}

/** Integer fen → Alipay's yuan string with exactly two decimals (1234 → "12.34"), no float maths. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new RangeError(`amount must be a non-negative integer of fen: ${fen}`);
  return formatYuan(fen);
}

/** Alipay's yuan string → integer fen ("12.3" → 1230); anything else is `payment.malformed`. */
export function yuanToFen(yuan: string | undefined): number {
  const m = /^(0|[1-9]\d{0,12})(?:\.(\d{1,2}))?$/.exec(yuan ?? '');
  if (!m) throw new ProviderError('payment.malformed', `not a yuan amount: ${quoteInput(yuan)}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Epoch ms → "yyyy-MM-dd HH:mm:ss" in Asia/Shanghai, the format of every Alipay timestamp. */
export function shanghaiTime(ms: number): string {
  return isoInZone(ms, ALIPAY_ZONE).slice(0, 19).replace('T', ' ');
}

/** "yyyy-MM-dd HH:mm:ss" Asia/Shanghai → epoch ms; undefined when not a real time in that format. */
export function parseShanghaiTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const ms = wall - offsetMinutes(wall, ALIPAY_ZONE) * MINUTE;
  // Date.UTC rolls 2024-02-30 over to March; a round trip catches it.
  return shanghaiTime(ms) === text ? ms : undefined;
}
