import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { h5Url } from '../../worker/lib/h5-links';
import { wechatMember } from '../support/factories';
import { call } from '../support/http';

/*
 * A member shares their referral link; a friend opens it in the H5 app this worker serves
 * and sees who invited them and what both get before signing in.
 */

const saved = env.H5_BASE_URL;
afterEach(() => {
  env.H5_BASE_URL = saved;
});

async function inviterWithCode(nickname?: string) {
  const inviter = await wechatMember();
  if (nickname) await call('/v1/members/me', { method: 'PATCH', token: inviter.token, body: { nickname } });
  const info = await call('/v1/members/me/referral', { token: inviter.token });
  return { ...inviter, code: info.json.code as string, shareUrl: info.json.shareUrl as string };
}

describe('referral links', () => {
  it('point at this worker’s own H5 app when H5_BASE_URL is empty, and that address answers the app', async () => {
    const { code, shareUrl } = await inviterWithCode();
    expect(shareUrl).toBe(`${env.PUBLIC_BASE_URL}/r/${code}`);
    const page = await call(`/r/${code}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('/app/main.js');
  });

  it('point at the H5 origin when one is configured elsewhere', () => {
    env.H5_BASE_URL = 'https://h5.example.cn/';
    expect(h5Url(env, '/r/ABC')).toBe('https://h5.example.cn/r/ABC');
  });

  it('the preview names the inviter masked and both rewards, without signing in', async () => {
    const { code } = await inviterWithCode('小明同学');
    const res = await call(`/v1/referrals/${code.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      code,
      inviter: { nickname: '小**' },
      rewards: { inviterPoints: expect.any(Number), inviteePoints: expect.any(Number) },
    });
  });

  it('an unknown code, or an erased inviter’s, is 404 referral.code_not_found', async () => {
    const missing = await call('/v1/referrals/NOSUCH99');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.json.code).toBe('referral.code_not_found');
    const { code, token } = await inviterWithCode();
    expect((await call('/v1/members/me', { method: 'DELETE', token })).status).toBe(200);
    expect((await call(`/v1/referrals/${code}`)).status).toBe(404);
  });

  it('a malformed code is a 422; the preview is limited per IP', async () => {
    expect((await call('/v1/referrals/x')).status).toBe(422);
    const ip = { 'CF-Connecting-IP': `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
    // 130 at once, past the 120 a minute an address may ask: sent together so a slow machine
    // cannot spread them over two windows.
    const answers = await Promise.all(
      Array.from({ length: 130 }, () => call('/v1/referrals/NOSUCH99', { headers: ip })),
    );
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers.get('Retry-After')).toBeTruthy();
  });

  it('the guest app’s own pages answer its index on reload (sign-in, me)', async () => {
    for (const path of ['/sign-in', '/me', '/me/orders', '/me/coupons']) {
      const res = await call(path);
      expect(res.status, path).toBe(200);
      expect(res.text).toContain('/app/main.js');
    }
  });
});
