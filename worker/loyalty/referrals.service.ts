import { and, count, eq, isNull, ne, sql } from 'drizzle-orm';
import { lotExpiresAt } from '../../domain/loyalty/points';
import { milestonesReached, referralRefusal } from '../../domain/loyalty/referral';
import { DAY } from '../../domain/time';
import { memberCoupons, memberLoyalty, members, orderHistory, perkClaims, referrals } from '../../schema/d1/tables';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { h5Url } from '../lib/h5-links';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { phoneLookupHash } from '../members/phone';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';
import { creditPoints } from './points.service';
import { earnReferralCash, voidReferralCash } from './referral-cash.service';

/** The once-per-person claim a referred guest leaves (`perk_claims`, no personal data). */
const REFERRED_PERK = 'referred';

const deviceKey = (env: Env, deviceId: string) => phoneLookupHash(env, `device:${deviceId}`);

/**
 * The person behind a member as WeChat vouches for them (the same key the gift pack uses):
 * unlike the client's device id, it survives erasing the account and signing in again.
 */
async function personKeyOf(env: Env, memberId: string) {
  const row = await db(env)
    .select({ openid: members.openid, unionid: members.unionid })
    .from(members)
    .where(eq(members.id, memberId))
    .get();
  return row?.openid ? phoneLookupHash(env, `wechat:${row.unionid ?? row.openid}`) : null;
}

/** The member's code, share link and poster payload, with invite progress. */
export async function referralInfo(env: Env, m: MemberRef, deviceId?: string, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  const standing = await ensureStanding(env, m, now, rules);
  const d = db(env);
  if (deviceId && !standing.deviceHash) {
    // Remember the inviter's device: an invitee on the same device is the inviter again.
    await d
      .update(memberLoyalty)
      .set({ deviceHash: await deviceKey(env, deviceId) })
      .where(and(eq(memberLoyalty.memberId, m.id), isNull(memberLoyalty.deviceHash)))
      .run();
  }
  const counts = await d
    .select({
      invited: count(),
      rewarded: sql<number>`COALESCE(SUM(${referrals.status} = ${'rewarded'}), 0)`,
    })
    .from(referrals)
    .where(eq(referrals.inviterId, m.id))
    .get();
  const code = standing.referralCode;
  return {
    code,
    shareUrl: h5Url(env, `/r/${code}`),
    // wxacode.getUnlimited takes a scene of at most 32 visible characters; the page reads `r=`.
    poster: { page: 'pages/index/index', scene: `r=${code}`, title: 'Your first order is on me' },
    invited: counts?.invited ?? 0,
    rewarded: counts?.rewarded ?? 0,
    rewards: { inviterPoints: rules.referral.inviterPoints, inviteePoints: rules.referral.inviteePoints },
    milestones: rules.referral.milestones.map((x) => ({
      invites: x.invites,
      templateId: x.templateId,
      reached: (counts?.rewarded ?? 0) >= x.invites,
    })),
  };
}

const refusalText: Record<string, string> = {
  self: 'You cannot use your own code.',
  loop: 'This member joined with your code; codes cannot go round in a circle.',
  already_referred: 'You already joined with a code.',
  not_new: 'Codes are for new guests, before their first completed order.',
  device_used: 'This device was already used with a referral code.',
};

/**
 * A new guest enters an inviter's code. Refusals are 422 `referral.refused` with the reason.
 * The server decides from what it trusts: the inviter from its own code (an erased
 * member's code is dead), and who the guest is from their WeChat identity, so a person is
 * referred once per brand however often they erase and re-register. The client's device
 * id can only add a refusal, never earn a reward.
 */
