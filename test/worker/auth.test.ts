import { env } from 'cloudflare:workers';
import { createLocalJWKSet, decodeJwt, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_ADMIN_ID, STORE_PEOPLESQ } from '../../schema/d1/seed';
import { app } from '../../worker/app';
import { call, tokenFor } from '../support/http';
import { testSigningJwk } from '../support/keys';

const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

const adminClaims = { role: 'admin', brand: 'brd_demo', stores: [] };

/** Signs claims the way the server does, with a key of our choosing. */
async function sign(
  key: CryptoKey,
  claims: Record<string, unknown>,
  opts: { kid?: string; exp?: number; sub?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: opts.kid ?? testSigningJwk.kid, typ: 'JWT' })
    .setSubject(opts.sub ?? 'adm_forger')
    .setIssuer('tiffin')
    .setAudience('tiffin-api')
    .setIssuedAt(now - 60)
    .setExpirationTime(opts.exp ?? now + 3600)
    .sign(key);
}

const realKey = () => importJWK(testSigningJwk, 'ES256') as Promise<CryptoKey>;

async function expectUnauthorized(token: string) {
  const res = await call('/v1/admin/items', { token });
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
  expect(res.json.code).toBe('auth.unauthorized');
  return res;
}

describe('tokens', () => {
  it('the JWKS publishes the ES256 public key with its kid, and nothing private', async () => {
    const res = await call('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('max-age');
    const [key] = res.json.keys;
    expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: testSigningJwk.kid });
    expect(key).not.toHaveProperty('d');
  });

  it('a partner can verify our tokens with the published JWKS', async () => {
    const jwks = createLocalJWKSet((await call('/.well-known/jwks.json')).json);
    const token = await tokenFor('staff', { storeId: STORE_PEOPLESQ, subject: 'stf_demo_manager' });
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: 'tiffin', audience: 'tiffin-api' });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: testSigningJwk.kid });
    expect(payload).toMatchObject({
      sub: 'stf_demo_manager',
      role: 'staff',
      brand: 'brd_demo',
      stores: [STORE_PEOPLESQ],
    });
  });

  it('a token we signed ourselves is accepted (the forgery tests below are meaningful)', async () => {
    const res = await call('/v1/admin/items', {
      token: await sign(await realKey(), adminClaims, { sub: DEMO_ADMIN_ID }),
    });
    expect(res.status).toBe(200);
  });

  it('a correctly signed admin or staff token whose account does not exist is refused (tokens answer to their account)', async () => {
    const admin = await sign(await realKey(), adminClaims, { sub: 'adm_never_invited' });
    const res = await call('/v1/admin/items', { token: admin });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('auth.account_refused');
    const staffClaims = { role: 'staff', brand: 'brd_demo', stores: [STORE_PEOPLESQ], srole: 'manager' };
    const staff = await sign(await realKey(), staffClaims, { sub: 'stf_never_invited' });
    expect((await call(`/v1/stores/${STORE_PEOPLESQ}/stock`, { token: staff })).status).toBe(401);
  });

  it('a token signed by another key under our kid is refused with 401', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expectUnauthorized(await sign(privateKey as CryptoKey, adminClaims));
  });

  it('a token with an unknown kid is refused', async () => {
    await expectUnauthorized(await sign(await realKey(), adminClaims, { kid: 'someone-else' }));
  });

  it('a member who edits their token’s payload to become admin is refused', async () => {
    const token = await tokenFor('member');
    const [header, , signature] = token.split('.');
    const payload = { ...decodeJwt(token), role: 'admin' };
    await expectUnauthorized(`${header}.${b64url(payload)}.${signature}`);
  });

  it('an unsigned token (alg: none) is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...adminClaims, sub: 'adm_x', iss: 'tiffin', aud: 'tiffin-api', iat: now, exp: now + 3600 };
    await expectUnauthorized(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`);
    await expectUnauthorized(`${b64url({ alg: 'none', kid: testSigningJwk.kid })}.${b64url(payload)}.`);
  });

  it('an expired token is refused', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    await expectUnauthorized(await sign(await realKey(), adminClaims, { exp: past }));
  });

  it('a token with an unknown role or no brand is refused', async () => {
    await expectUnauthorized(await sign(await realKey(), { ...adminClaims, role: 'superuser' }));
    await expectUnauthorized(await sign(await realKey(), { role: 'admin', stores: [] }));
  });

  it('garbage in the Authorization header is a 401, never a 500', async () => {
    for (const token of ['abc', 'a.b.c', '...', `${b64url({ alg: 'ES256' })}.e30.AAAA`]) {
      await expectUnauthorized(token);
    }
  });

  it('a bad token is refused even on a public route, so the client learns at once', async () => {
    expect((await call('/v1/stores', { token: 'not-a-jwt' })).status).toBe(401);
  });

  it('a token in the address is refused outside the kitchen socket: it would end up in logs and history', async () => {
    const admin = await tokenFor('admin');
    const res = await call(`/v1/admin/items?token=${admin}`);
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('auth.token_in_query');
    expect((await call('/v1/admin/items', { token: admin })).status).toBe(200);
    expect((await call('/v1/admin/items?token=forged')).status).toBe(401);
  });
});

describe('dev auth', () => {
  it('mints tokens for any role when DEV_AUTH=1', async () => {
    const token = await tokenFor('device', { storeId: STORE_PEOPLESQ, subject: 'dev_1' });
    expect(decodeJwt(token)).toMatchObject({ role: 'device', sub: 'dev_1', stores: [STORE_PEOPLESQ] });
  });

  it('staff and device tokens need a storeId', async () => {
    const res = await call('/v1/auth/dev', { method: 'POST', body: { role: 'staff', subject: 'x' } });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: 'storeId', message: expect.any(String) }]);
  });

  it('is indistinguishable from a missing route when DEV_AUTH is not "1"', async () => {
    for (const DEV_AUTH of [undefined, '0', 'true']) {
      const res = await app.request(
        '/v1/auth/dev',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"role":"admin","subject":"x"}' },
        { ...env, DEV_AUTH },
      );
      expect(res.status, String(DEV_AUTH)).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      const body = (await res.json()) as { code: string; token?: string };
      expect(body.code).toBe('http.not_found');
      expect(body.token).toBeUndefined();
    }
  });
});

describe('WeChat mini-program login', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Makes WeChat's code2session answer `body` (built per call, inside the request). */
  const wechatAnswers = (answer: () => unknown) =>
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => {
      const body = answer();
      if (body instanceof Error) throw body;
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        headers: { 'Content-Type': 'text/plain' },
      });
    });

  const login = (code: string) => call('/v1/auth/wechat', { method: 'POST', body: { code } });

  it('calls code2session with our appid, secret and the code', async () => {
    const spy = wechatAnswers(() => ({ openid: `o_${crypto.randomUUID()}`, session_key: 'sk' }));
    expect((await login('code-abc')).status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(1);
    const url = new URL(String(spy.mock.calls[0]![0]));
    expect(`${url.origin}${url.pathname}`).toBe('https://api.weixin.qq.com/sns/jscode2session');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appid: 'wx_test_app',
      secret: 'test_secret',
      js_code: 'code-abc',
      grant_type: 'authorization_code',
    });
  });

  it('the first login registers a member; the second finds the same member', async () => {
    const openid = `o_${crypto.randomUUID()}`;
    wechatAnswers(() => ({ openid, session_key: 'sk' }));
    const first = await login('first-code');
    expect(first.status).toBe(200);
    expect(first.json.member).toMatchObject({ id: expect.stringMatching(/^mem_/), isNew: true });
    expect(Date.parse(first.json.member.createdAt)).not.toBeNaN();
    const second = await login('second-code');
    expect(second.status).toBe(200);
    expect(second.json.member).toMatchObject({ id: first.json.member.id, isNew: false });
    expect(second.json.member.createdAt).toBe(first.json.member.createdAt);
  });

  it('two first logins racing for the same WeChat user end up as one member', async () => {
    const openid = `o_${crypto.randomUUID()}`;
    wechatAnswers(() => ({ openid, session_key: 'sk' }));
    const [a, b] = await Promise.all([login('a'), login('b')]);
    expect(a.json.member.id).toBe(b.json.member.id);
    expect([a.json.member.isNew, b.json.member.isNew].filter(Boolean)).toHaveLength(1);
  });

  it('the member token works on member routes', async () => {
    wechatAnswers(() => ({ openid: `o_${crypto.randomUUID()}`, session_key: 'sk' }));
    const { token, member } = (await login('code')).json;
    expect(decodeJwt(token)).toMatchObject({ role: 'member', sub: member.id, brand: 'brd_demo' });
    const stores = await call('/v1/stores', { token });
    expect(stores.status).toBe(200);
    expect(stores.json.items.length).toBeGreaterThan(0);
  });

  it('an invalid or used code (errcode 40029) is a 401 auth.wechat_code_invalid', async () => {
    wechatAnswers(() => ({ errcode: 40029, errmsg: 'invalid code' }));
    const res = await login('bad');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.code).toBe('auth.wechat_code_invalid');
  });

  it('WeChat’s rate limit (errcode 45011) is a 429 with Retry-After', async () => {
    wechatAnswers(() => ({ errcode: 45011, errmsg: 'api minute-quota reach limit' }));
    const res = await login('busy');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
    expect(res.json.code).toBe('auth.wechat_rate_limited');
  });

  it('WeChat unreachable, or answering nonsense, is a 503 with Retry-After', async () => {
    wechatAnswers(() => new TypeError('Network connection lost.'));
    const down = await login('x');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBeTruthy();
    expect(down.json.code).toBe('auth.wechat_unavailable');

    vi.restoreAllMocks();
    wechatAnswers(() => '<html>502 Bad Gateway</html>');
    expect((await login('x')).status).toBe(503);

    vi.restoreAllMocks();
    wechatAnswers(() => ({ session_key: 'sk' }));
    expect((await login('x')).status).toBe(503);
  });

  it('an empty or missing code is a 422 and WeChat is not called', async () => {
    const spy = wechatAnswers(() => ({ openid: 'o', session_key: 'sk' }));
    const res = await call('/v1/auth/wechat', { method: 'POST', body: { code: '' } });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe('code');
    expect(spy).not.toHaveBeenCalled();
  });
});
