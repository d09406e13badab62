import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64Url } from '../../domain/encoding';
import { lookupHash } from '../../worker/lib/lookup-keys';
import { seal, sealedKeyId, unseal } from '../../worker/lib/seal';

const OLD = env.DATA_KEY;
const NEW = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const before = { DATA_KEY: OLD };
const rotated = {
  DATA_KEY: NEW,
  DATA_KEY_ID: 'k2',
  DATA_KEYS_PREVIOUS: JSON.stringify({ k1: OLD }),
  DATA_LOOKUP_KEY_ID: 'k1',
};

/** A value as the code before key ids sealed it: `v1.<iv>.<ct>`, no additional data. */
async function legacySeal(keyB64: string, plaintext: string) {
  const key = await crypto.subtle.importKey('raw', fromBase64(keyB64), 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plaintext));
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(ct))}`;
}

describe('DATA_KEY rotation', () => {
  it('a value sealed with the old key still opens after rotation; new seals carry the new key id', async () => {
    const old = await seal(before, '13812345678');
    expect(sealedKeyId(old)).toBe('k1');
    expect(await unseal(rotated, old)).toBe('13812345678');
    const fresh = await seal(rotated, '13912345678');
    expect(sealedKeyId(fresh)).toBe('k2');
    expect(await unseal(rotated, fresh)).toBe('13912345678');
    // The old key alone cannot open what the new one sealed.
    await expect(unseal(before, fresh)).rejects.toThrow(/k2/);
  });

  it('values sealed before key ids existed open before and after rotation', async () => {
    const legacy = await legacySeal(OLD, 'room 1203');
    expect(await unseal(before, legacy)).toBe('room 1203');
    expect(await unseal(rotated, legacy)).toBe('room 1203');
  });

  it('a key id cannot be swapped on a sealed value', async () => {
    const both = { ...rotated, DATA_KEYS_PREVIOUS: JSON.stringify({ k1: OLD, k0: NEW }) };
    const sealed = await seal(both, 'secret');
    await expect(unseal(both, sealed.replace('.k2.', '.k0.'))).rejects.toThrow();
  });

  it('lookup hashes (phones, once-per-person claims) stay the same across a rotation', async () => {
    const h = await lookupHash(before, 'tiffin/phone-lookup/v1', '13812345678');
    expect(await lookupHash(rotated, 'tiffin/phone-lookup/v1', '13812345678')).toBe(h);
    // Forgetting which key they were made with must fail loudly, not orphan every stored hash.
    const forgot = { ...rotated, DATA_LOOKUP_KEY_ID: undefined };
    await expect(lookupHash(forgot, 'tiffin/phone-lookup/v1', '13812345678')).rejects.toThrow(/DATA_LOOKUP_KEY_ID/);
  });

  it('a malformed DATA_KEYS_PREVIOUS is a clear configuration error', async () => {
    await expect(seal({ ...rotated, DATA_KEYS_PREVIOUS: 'not json' }, 'x')).rejects.toThrow(/DATA_KEYS_PREVIOUS/);
    await expect(seal({ ...rotated, DATA_KEYS_PREVIOUS: '{"k1":"c2hvcnQ="}' }, 'x')).rejects.toThrow(/32 bytes/);
  });
});