export async function bindReferral(
  env: Env,
  m: MemberRef,
  code: string,
  deviceId: string | undefined,
  now = Date.now(),
) {
  const standing = await ensureStanding(env, m, now);
  const d = db(env);
  const inviter = await d
    .select({ id: memberLoyalty.memberId, up: memberLoyalty.referredBy })
    .from(memberLoyalty)
    .innerJoin(members, eq(members.id, memberLoyalty.memberId))
    .where(
      and(
        eq(memberLoyalty.brandId, m.brandId),
        eq(memberLoyalty.referralCode, code.trim().toUpperCase()),
        isNull(members.deletedAt),
      ),
    )
    .get();
  if (!inviter) throw new ApiError(404, 'referral.code_not_found', `No member has the code ${code}.`);
  const chain: string[] = [];
  for (let up = inviter.up; up && chain.length < 20 && !chain.includes(up); ) {
    chain.push(up);
    const next = await d
      .select({ up: memberLoyalty.referredBy })
      .from(memberLoyalty)
      .where(eq(memberLoyalty.memberId, up))
      .get();
    up = next?.up ?? null;
  }
  const hash = deviceId ? await deviceKey(env, deviceId) : null;
  const [person, inviterPerson] = await Promise.all([personKeyOf(env, m.id), personKeyOf(env, inviter.id)]);
  const [orders, device, earlier] = await d.batch([
    d
      .select({ n: count().as('n') })
      .from(orderHistory)
      .where(and(eq(orderHistory.memberId, m.id), eq(orderHistory.status, 'completed'))),
    // Bound as is: a null hash (no device) matches nothing, as `eq` would not let it say.
    d
      .select({ n: count().as('n') })
      .from(memberLoyalty)
      .where(and(sql`${memberLoyalty.deviceHash} = ${hash}`, ne(memberLoyalty.memberId, m.id))),
    // This person joined with a code before, under an account since erased.
    d
      .select({ n: count().as('n') })
      .from(perkClaims)
      .where(
        and(
          eq(perkClaims.brandId, m.brandId),
          eq(perkClaims.perk, REFERRED_PERK),
          sql`${perkClaims.personKey} = ${person}`,
          sql`${perkClaims.memberId} IS NOT ${m.id}`,
        ),
      ),
  ]);
  const refusal = referralRefusal({
    inviterId: inviter.id,
    inviteeId: m.id,
    samePerson: person !== null && person === inviterPerson,
    inviterChain: chain,
    inviteeAlreadyReferred: standing.referredBy !== null || earlier[0]!.n > 0,
    inviteeCompletedOrders: orders[0]!.n,
    deviceSeen: hash !== null && device[0]!.n > 0,
  });
  if (refusal) {
    throw new ApiError(422, 'referral.refused', refusalText[refusal]!, { extra: { reason: refusal } });
  }
  const [linked] = await d.batch([
    d
      .insert(referrals)
      .values({
        id: newId('ref'),
        brandId: m.brandId,
        inviterId: inviter.id,
        inviteeId: m.id,
        status: 'pending',
        createdAt: now,
      })
      .onConflictDoNothing({ target: referrals.inviteeId }),
    // Only if the referral row was just written: changes() is the batch connection's last write.
    d
      .update(memberLoyalty)
      .set({ referredBy: inviter.id, deviceHash: sql`coalesce(${hash}, ${memberLoyalty.deviceHash})` })
      .where(and(eq(memberLoyalty.memberId, m.id), isNull(memberLoyalty.referredBy), sql`changes() = 1`)),
  ]);
  if (linked.meta.changes === 1 && person) {
    await d
      .insert(perkClaims)
      .values({ brandId: m.brandId, perk: REFERRED_PERK, personKey: person, memberId: m.id, createdAt: now })
      .onConflictDoNothing();
  }
  if (linked.meta.changes !== 1) {
    throw new ApiError(422, 'referral.refused', refusalText.already_referred!, {
      extra: { reason: 'already_referred' },
    });
  }
  return { inviterCode: code.trim().toUpperCase(), status: 'pending' as const };
}

/**
 * The invitee's first completed paid order rewards both sides, once: the referral row
 * moves pending → rewarded by one conditional UPDATE, and each credit is keyed by the
 * invitee. Points wait out the refund window like order points; milestones ("invite 3,
 * get a free combo") issue their coupon at the exact count.
 */
