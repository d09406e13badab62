import { log } from '../../domain/log';
import { ApiError } from '../http/errors';

/** What WeChat's code2session answers (fields absent on error). */
export interface WechatSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

const ENDPOINT = 'https://api.weixin.qq.com/sns/jscode2session';

/**
 * Exchanges a mini-program `wx.login` code for the user's openid. WeChat answers 200
 * even for errors (with `errcode`), sometimes as text/plain, so the body decides.
 */
export async function code2session(
  appid: string,
  secret: string,
  code: string,
  fetcher: typeof fetch = fetch,
): Promise<WechatSession> {
  const url = `${ENDPOINT}?${new URLSearchParams({ appid, secret, js_code: code, grant_type: 'authorization_code' })}`;
  let body: { openid?: string; unionid?: string; session_key?: string; errcode?: number; errmsg?: string };
  try {
    const res = await fetcher(url, { method: 'GET', signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = JSON.parse(await res.text());
  } catch (e) {
    log.warn('code2session unreachable', { error: e });
    throw new ApiError(503, 'auth.wechat_unavailable', 'WeChat login is unavailable right now; try again shortly.', {
      headers: { 'Retry-After': '2' },
    });
  }
  if (body.errcode) {
    // 40029 invalid code, 40163 code already used: the client must call wx.login again.
    if (body.errcode === 40029 || body.errcode === 40163) {
      throw new ApiError(401, 'auth.wechat_code_invalid', 'The login code is invalid or used; call wx.login again.');
    }
    if (body.errcode === 45011) {
      throw new ApiError(429, 'auth.wechat_rate_limited', 'Too many logins for this user; wait a minute.', {
        headers: { 'Retry-After': '60' },
      });
    }
    if (body.errcode === 40226) throw new ApiError(403, 'auth.wechat_blocked', 'WeChat flagged this account as risky.');
    throw new ApiError(503, 'auth.wechat_unavailable', `WeChat refused the login (errcode ${body.errcode}).`);
  }
  if (!body.openid || !body.session_key) {
    throw new ApiError(503, 'auth.wechat_unavailable', 'WeChat answered without an openid.');
  }
  return { openid: body.openid, unionid: body.unionid, sessionKey: body.session_key };
}
