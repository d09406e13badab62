import { fromBase64, toBase64 } from '../encoding';

/*
 * Standard Webhooks 1.0, symmetric scheme: every delivery carries `webhook-id` (the event id,
 * the same on every retry), `webhook-timestamp` (Unix seconds of this attempt) and
 * `webhook-signature`, a space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
 * one per live secret, so a receiver keeps verifying while its secret is rotated.
 * Receivers verify with any Standard Webhooks library; `verifyWebhook` is ours, for tests and tools.
 */

export const SECRET_PREFIX = 'whsec_';
/** Receivers refuse timestamps further than this from their clock (the libraries' default). */
export const TOLERANCE_SECONDS = 300;

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** A new endpoint secret: `whsec_` and 32 random bytes in base64, shown to the admin once. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** The secret's key bytes, or null when it is not a `whsec_` secret of 24–64 bytes. */
export function secretBytes(secret: string): Uint8Array | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  try {
    const bytes = fromBase64(secret.slice(SECRET_PREFIX.length));
    return bytes.length >= 24 && bytes.length <= 64 ? bytes : null;
  } catch {
    return null;
  }
}

async function hmac(key: Uint8Array, content: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(content)));
}

const idPattern = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The three headers of one delivery attempt, signed with every secret given (the current one,
 * and during a rotation's overlap the previous one too).
 */
export async function signWebhook(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<WebhookHeaders> {
  // The spec forbids a `.` (or anything a sender does not control) in the signed id.
  if (!idPattern.test(id)) throw new Error(`webhook id ${JSON.stringify(id)} is not signable`);
  const timestamp = String(Math.floor(timestampSeconds));
  const signatures: string[] = [];
  for (const secret of secrets) {
    const key = secretBytes(secret);
    if (!key) throw new Error('webhook secret is not a whsec_ secret');
    signatures.push(`v1,${toBase64(await hmac(key, `${id}.${timestamp}.${body}`))}`);
  }
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export type WebhookVerdict = { ok: true } | { ok: false; reason: 'headers' | 'timestamp' | 'signature' };

/** Verifies a delivery as a receiver would: a fresh timestamp and one matching `v1` signature. */
export async function verifyWebhook(
  secret: string,
  headers: Partial<Record<keyof WebhookHeaders, string | null>>,
  body: string,
  nowSeconds: number,
): Promise<WebhookVerdict> {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  const key = secretBytes(secret);
  if (!id || !timestamp || !signature || !key || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'headers' };
  if (Math.abs(nowSeconds - Number(timestamp)) > TOLERANCE_SECONDS) return { ok: false, reason: 'timestamp' };
  const expected = await hmac(key, `${id}.${timestamp}.${body}`);
  for (const part of signature.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    try {
      if (sameBytes(fromBase64(value), expected)) return { ok: true };
    } catch {
      // not base64: not a match
    }
  }
  return { ok: false, reason: 'signature' };
}
