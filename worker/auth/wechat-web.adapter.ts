import { log } from '../../domain/log';
import { ApiError } from '../http/errors';

/*
 * WeChat web authorization (Official Account OAuth2, 网页授权) for the H5 app opened inside
 * WeChat's browser: the page is sent to WeChat's authorize screen and comes back to our
 * sign-in page with `?code=&state=`; the code is exchanged, once, for the user's openid (and
 * unionid when the Official Account is bound to an Open Platform account). `snsapi_base`
 * asks nothing of the user: no consent screen, no profile.
 */

/** What the code exchange answers that sign-in needs (fields absent on error). */
export interface WechatWebIdentity {
  /** The user's openid within the Official Account (not the mini program's). */
  openid: string;
  unionid?: string;
}

const AUTHORIZE = 'https://open.weixin.qq.com/connect/oauth2/authorize';
const ACCESS_TOKEN = 'https://api.weixin.qq.com/sns/oauth2/access_token';

/**
 * The address that starts authorization. WeChat reads the parameters in this order and wants
 * the `#wechat_redirect` fragment; `state` is at most 128 characters of [A-Za-z0-9].
 */
export function authorizeUrl(appid: string, redirectUri: string, state: string): string {
  return (
    `${AUTHORIZE}?appid=${encodeURIComponent(appid)}&redirect_uri=${encodeURIComponent(redirectUri)}` +
    `&response_type=code&scope=snsapi_base&state=${encodeURIComponent(state)}#wechat_redirect`
  );
}

/**
 * Exchanges the `code` WeChat appended to our sign-in page for the user's identity. WeChat
 * answers 200 even for errors (with `errcode`), so the body decides.
 */
export async function exchangeWebCode(
  appid: string,
  secret: string,
  code: string,
  fetcher: typeof fetch = fetch,
): Promise<WechatWebIdentity> {
  const url = `${ACCESS_TOKEN}?${new URLSearchParams({ appid, secret, code, grant_type: 'authorization_code' })}`;
  let body: { openid?: string; unionid?: string; is_snapshotuser?: number; errcode?: number; errmsg?: string };
  try {
    const res = await fetcher(url, { method: 'GET', signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = JSON.parse(await res.text());
  } catch (e) {
    log.warn('wechat web authorization unreachable', { error: e });
    throw new ApiError(503, 'auth.wechat_unavailable', 'WeChat sign-in is unavailable right now; try again shortly.', {
      headers: { 'Retry-After': '2' },
    });
  }
  if (body.errcode) {
    // 40029 invalid code, 40163 code already used: the page must start authorization again.
    if (body.errcode === 40029 || body.errcode === 40163) {
      throw new ApiError(401, 'auth.wechat_code_invalid', 'The sign-in code is invalid or used; start again.');
    }
    if (body.errcode === 45011) {
      throw new ApiError(429, 'auth.wechat_rate_limited', 'Too many sign-ins for this user; wait a minute.', {
        headers: { 'Retry-After': '60' },
      });
    }
    throw new ApiError(503, 'auth.wechat_unavailable', `WeChat refused the sign-in (errcode ${body.errcode}).`);
  }
  // A user browsing a shared page in "snapshot" mode gets a virtual openid, the same for everyone.
  if (body.is_snapshotuser === 1) {
    throw new ApiError(401, 'auth.wechat_snapshot_user', 'Open the page in full (not the preview) to sign in.');
  }
  if (!body.openid) throw new ApiError(503, 'auth.wechat_unavailable', 'WeChat answered without an openid.');
  return { openid: body.openid, unionid: body.unionid };
}
