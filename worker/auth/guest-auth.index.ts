import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { devAuthEnabled } from '../accounts/account-state';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { clientIp } from '../http/rate-limit';
import { createRouter } from '../http/router';
import { h5Url } from '../lib/h5-links';
import { smsAdapterFor } from '../notify/sms.adapter';
import * as r from './guest-auth.routes';
import { requestSignInCode, signedIn, signInWithPhone, wechatWebMember } from './guest-sign-in.service';
import { checkState, issueState } from './sign-in-state';
import { findBrand } from './wechat-members.service';
import { authorizeUrl, exchangeWebCode } from './wechat-web.adapter';

/** The Official Account's credentials, or 503 `auth.wechat_web_unconfigured`. */
function officialAccount(env: Env) {
  if (!env.WECHAT_OA_APPID || !env.WECHAT_OA_SECRET) {
    throw new ApiError(
      503,
      'auth.wechat_web_unconfigured',
      'WeChat web sign-in is not configured (WECHAT_OA_APPID/WECHAT_OA_SECRET).',
    );
  }
  return { appid: env.WECHAT_OA_APPID, secret: env.WECHAT_OA_SECRET };
}

async function knownBrand(env: Env, requested: string | undefined) {
  const brandId = requested ?? env.DEFAULT_BRAND_ID;
  if (!(await findBrand(env, brandId))) throw notFound('brand', brandId);
  return brandId;
}

/** Guest sign-in for the H5 app: which ways work, WeChat web authorization, a texted code. */
export const guestAuthRouter = createRouter()
  .openapi(r.methodsRoute, (c) =>
    c.json(
      {
        dev: devAuthEnabled(c.env),
        wechatWeb: Boolean(c.env.WECHAT_OA_APPID && c.env.WECHAT_OA_SECRET),
        phone: smsAdapterFor(c.env) !== null,
      },
      200,
    ),
  )
  .openapi(r.wechatWebAuthorizeRoute, async (c) => {
    const oa = officialAccount(c.env);
    const q = c.req.valid('query');
    const brandId = await knownBrand(c.env, q.brandId);
    const { state, expiresAt } = await issueState(c.env, q.nonce, brandId);
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        url: authorizeUrl(oa.appid, h5Url(c.env, '/sign-in'), state),
        state,
        expiresAt: isoInZone(expiresAt, BRAND_TIME_ZONE),
      },
      200,
    );
  })
  .openapi(r.wechatWebLoginRoute, async (c) => {
    const oa = officialAccount(c.env);
    const b = c.req.valid('json');
    const brandId = await knownBrand(c.env, b.brandId);
    await checkState(c.env, b.state, b.nonce, brandId);
    const identity = await exchangeWebCode(oa.appid, oa.secret, b.code);
    const { member, isNew } = await wechatWebMember(c.env, brandId, identity);
    return c.json(await signedIn(c.env, member, isNew, c.get('requestId')), 200);
  })
  .openapi(r.phoneSignInCodeRoute, async (c) => {
    const b = c.req.valid('json');
    const brandId = b.brandId ?? c.env.DEFAULT_BRAND_ID;
    return c.json(await requestSignInCode(c.env, brandId, b.phone, clientIp(c)), 202);
  })
  .openapi(r.phoneSignInRoute, async (c) => {
    const b = c.req.valid('json');
    const brandId = b.brandId ?? c.env.DEFAULT_BRAND_ID;
    const { member, isNew, phoneHash } = await signInWithPhone(c.env, brandId, b, clientIp(c));
    // For once-per-person perks (the gift pack) a member who has only a phone is their phone.
    const person = member.openid.startsWith('phone:') ? `phone:${phoneHash}` : undefined;
    return c.json(await signedIn(c.env, member, isNew, c.get('requestId'), person), 200);
  });
