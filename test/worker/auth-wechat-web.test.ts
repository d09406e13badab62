import { env } from 'cloudflare:workers';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { wechatMember } from '../support/factories';
import { type FakeWechatOauth, installFakeWechatOauth, type WechatUser } from '../support/fake-wechat-oauth';
import { call } from '../support/http';

/*
 * A guest opens the H5 app inside WeChat: the page asks us where to send them, WeChat's
 * authorize screen sends them back with a code, and the code signs them in, as the same
 * member they are in the mini program when WeChat vouches it is the same person.
 */

const OA = { appid: 'wx_oa_test', secret: 'oa_secret_test' };
let wechat: FakeWechatOauth;

beforeAll(() => {
  env.WECHAT_OA_APPID = OA.appid;
  env.WECHAT_OA_SECRET = OA.secret;
});
afterAll(() => {
  env.WECHAT_OA_APPID = undefined;
  env.WECHAT_OA_SECRET = undefined;
});
afterEach(() => wechat?.restore());

const newNonce = () => crypto.randomUUID().replaceAll('-', '');
const start = (nonce: string, headers: Record<string, string> = {}) =>
  call(`/v1/auth/wechat-web/authorize?nonce=${nonce}`, { headers });
const finish = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call('/v1/auth/wechat-web', { method: 'POST', body, headers });

/** The whole round trip for `user`, as the page does it. */
async function signInThroughWechat(user: WechatUser, nonce = newNonce()) {
  const started = await start(nonce);
  expect(started.status, started.text).toBe(200);
  const back = wechat.authorize(started.json.url, user);
  return finish({ code: back.searchParams.get('code'), state: back.searchParams.get('state'), nonce });
}

