import { importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../domain/encoding';
import { claimsProblem, headerProblem } from '../../domain/jwt-claims';
import { TokenRefused, verifyEs256Jwt } from '../../worker/http/jws-verify';
import { testSigningJwk } from '../support/keys';

const now = Math.floor(Date.now() / 1000);
const rules = { issuer: 'tiffin', audience: 'tiffin-api', now };
const claims = {
  sub: 'mem_1',
  role: 'member',
  brand: 'brd_demo',
  iss: 'tiffin',
  aud: 'tiffin-api',
  iat: now,
  exp: now + 600,
};
const kid = testSigningJwk.kid;

const privateKey = () => importJWK(testSigningJwk, 'ES256') as Promise<CryptoKey>;
async function verifyKeys() {
  const { d: _d, key_ops: _o, ...pub } = testSigningJwk;
  return new Map([[kid, (await importJWK(pub, 'ES256')) as CryptoKey]]);
}
const seg = (v: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(v)));

/** Signs any header and payload with the real key, the way a forger with a stolen format but not the key cannot. */
async function signRaw(header: unknown, payload: unknown): Promise<string> {
  const input = `${seg(header)}.${seg(payload)}`;
  const sig = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    await privateKey(),
    new TextEncoder().encode(input),
  );
  return `${input}.${toBase64Url(sig)}`;
}

async function refused(token: string, why: string) {
  const err = await verifyEs256Jwt(token, await verifyKeys(), rules).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TokenRefused);
  expect((err as Error).message).toBe(why);
}

describe('verifying our ES256 tokens without jose', () => {
  it('accepts a token jose signed with our key, and returns its claims', async () => {
    const token = await new SignJWT({ role: 'member', brand: 'brd_demo' })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setSubject('mem_1')
      .setIssuer('tiffin')
      .setAudience('tiffin-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(await privateKey());
    expect(await verifyEs256Jwt(token, await verifyKeys(), rules)).toMatchObject({ sub: 'mem_1', role: 'member' });
  });

  it('a payload changed after signing is refused', async () => {
    const [h, , s] = (await signRaw({ alg: 'ES256', kid }, claims)).split('.');
    await refused(`${h}.${seg({ ...claims, role: 'admin' })}.${s}`, 'bad signature');
  });

  it('alg none, an HMAC alg keyed with our public key, or no alg at all never reach a verify', async () => {
    await refused(`${seg({ alg: 'none', kid })}.${seg(claims)}.AAAA`, 'alg is not ES256');
    await refused(`${seg({ alg: 'HS256', kid })}.${seg(claims)}.AAAA`, 'alg is not ES256');
    await refused(`${seg({ kid })}.${seg(claims)}.AAAA`, 'alg is not ES256');
    // The empty signature of alg none is not even a compact JWS segment.
    await refused(`${seg({ alg: 'ES256', kid })}.${seg(claims)}.`, 'not a compact JWS');
  });

  it('an unknown kid, or none, is refused', async () => {
    await refused(await signRaw({ alg: 'ES256', kid: 'other' }, claims), 'unknown kid');
    await refused(await signRaw({ alg: 'ES256' }, claims), 'no kid');
  });

  it('a header with a critical extension we do not implement is refused, even correctly signed', async () => {
    await refused(
      await signRaw({ alg: 'ES256', kid, crit: ['exp'], exp: 1 }, claims),
      'crit names an extension we do not implement',
    );
    await refused(await signRaw({ alg: 'ES256', kid, b64: false }, claims), 'unencoded payloads are not accepted');
  });

  it('a DER-encoded or truncated signature is refused before WebCrypto sees it', async () => {
    const [h, p, s] = (await signRaw({ alg: 'ES256', kid }, claims)).split('.');
    const raw = Uint8Array.from(atob(s!.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));
    await refused(`${h}.${p}.${toBase64Url(raw.slice(0, 63))}`, 'signature is not 64 bytes');
    const der = new Uint8Array([0x30, 0x44, 0x02, 0x20, ...raw.slice(0, 32), 0x02, 0x20, ...raw.slice(32)]);
    await refused(`${h}.${p}.${toBase64Url(der)}`, 'signature is not 64 bytes');
  });

  it('another issuer or audience, correctly signed, is refused', async () => {
    await refused(await signRaw({ alg: 'ES256', kid }, { ...claims, iss: 'evil' }), 'wrong issuer');
    await refused(await signRaw({ alg: 'ES256', kid }, { ...claims, aud: 'partner-api' }), 'wrong audience');
    await refused(await signRaw({ alg: 'ES256', kid }, { ...claims, aud: undefined }), 'wrong audience');
    expect(
      await verifyEs256Jwt(
        await signRaw({ alg: 'ES256', kid }, { ...claims, aud: ['x', 'tiffin-api'] }),
        await verifyKeys(),
        rules,
      ),
    ).toMatchObject({ sub: 'mem_1' });
  });

  it('an expired token, one expiring this second, one with no expiry and one not yet valid are refused', async () => {
    await refused(await signRaw({ alg: 'ES256', kid }, { ...claims, exp: now - 1 }), 'expired');
    await refused(await signRaw({ alg: 'ES256', kid }, { ...claims, exp: now }), 'expired');
    await refused(await signRaw({ alg: 'ES256', kid }, { ...claims, exp: undefined }), 'no expiry');
    await refused(await signRaw({ alg: 'ES256', kid }, { ...claims, exp: String(now + 60) }), 'no expiry');
    await refused(await signRaw({ alg: 'ES256', kid }, { ...claims, nbf: now + 60 }), 'not yet valid');
    expect(
      await verifyEs256Jwt(await signRaw({ alg: 'ES256', kid }, { ...claims, nbf: now }), await verifyKeys(), rules),
    ).toBeTruthy();
  });

  it('garbage is refused, never thrown as something else', async () => {
    for (const [token, why] of [
      ['', 'not a compact JWS'],
      ['abc', 'not a compact JWS'],
      ['a.b.c.d', 'not a compact JWS'],
      ['a b.c.d', 'not a compact JWS'],
      ['a+b.c/d.e=', 'not a compact JWS'],
      ['a.b.c', 'not base64url'],
      [`${seg('x')}.e30.AAAA`, 'header is not a JSON object'],
      [`${toBase64Url(new Uint8Array([0xff, 0xfe]))}.e30.AAAA`, 'not JSON'],
    ] as const) {
      await refused(token, why);
    }
    await refused(await signRaw({ alg: 'ES256', kid }, [claims]), 'payload is not a JSON object');
  });

  it('the claim rules one by one', () => {
    expect(headerProblem({ alg: 'ES256', kid: 'k', typ: 'JWT' })).toBeUndefined();
    expect(headerProblem(null)).toBe('header is not a JSON object');
    expect(headerProblem({ alg: 'ES256', kid: '' })).toBe('no kid');
    expect(claimsProblem(claims, rules)).toBeUndefined();
    expect(claimsProblem({ ...claims, iat: 'yesterday' }, rules)).toBe('iat is not a number');
    expect(claimsProblem({ ...claims, sub: 7 }, rules)).toBe('sub is not a string');
    expect(claimsProblem({ ...claims, exp: Number.POSITIVE_INFINITY }, rules)).toBe('no expiry');
    expect(claimsProblem({ ...claims, nbf: 'soon' }, rules)).toBe('not yet valid');
  });
});