export async function rewardReferral(env: Env, invitee: MemberRef, orderId: string, total: number, now = Date.now()) {
  if (total <= 0) return null;
  const d = db(env);
  const link = { inviterId: referrals.inviterId, orderId: referrals.orderId };
  const moved = await d
    .update(referrals)
    .set({ status: 'rewarded', orderId, rewardedAt: now })
    .where(and(eq(referrals.inviteeId, invitee.id), eq(referrals.status, 'pending')))
    .returning(link)
    .get();
  // Already rewarded (a replay) still re-runs the credits: they are keyed, so only missing ones post.
  const row =
    moved ??
    (await d
      .select(link)
      .from(referrals)
      .where(and(eq(referrals.inviteeId, invitee.id), eq(referrals.status, 'rewarded')))
      .get());
  if (!row) return null;
  const rules = await loyaltyRules(env, invitee.brandId, now);
  const lot = {
    availableAt: now + rules.points.refundWindowDays * DAY,
    expiresAt: lotExpiresAt(now, rules.timeZone, rules.points.expiryMonths),
  };
  const inviter = { id: row.inviterId, brandId: invitee.brandId };
  await creditPoints(
    env,
    inviter,
    { kind: 'referral', ref: `inviter:${invitee.id}`, amount: rules.referral.inviterPoints, orderId: row.orderId, lot },
    now,
  );
  await creditPoints(
    env,
    invitee,
    { kind: 'referral', ref: `invitee:${invitee.id}`, amount: rules.referral.inviteePoints, orderId: row.orderId, lot },
    now,
  );
  await earnReferralCash(env, inviter, invitee.id, now);
  const rewarded = await d
    .select({ n: count() })
    .from(referrals)
    .where(and(eq(referrals.inviterId, inviter.id), eq(referrals.status, 'rewarded')))
    .get();
  for (const ms of milestonesReached(rules.referral.milestones, rewarded?.n ?? 0)) {
    await issueCoupon(
      env,
      {
        brandId: inviter.brandId,
        memberId: inviter.id,
        templateId: ms.templateId,
        issueKey: milestoneKey(inviter.id, ms.invites),
        source: 'referral',
      },
      now,
    );
  }
  return { inviterId: inviter.id };
}

/**
 * A referred guest's first order refunded in full: the referral stops counting toward the
 * inviter's milestones (`reversed`, never rewarded again). Milestone coupons the inviter no
 * longer reaches are revoked while still unused; one already used, or locked by an order
 * in flight, stays with the inviter (the brand bears it, as with any coupon spent before a
 * refund). Revoking frees the coupon's issue key, so reaching the milestone again with
 * another invite issues it again.
 */
export async function revokeReferralMilestones(env: Env, brandId: string, orderId: string, now = Date.now()) {
  const d = db(env);
  const reversed = await d
    .update(referrals)
    .set({ status: 'reversed' })
    .where(and(eq(referrals.orderId, orderId), eq(referrals.status, 'rewarded')))
    .returning({ inviterId: referrals.inviterId, inviteeId: referrals.inviteeId })
    .get();
  if (!reversed) return { revoked: 0 };
  await voidReferralCash(env, reversed.inviteeId);
  const rewarded = await d
    .select({ n: count() })
    .from(referrals)
    .where(and(eq(referrals.inviterId, reversed.inviterId), eq(referrals.status, 'rewarded')))
    .get();
  const rules = await loyaltyRules(env, brandId, now);
  const reached = new Set(milestonesReached(rules.referral.milestones, rewarded?.n ?? 0).map((m) => m.invites));
  let revoked = 0;
  for (const ms of rules.referral.milestones) {
    if (reached.has(ms.invites)) continue;
    const r = await d
      .update(memberCoupons)
      .set({ status: 'revoked', issueKey: sql`${memberCoupons.issueKey} || ':revoked:' || ${memberCoupons.id}` })
      .where(
        and(
          eq(memberCoupons.issueKey, milestoneKey(reversed.inviterId, ms.invites)),
          eq(memberCoupons.status, 'available'),
        ),
      );
    revoked += r.meta.changes;
  }
  return { revoked };
}

const milestoneKey = (inviterId: string, invites: number) => `referral_milestone:${inviterId}:${invites}`;
