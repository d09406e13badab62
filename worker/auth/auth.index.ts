import { log } from '../../domain/log';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { devAuthEnabled } from '../accounts/account-state';
import { ApiError } from '../http/errors';
import { createRouter } from '../http/router';
import { issueToken, publicJwks } from '../http/tokens';
import { welcomeMember } from '../loyalty/welcome.service';
import { memberCreated } from '../webhooks/brand-events';
import { announceBrandEvent } from '../webhooks/fan-out.service';
import { devTokenRoute, jwksRoute, wechatLoginRoute } from './auth.routes';
import { signedIn } from './guest-sign-in.service';
import { code2session } from './wechat.adapter';
import { assertLoginBrand, registerDevMember, upsertWechatMember } from './wechat-members.service';

export const authRouter = createRouter()
  .openapi(devTokenRoute, async (c) => {
    // Indistinguishable from a missing route unless explicitly enabled for local dev.
    if (c.env.DEV_AUTH !== '1') throw new ApiError(404, 'http.not_found', 'No route for POST /v1/auth/dev.');
    // A deployment on https is a real one: DEV_AUTH there is a mistake, and minting is refused.
    if (!devAuthEnabled(c.env)) {
      throw new ApiError(
        403,
        'auth.dev_refused',
        'DEV_AUTH is set on an https deployment; /v1/auth/dev only runs locally.',
      );
    }
    const b = c.req.valid('json');
    const brandId = b.brandId ?? c.env.DEFAULT_BRAND_ID;
    const registered = b.register ? await registerDevMember(c.env, brandId, b.subject) : undefined;
    if (registered) {
      // The demo guest is welcomed as any new member is (tier, gift pack), once.
      await welcomeMember(c.env, registered.member).catch((e) =>
        log.error('welcome failed', { requestId: c.get('requestId'), memberId: b.subject, error: e }),
      );
    }
    const token = await issueToken(
      c.env,
      {
        role: b.role,
        subject: b.subject,
        brandId,
        storeIds: b.storeId ? [b.storeId] : [],
        staffRole: b.role === 'staff' ? (b.staffRole ?? 'manager') : undefined,
        scopes: b.scopes,
      },
      Date.now(),
      { dev: true },
    );
    if (!registered) return c.json({ token }, 200);
    const { member, isNew } = registered;
    if (isNew) await announceBrandEvent(c.env, memberCreated(member));
    const summary = {
      id: member.id,
      nickname: member.nickname,
      isNew,
      createdAt: isoInZone(member.createdAt, BRAND_TIME_ZONE),
    };
    return c.json({ token, member: summary }, 200);
  })
  .openapi(wechatLoginRoute, async (c) => {
    const { code, brandId: requested } = c.req.valid('json');
    if (!c.env.WECHAT_APPID || !c.env.WECHAT_SECRET) {
      throw new ApiError(
        503,
        'auth.wechat_not_configured',
        'WeChat login is not configured (WECHAT_APPID/WECHAT_SECRET).',
      );
    }
    const brandId = requested ?? c.env.DEFAULT_BRAND_ID;
    await assertLoginBrand(c.env, brandId);
    const session = await code2session(c.env.WECHAT_APPID, c.env.WECHAT_SECRET, code);
    const { member, isNew } = await upsertWechatMember(c.env, brandId, session);
    return c.json(await signedIn(c.env, member, isNew, c.get('requestId')), 200);
  })
  .openapi(jwksRoute, async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await publicJwks(c.env), 200);
  });
