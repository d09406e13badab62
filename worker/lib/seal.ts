import { fromBase64, fromBase64Url, toBase64Url } from '../../domain/encoding';
import type { Env } from '../env';

/*
 * Personal data at rest (delivery addresses, phones) is sealed with AES-256-GCM under
 * the DATA_KEY secret. Format: `v2.<keyId>.<iv>.<ciphertext>` (base64url), the key id
 * bound as additional data; values sealed before key ids existed are `v1.<iv>.<ciphertext>`.
 *
 * Rotation: put the old key into DATA_KEYS_PREVIOUS (JSON `{ "<id>": "<base64>" }`), set the
 * new DATA_KEY and DATA_KEY_ID. New seals name the new id; old ones open with the key they
 * name; a `v1.` value is tried against every key (GCM's tag tells which one fits).
 */

type KeyEnv = Pick<Env, 'DATA_KEY' | 'DATA_KEY_ID' | 'DATA_KEYS_PREVIOUS'>;

/** The id sealed values carry when DATA_KEY_ID is not set. */
export const DEFAULT_KEY_ID = 'k1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

interface Keyring {
  currentId: string;
  /** Every usable key by id, the current one included, as the base64 text it was given in. */
  byId: Map<string, string>;
}

function keyBytes(name: string, b64: string): Uint8Array {
  const raw = fromBase64(b64);
  if (raw.length !== 32) throw new Error(`${name} must be 32 bytes, base64`);
  return raw;
}

let ring: { source: string; value: Keyring } | undefined;

/** The current key and the previous ones, parsed once per configuration. */
export function keyring(env: KeyEnv): Keyring {
  if (!env.DATA_KEY) throw new Error('DATA_KEY is not set (see .dev.vars.example)');
  const source = `${env.DATA_KEY}|${env.DATA_KEY_ID ?? ''}|${env.DATA_KEYS_PREVIOUS ?? ''}`;
  if (ring?.source === source) return ring.value;
  const currentId = env.DATA_KEY_ID || DEFAULT_KEY_ID;
  if (!KEY_ID.test(currentId)) throw new Error('DATA_KEY_ID must be 1-32 letters, digits, _ or -');
  keyBytes('DATA_KEY', env.DATA_KEY);
  const byId = new Map<string, string>();
  if (env.DATA_KEYS_PREVIOUS) {
    let previous: unknown;
    try {
      previous = JSON.parse(env.DATA_KEYS_PREVIOUS);
    } catch {
      throw new Error('DATA_KEYS_PREVIOUS must be a JSON object of key id → base64 key');
    }
    if (typeof previous !== 'object' || previous === null || Array.isArray(previous)) {
      throw new Error('DATA_KEYS_PREVIOUS must be a JSON object of key id → base64 key');
    }
    for (const [id, b64] of Object.entries(previous)) {
      if (!KEY_ID.test(id) || typeof b64 !== 'string') throw new Error(`DATA_KEYS_PREVIOUS: bad entry "${id}"`);
      keyBytes(`DATA_KEYS_PREVIOUS["${id}"]`, b64);
      byId.set(id, b64);
    }
  }
  byId.set(currentId, env.DATA_KEY);
  ring = { source, value: { currentId, byId } };
  return ring.value;
}

/** The DATA_KEY secret's 32 bytes. */
export function dataKeyBytes(env: KeyEnv): Uint8Array {
  const r = keyring(env);
  return keyBytes('DATA_KEY', r.byId.get(r.currentId)!);
}

const aesKeys = new Map<string, Promise<CryptoKey>>();

function aesKey(b64: string): Promise<CryptoKey> {
  let key = aesKeys.get(b64);
  if (!key) {
    key = crypto.subtle.importKey('raw', keyBytes('DATA_KEY', b64), 'AES-GCM', false, ['encrypt', 'decrypt']);
    aesKeys.set(b64, key);
  }
  return key;
}

const aad = (keyId: string) => new TextEncoder().encode(`v2.${keyId}`);

export async function seal(env: KeyEnv, plaintext: string): Promise<string> {
  const r = keyring(env);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad(r.currentId) },
    await aesKey(r.byId.get(r.currentId)!),
    new TextEncoder().encode(plaintext),
  );
  return `v2.${r.currentId}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ct))}`;
}

/** The key id a sealed value names (`null` for a value sealed before key ids). */
export function sealedKeyId(sealed: string): string | null {
  return sealed.startsWith('v2.') ? (sealed.split('.')[1] ?? null) : null;
}

export async function unseal(env: KeyEnv, sealed: string): Promise<string> {
  const r = keyring(env);
  const parts = sealed.split('.');
  if (parts[0] === 'v2' && parts.length === 4) {
    const [, keyId, iv, ct] = parts as [string, string, string, string];
    const b64 = r.byId.get(keyId);
    if (!b64) throw new Error(`sealed with key "${keyId}", which is neither DATA_KEY nor in DATA_KEYS_PREVIOUS`);
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: aad(keyId) },
      await aesKey(b64),
      fromBase64Url(ct),
    );
    return new TextDecoder().decode(pt);
  }
  if (parts[0] === 'v1' && parts.length === 3) {
    // Before key ids: the current key first (no rotation yet is the common case), then the old ones.
    const ordered = [r.currentId, ...[...r.byId.keys()].filter((id) => id !== r.currentId)];
    for (const id of ordered) {
      try {
        const pt = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: fromBase64Url(parts[1]!) },
          await aesKey(r.byId.get(id)!),
          fromBase64Url(parts[2]!),
        );
        return new TextDecoder().decode(pt);
      } catch {
        // Not this key: GCM's tag failed.
      }
    }
    throw new Error('no DATA_KEY opens this v1 sealed value');
  }
  throw new Error('not a sealed value');
}

/** 13812345678 → 138****5678: enough for staff to confirm, not enough to copy. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
