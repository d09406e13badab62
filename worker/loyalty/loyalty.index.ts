import { diceOdds } from '../../domain/loyalty/perks';
import { isoInZone } from '../../domain/zoned-time';
import { principalOf, requireRole } from '../http/auth';
import { createRouter } from '../http/router';
import { liveMember } from '../members/members.service';
import { reviewOrder } from '../reviews/reviews.service';
import { checkInToday } from './checkin.service';
import { rollDiceToday } from './dice.service';
import * as r from './loyalty.routes';
import { loyaltyRules } from './loyalty-rules.service';
import { pointsLedgerPage } from './points.service';
import { pointsBalance, tierStanding } from './profile.service';
import { pointsCatalog, redeem } from './redemption.service';
import { referralCashSummary } from './referral-cash.service';
import { referralPreview } from './referral-preview.service';
import { bindReferral, referralInfo } from './referrals.service';
import { tierHistoryOf } from './tiers.service';

export const loyaltyRouter = createRouter();
for (const path of [
  '/v1/members/me/points',
  '/v1/members/me/points/*',
  '/v1/members/me/tier',
  '/v1/members/me/check-ins',
  '/v1/members/me/dice-rolls',
  '/v1/members/me/referral',
  '/v1/members/me/referral-cash',
  '/v1/members/me/reviews',
  '/v1/loyalty/*',
]) {
  loyaltyRouter.use(path, requireRole('member'));
}

loyaltyRouter
  .openapi(r.programmeRoute, async (c) => {
    const rules = await loyaltyRules(c.env, principalOf(c).brandId);
    return c.json(
      {
        tiers: rules.tiers,
        qualifyingMonths: rules.qualifyingMonths,
        points: rules.points,
        memberDay: rules.memberDay,
        birthday: rules.birthday,
        referral: { inviterPoints: rules.referral.inviterPoints, inviteePoints: rules.referral.inviteePoints },
        checkIn: rules.checkIn,
        dice: {
          dailyLimit: rules.dice.dailyLimit,
          costPoints: rules.dice.costPoints,
          odds: diceOdds(rules.dice.faces),
        },
        review: rules.review,
      },
      200,
    );
  })
  .openapi(r.catalogRoute, async (c) => {
    const items = await pointsCatalog(c.env, principalOf(c).brandId);
    return c.json(
      { items: items as { id: string; name: string; kind: 'coupon' | 'dish'; cost: number; templateId: string }[] },
      200,
    );
  })
  .openapi(r.myPointsRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const q = c.req.valid('query');
    const rules = await loyaltyRules(c.env, m.brandId);
    const rows = await pointsLedgerPage(c.env, m.id, q.limit, q.before ? Date.parse(q.before) : undefined);
    const last = rows.at(-1);
    return c.json(
      {
        balance: await pointsBalance(c.env, m),
        entries: rows.map((e) => ({
          id: e.id,
          kind: e.kind,
          ref: e.ref,
          amount: e.amount,
          orderId: e.orderId,
          createdAt: isoInZone(e.createdAt, rules.timeZone),
        })),
        nextBefore: rows.length === q.limit && last ? isoInZone(last.createdAt, rules.timeZone) : null,
      },
      200,
    );
  })
  .openapi(r.myTierRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json({ tier: await tierStanding(c.env, m), history: await tierHistoryOf(c.env, m.id) }, 200);
  })
  .openapi(r.redeemRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const key = c.req.valid('header')['idempotency-key'];
    const result = await redeem(
      c.env,
      m,
      c.req.valid('json').catalogItemId,
      key ? `${m.id}:${key}` : crypto.randomUUID(),
    );
    return c.json(result, 201);
  })
  .openapi(r.checkInRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await checkInToday(c.env, m), 201);
  })
  .openapi(r.diceRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await rollDiceToday(c.env, m), 201);
  })
  .openapi(r.referralRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await referralInfo(c.env, m, c.req.valid('header')['x-device-id']), 200);
  })
  .openapi(r.referralPreviewRoute, async (c) => {
    const brandId = c.req.valid('query').brandId ?? c.env.DEFAULT_BRAND_ID;
    return c.json(await referralPreview(c.env, brandId, c.req.valid('param').code), 200);
  })
  .openapi(r.bindReferralRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    const body = c.req.valid('json');
    return c.json(await bindReferral(c.env, m, body.code, body.deviceId), 201);
  })
  .openapi(r.reviewRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await reviewOrder(c.env, m, c.req.valid('json')), 201);
  })
  .openapi(r.referralCashRoute, async (c) => {
    const m = await liveMember(c.env, principalOf(c));
    return c.json(await referralCashSummary(c.env, m), 200);
  });
