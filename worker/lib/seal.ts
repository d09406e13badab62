import { fromBase64, fromBase64Url, toBase64Url } from '../../domain/encoding';
import type { Env } from '../env';

/*
 * Personal data at rest (delivery addresses, phones) is sealed with AES-256-GCM under
 * the DATA_KEY secret. Format: `v1.<iv>.<ciphertext>` in base64url.
 */

let cached: { source: string; key: Promise<CryptoKey> } | undefined;

/** The DATA_KEY secret's 32 bytes; keys for other purposes are derived from them. */
export function dataKeyBytes(env: Pick<Env, 'DATA_KEY'>): Uint8Array {
  if (!env.DATA_KEY) throw new Error('DATA_KEY is not set (see .dev.vars.example)');
  const raw = fromBase64(env.DATA_KEY);
  if (raw.length !== 32) throw new Error('DATA_KEY must be 32 bytes, base64');
  return raw;
}

function dataKey(env: Pick<Env, 'DATA_KEY'>): Promise<CryptoKey> {
  const source = env.DATA_KEY ?? '';
  if (cached?.source !== source) {
    const raw = dataKeyBytes(env);
    cached = { source, key: crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']) };
  }
  return cached.key;
}

export async function seal(env: Pick<Env, 'DATA_KEY'>, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await dataKey(env),
    new TextEncoder().encode(plaintext),
  );
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ct))}`;
}

export async function unseal(env: Pick<Env, 'DATA_KEY'>, sealed: string): Promise<string> {
  const [v, iv, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !ct) throw new Error('not a sealed value');
  const pt = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(iv) },
    await dataKey(env),
    fromBase64Url(ct),
  );
  return new TextDecoder().decode(pt);
}

/** 13812345678 → 138****5678: enough for staff to confirm, not enough to copy. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
