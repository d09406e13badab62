import { memberWallet } from '../coupons/member-coupons.service';
import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import * as r from './members.routes';
import { liveMember, memberProfile, patchMember, recordConsent, revokeMemberTokens } from './members.service';
import { bindVerifiedPhone, requestPhoneCode } from './phone-codes.service';
import { eraseMember, exportMember } from './privacy.service';

export const membersRouter = createRouter();
// `/v1/members/me/orders` belongs to the orders router, which checks the role itself.
membersRouter.use('/v1/members/me', requireRole('member'));
membersRouter.use('/v1/members/me/phone', requireRole('member'));
membersRouter.use('/v1/members/me/phone/code', requireRole('member'));
membersRouter.use('/v1/members/me/consents/*', requireRole('member'));
membersRouter.use('/v1/members/me/export', requireRole('member'));
membersRouter.use('/v1/members/me/logout-all', requireRole('member'));
membersRouter.use('/v1/members/me/coupons', requireRole('member'));

membersRouter
  .openapi(r.getMeRoute, async (c) => {
    const row = await liveMember(c.env, principalOf(c));
    return c.json(await memberProfile(c.env, row), 200);
  })
  .openapi(r.patchMeRoute, async (c) => {
    const row = await liveMember(c.env, principalOf(c));
    return c.json(await memberProfile(c.env, await patchMember(c.env, row, c.req.valid('json'))), 200);
  })
  .openapi(r.phoneCodeRoute, async (c) => {
    const row = await liveMember(c.env, principalOf(c));
    return c.json(await requestPhoneCode(c.env, row, c.req.valid('json').phone), 202);
  })
  .openapi(r.bindPhoneRoute, async (c) => {
    const row = await liveMember(c.env, principalOf(c));
    return c.json(await memberProfile(c.env, await bindVerifiedPhone(c.env, row, c.req.valid('json'))), 200);
  })
  .openapi(r.putConsentRoute, async (c) => {
    const row = await liveMember(c.env, principalOf(c));
    const { granted, text } = c.req.valid('json');
    return c.json(await recordConsent(c.env, row, c.req.valid('param').kind, granted, text), 200);
  })
  .openapi(r.exportMeRoute, async (c) => {
    const p = principalOf(c);
    const row = await liveMember(c.env, p);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="member-${row.id}.json"`);
    return c.json(await exportMember(c.env, p, row), 200);
  })
  .openapi(r.deleteMeRoute, async (c) => {
    const p = principalOf(c);
    const row = await liveMember(c.env, p);
    return c.json(await eraseMember(c.env, p, row), 200);
  })
  .openapi(r.myCouponsRoute, async (c) => {
    const p = principalOf(c);
    return c.json(await memberWallet(c.env, { id: p.subject, brandId: p.brandId }, c.req.valid('query').status), 200);
  })
  .openapi(r.logoutAllRoute, async (c) => {
    await revokeMemberTokens(c.env, await liveMember(c.env, principalOf(c)));
    return c.body(null, 204);
  });
