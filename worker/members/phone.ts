import type { Env } from '../env';
import { validationFailed } from '../http/errors';
import { lookupHash } from '../lib/lookup-keys';

/**
 * Phones are stored sealed (AES-GCM) and found by a keyed hash (`worker/lib/lookup-keys.ts`),
 * so the lookup column cannot be reversed by hashing all 10^10 mobile numbers without the secret.
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

/** The keyed lookup hash of a normalized phone (also used for device and WeChat person keys), lowercase hex. */
export function phoneLookupHash(env: Env, normalized: string): Promise<string> {
  return lookupHash(env, 'tiffin/phone-lookup/v1', normalized);
}
