import { toHex } from '../../domain/encoding';
import type { Env } from '../env';
import { validationFailed } from '../http/errors';
import { dataKeyBytes } from '../lib/seal';

/**
 * Phones are stored sealed (AES-GCM) and found by a keyed hash: HMAC-SHA256 of the
 * normalized number under a key derived (HKDF) from DATA_KEY, so the lookup column
 * cannot be reversed by hashing all 10^10 mobile numbers without the secret.
 */

/** `+86 138-1234-5678` → `13812345678`; anything but a mainland mobile is a 422. */
export function normalizePhone(input: string): string {
  let digits = input.replace(/[\s()-]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  if (!/^1[3-9]\d{9}$/.test(digits)) {
    throw validationFailed([{ path: 'phone', message: 'expected a mainland China mobile number' }]);
  }
  return digits;
}

let cached: { source: string; key: Promise<CryptoKey> } | undefined;

function lookupKey(env: Pick<Env, 'DATA_KEY'>): Promise<CryptoKey> {
  const source = env.DATA_KEY ?? '';
  if (cached?.source !== source) {
    const raw = dataKeyBytes(env);
    const key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: new Uint8Array(0),
          info: new TextEncoder().encode('tiffin/phone-lookup/v1'),
        },
        ikm,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      );
    })();
    cached = { source, key };
  }
  return cached.key;
}

/** The keyed lookup hash of a normalized phone, lowercase hex. */
export async function phoneLookupHash(env: Pick<Env, 'DATA_KEY'>, normalized: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await lookupKey(env), new TextEncoder().encode(normalized));
  return toHex(mac);
}
