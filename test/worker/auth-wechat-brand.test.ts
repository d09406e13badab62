import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newBrand } from '../support/factories';
import { call } from '../support/http';

afterEach(() => {
  vi.restoreAllMocks();
});

const wechatAnswers = () =>
  vi
    .spyOn(globalThis, 'fetch')
    .mockImplementation(
      async () => new Response(JSON.stringify({ openid: `o_${crypto.randomUUID()}`, session_key: 'sk' })),
    );

const login = (brandId: string) => call('/v1/auth/wechat', { method: 'POST', body: { code: 'code', brandId } });

describe('WeChat login names only a brand this app serves', () => {
  it('an unknown brand is 404 brand.not_found, and WeChat is never called', async () => {
    const spy = wechatAnswers();
    const res = await login('brd_nobody_here');
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('brand.not_found');
    expect(spy).not.toHaveBeenCalled();
  });

  it('a brand whose mini program is another app is 403 auth.wechat_app_mismatch, no member registered', async () => {
    const other = await newBrand();
    await env.DB.prepare('UPDATE brands SET settings = ? WHERE id = ?')
      .bind(JSON.stringify({ wechatAppId: 'wx_someone_else' }), other.brandId)
      .run();
    const spy = wechatAnswers();
    // Before: an openid from our app registered a member in their brand.
    const res = await login(other.brandId);
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('auth.wechat_app_mismatch');
    expect(spy).not.toHaveBeenCalled();
    const n = await env.DB.prepare('SELECT count(*) AS n FROM members WHERE brand_id = ?')
      .bind(other.brandId)
      .first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it('a brand that names our app, or names none, signs in', async () => {
    const ours = await newBrand();
    await env.DB.prepare('UPDATE brands SET settings = ? WHERE id = ?')
      .bind(JSON.stringify({ wechatAppId: 'wx_test_app' }), ours.brandId)
      .run();
    wechatAnswers();
    expect((await login(ours.brandId)).status).toBe(200);
    expect((await login((await newBrand()).brandId)).status).toBe(200);
  });
});
