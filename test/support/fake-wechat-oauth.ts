import { vi } from 'vitest';

/*
 * A fake WeChat web authorization (Official Account OAuth2), written from WeChat's side: the
 * authorize screen hands a user a one-time code bound to the app, and the token endpoint
 * answers as WeChat does (HTTP 200 with `errcode` on every error). Installed over
 * `globalThis.fetch`, so the adapter is tested without the network; any other address fails.
 */

export interface WechatUser {
  openid: string;
  unionid?: string;
  snapshot?: boolean;
}

interface IssuedCode {
  appid: string;
  user: WechatUser;
  expiresAt: number;
  used: boolean;
}

export interface FakeWechatOauth {
  /** What the authorize screen does for `user`: checks the address, answers the redirect back. */
  authorize(url: string, user: WechatUser): URL;
  /** Every token exchange the worker made. */
  exchanges: URLSearchParams[];
  restore(): void;
}

const ACCESS_TOKEN = 'https://api.weixin.qq.com/sns/oauth2/access_token';

export function installFakeWechatOauth(app: { appid: string; secret: string }): FakeWechatOauth {
  const codes = new Map<string, IssuedCode>();
  const exchanges: URLSearchParams[] = [];
  const answer = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'Content-Type': 'text/plain' } });

  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (`${url.origin}${url.pathname}` !== ACCESS_TOKEN) throw new TypeError(`fake WeChat: no network for ${url}`);
    const q = url.searchParams;
    exchanges.push(q);
    if (q.get('appid') !== app.appid) return answer({ errcode: 40013, errmsg: 'invalid appid' });
    if (q.get('secret') !== app.secret) return answer({ errcode: 40125, errmsg: 'invalid appsecret' });
    if (q.get('grant_type') !== 'authorization_code') return answer({ errcode: 40002, errmsg: 'invalid grant_type' });
    const issued = codes.get(q.get('code') ?? '');
    if (!issued || issued.appid !== app.appid || issued.expiresAt < Date.now()) {
      return answer({ errcode: 40029, errmsg: 'invalid code' });
    }
    if (issued.used) return answer({ errcode: 40163, errmsg: 'code been used' });
    issued.used = true;
    return answer({
      access_token: `at_${crypto.randomUUID()}`,
      expires_in: 7200,
      refresh_token: `rt_${crypto.randomUUID()}`,
      openid: issued.user.openid,
      scope: 'snsapi_base',
      ...(issued.user.snapshot ? { is_snapshotuser: 1 } : {}),
      ...(issued.user.unionid ? { unionid: issued.user.unionid } : {}),
    });
  });

  return {
    exchanges,
    authorize(address, user) {
      const url = new URL(address);
      if (`${url.origin}${url.pathname}` !== 'https://open.weixin.qq.com/connect/oauth2/authorize') {
        throw new Error(`not WeChat's authorize address: ${address}`);
      }
      if (url.hash !== '#wechat_redirect') throw new Error('WeChat needs the #wechat_redirect fragment');
      const q = url.searchParams;
      if (q.get('appid') !== app.appid) throw new Error(`authorize for another app: ${q.get('appid')}`);
      if (q.get('response_type') !== 'code' || q.get('scope') !== 'snsapi_base') throw new Error('bad scope');
      const state = q.get('state') ?? '';
      if (!/^[A-Za-z0-9]{0,128}$/.test(state)) throw new Error(`WeChat refuses this state: ${state}`);
      const code = crypto.randomUUID().replaceAll('-', '');
      codes.set(code, { appid: app.appid, user, expiresAt: Date.now() + 5 * 60_000, used: false });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', state);
      return back;
    },
    restore: () => spy.mockRestore(),
  };
}
