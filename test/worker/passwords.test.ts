import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hashPassword, needsRehash, verifyPassword } from '../../worker/accounts/passwords';

describe('password hashes', () => {
  it('are PBKDF2-SHA256 at 100,000 iterations with a per-password salt, parameters stored alongside', async () => {
    const a = await hashPassword('noodles all day long');
    const b = await hashPassword('noodles all day long');
    expect(a).toMatch(/^pbkdf2-sha256\$100000\$[\w+/=]{24}\$[\w+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('noodles all day long', a)).toBe(true);
    expect(await verifyPassword('noodles all day lonG', a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it('an older, cheaper hash still verifies and is marked for rehashing', async () => {
    const old = await hashPassword('noodles all day long', 10_000);
    expect(await verifyPassword('noodles all day long', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it('no hash, or an unreadable one, never matches', async () => {
    for (const stored of [null, undefined, '', 'plain', 'pbkdf2-sha256$999999999$AA==$AA==']) {
      expect(await verifyPassword('anything at all', stored)).toBe(false);
    }
  });

  it('compares bytes without stopping at the first difference', () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});
