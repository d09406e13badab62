import { fromBase64, toHex } from '../../domain/encoding';
import type { Env } from '../env';
import { keyring } from './seal';

/*
 * Keyed hashes for finding things without storing them: phones, devices, WeChat persons,
 * partner codes. HMAC-SHA256 under a key derived (HKDF-SHA256, empty salt, a label per
 * purpose) from one DATA_KEY, so a column cannot be reversed by hashing every candidate
 * without the secret, and one purpose's hashes say nothing about another's.
 *
 * Unlike sealed values these cannot be re-encrypted in place (an erased member's claim keeps
 * only its hash), so they stay on one key across rotations: the key named by
 * DATA_LOOKUP_KEY_ID (kept in DATA_KEYS_PREVIOUS after a rotation), else the current one.
 */

type KeyEnv = Pick<Env, 'DATA_KEY' | 'DATA_KEY_ID' | 'DATA_KEYS_PREVIOUS' | 'DATA_LOOKUP_KEY_ID'>;

/** The base64 text of the key lookup hashes derive from. */
export function lookupRoot(env: KeyEnv): string {
  const r = keyring(env);
  const id = env.DATA_LOOKUP_KEY_ID || r.currentId;
  if (!env.DATA_LOOKUP_KEY_ID && r.byId.size > 1) {
    // After a rotation, deriving from the new key would silently orphan every stored hash.
    throw new Error('DATA_KEYS_PREVIOUS is set: DATA_LOOKUP_KEY_ID must name the key lookup hashes were made with');
  }
  const b64 = r.byId.get(id);
  if (!b64) throw new Error(`DATA_LOOKUP_KEY_ID "${id}" is neither DATA_KEY_ID nor in DATA_KEYS_PREVIOUS`);
  return b64;
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(root: string, label: string): Promise<CryptoKey> {
  const cacheKey = `${label}|${root}`;
  let key = keys.get(cacheKey);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', fromBase64(root), 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(label) },
        ikm,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      );
    })();
    keys.set(cacheKey, key);
  }
  return key;
}

/** HMAC-SHA256 of `message` under the key derived for `label`, lowercase hex. */
export async function lookupHash(env: KeyEnv, label: string, message: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(lookupRoot(env), label),
    new TextEncoder().encode(message),
  );
  return toHex(mac);
}