describe('WeChat web authorization for the H5 app', () => {
  it('sends the guest to WeChat and back to our sign-in page, then signs them in as a new member', async () => {
    wechat = installFakeWechatOauth(OA);
    const nonce = newNonce();
    const started = await start(nonce);
    expect(started.status).toBe(200);
    expect(started.headers.get('cache-control')).toBe('no-store');
    const back = wechat.authorize(started.json.url, { openid: `oa_${crypto.randomUUID()}` });
    expect(`${back.origin}${back.pathname}`).toBe(`${env.PUBLIC_BASE_URL}/sign-in`);
    expect(back.searchParams.get('state')).toBe(started.json.state);

    const res = await finish({ code: back.searchParams.get('code'), state: started.json.state, nonce });
    expect(res.status, res.text).toBe(200);
    expect(res.json.member).toMatchObject({ id: expect.stringMatching(/^mem_/), isNew: true });
    expect(decodeJwt(res.json.token)).toMatchObject({ role: 'member', sub: res.json.member.id, brand: 'brd_demo' });
    expect((await call('/v1/members/me', { token: res.json.token })).status).toBe(200);
    // WeChat was asked with our Official Account's appid and secret, never the mini program's.
    expect(Object.fromEntries(wechat.exchanges[0]!)).toMatchObject({ ...OA, grant_type: 'authorization_code' });
  });

  it('the same WeChat user signing in again is the same member', async () => {
    wechat = installFakeWechatOauth(OA);
    const user = { openid: `oa_${crypto.randomUUID()}` };
    const first = await signInThroughWechat(user);
    const again = await signInThroughWechat(user);
    expect(again.json.member).toMatchObject({ id: first.json.member.id, isNew: false });
  });

  it('a guest who used the mini program is the same member in the H5 app (by unionid)', async () => {
    const mini = await wechatMember();
    wechat = installFakeWechatOauth(OA);
    const res = await signInThroughWechat({ openid: `oa_${crypto.randomUUID()}`, unionid: mini.unionid });
    expect(res.json.member).toMatchObject({ id: mini.memberId, isNew: false });
  });

  it('an H5-first guest keeps their member when they later open the mini program', async () => {
    wechat = installFakeWechatOauth(OA);
    const unionid = `u_${crypto.randomUUID()}`;
    const h5 = await signInThroughWechat({ openid: `oa_${crypto.randomUUID()}`, unionid });
    wechat.restore();
    const mini = await wechatMember({ unionid });
    expect(mini.memberId).toBe(h5.json.member.id);
    const row = await env.DB.prepare('SELECT openid FROM members WHERE id = ?').bind(mini.memberId).first();
    expect(row).toEqual({ openid: mini.openid });
  });

  it('a state forged, from another browser, or too old is refused before WeChat is called', async () => {
    wechat = installFakeWechatOauth(OA);
    const nonce = newNonce();
    const started = await start(nonce);
    const back = wechat.authorize(started.json.url, { openid: `oa_${crypto.randomUUID()}` });
    const code = back.searchParams.get('code');

    // One character of the signature changed (not the last: its low bits may be padding).
    const state = started.json.state as string;
    const at = state.length - 5;
    const forgedState = `${state.slice(0, at)}${state[at] === 'A' ? 'B' : 'A'}${state.slice(at + 1)}`;
    const forged = await finish({ code, state: forgedState, nonce });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('content-type')).toBe('application/problem+json');
    expect(forged.json.code).toBe('auth.state_invalid');
    // Someone else's sign-in link completed in this browser: its state is for their nonce.
    const elsewhere = await finish({ code, state: started.json.state, nonce: newNonce() });
    expect(elsewhere.json.code).toBe('auth.state_invalid');
    expect((await finish({ code, state: 'not-a-state', nonce })).json.code).toBe('auth.state_invalid');
    expect(wechat.exchanges).toHaveLength(0);

    const { issueState } = await import('../../worker/auth/sign-in-state');
    const old = await issueState(env, nonce, 'brd_demo', Date.now() - 11 * 60_000);
    const expired = await finish({ code, state: old.state, nonce });
    expect(expired.status).toBe(401);
    expect(expired.json.code).toBe('auth.state_expired');
    expect(wechat.exchanges).toHaveLength(0);
  });

  it('a code used twice, or made up, is 401 auth.wechat_code_invalid', async () => {
    wechat = installFakeWechatOauth(OA);
    const nonce = newNonce();
    const started = await start(nonce);
    const back = wechat.authorize(started.json.url, { openid: `oa_${crypto.randomUUID()}` });
    const body = { code: back.searchParams.get('code'), state: started.json.state, nonce };
    expect((await finish(body)).status).toBe(200);
    const replay = await finish(body);
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('auth.wechat_code_invalid');
    const madeUp = await finish({ ...body, code: 'made-up-code' });
    expect(madeUp.json.code).toBe('auth.wechat_code_invalid');
  });

  it('a snapshot-mode visitor (a virtual openid) is not registered', async () => {
    wechat = installFakeWechatOauth(OA);
    const res = await signInThroughWechat({ openid: 'oa_snapshot_virtual', snapshot: true });
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('auth.wechat_snapshot_user');
  });

  it('a wrong secret is WeChat refusing us: 503, never a member', async () => {
    wechat = installFakeWechatOauth({ ...OA, secret: 'the-real-secret' });
    const res = await signInThroughWechat({ openid: `oa_${crypto.randomUUID()}` });
    expect(res.status).toBe(503);
    expect(res.json.code).toBe('auth.wechat_unavailable');
  });

  it('bad input is a 422 naming the field; an unknown brand is 404', async () => {
    wechat = installFakeWechatOauth(OA);
    const short = await start('short');
    expect(short.status).toBe(422);
    expect(short.json.errors[0].path).toBe('nonce');
    const noCode = await finish({ state: 'x', nonce: newNonce() });
    expect(noCode.status).toBe(422);
    expect(noCode.json.errors[0].path).toBe('code');
    const brand = await call(`/v1/auth/wechat-web/authorize?nonce=${newNonce()}&brandId=brd_nobody`);
    expect(brand.status).toBe(404);
    expect(brand.json.code).toBe('brand.not_found');
  });

  it('is limited per IP (429 with Retry-After)', async () => {
    wechat = installFakeWechatOauth(OA);
    const ip = { 'CF-Connecting-IP': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
    const answers = [];
    for (let i = 0; i < 35; i++) answers.push((await start(newNonce(), ip)).status);
    expect(answers).toContain(429);
    const limited = await start(newNonce(), ip);
    expect(limited.headers.get('retry-after')).toBe('60');
  });

  it('without the Official Account configured: 503 auth.wechat_web_unconfigured, and methods say so', async () => {
    env.WECHAT_OA_APPID = undefined;
    try {
      const res = await start(newNonce());
      expect(res.status).toBe(503);
      expect(res.json.code).toBe('auth.wechat_web_unconfigured');
      expect((await call('/v1/auth/methods')).json.wechatWeb).toBe(false);
    } finally {
      env.WECHAT_OA_APPID = OA.appid;
    }
    expect((await call('/v1/auth/methods')).json).toEqual({ dev: true, wechatWeb: true, phone: true });
  });
});
