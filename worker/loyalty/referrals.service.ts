import { lotExpiresAt } from '../../domain/loyalty/points';
import { milestonesReached, referralRefusal } from '../../domain/loyalty/referral';
import { DAY } from '../../domain/time';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { phoneLookupHash } from '../members/phone';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';
import { creditPoints } from './points.service';

const deviceKey = (env: Env, deviceId: string) => phoneLookupHash(env, `device:${deviceId}`);

/** The member's code, share link and poster payload, with invite progress. */
export async function referralInfo(env: Env, m: MemberRef, deviceId?: string, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  const standing = await ensureStanding(env, m, now, rules);
  if (deviceId && !standing.deviceHash) {
    // Remember the inviter's device: an invitee on the same device is the inviter again.
    await env.DB.prepare('UPDATE member_loyalty SET device_hash = ? WHERE member_id = ? AND device_hash IS NULL')
      .bind(await deviceKey(env, deviceId), m.id)
      .run();
  }
  const counts = await env.DB.prepare(
    `SELECT COUNT(*) AS invited, COALESCE(SUM(status = 'rewarded'), 0) AS rewarded FROM referrals WHERE inviter_id = ?`,
  )
    .bind(m.id)
    .first<{ invited: number; rewarded: number }>();
  const code = standing.referralCode;
  return {
    code,
    shareUrl: `${env.H5_BASE_URL}/r/${code}`,
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

/** A new guest enters an inviter's code. Refusals are 422 `referral.refused` with the reason. */
export async function bindReferral(
  env: Env,
  m: MemberRef,
  code: string,
  deviceId: string | undefined,
  now = Date.now(),
) {
  const standing = await ensureStanding(env, m, now);
  const inviter = await env.DB.prepare(
    'SELECT member_id AS id, referred_by AS up FROM member_loyalty WHERE brand_id = ? AND referral_code = ?',
  )
    .bind(m.brandId, code.trim().toUpperCase())
    .first<{ id: string; up: string | null }>();
  if (!inviter) throw new ApiError(404, 'referral.code_not_found', `No member has the code ${code}.`);
  const chain: string[] = [];
  for (let up = inviter.up; up && chain.length < 20 && !chain.includes(up); ) {
    chain.push(up);
    const next = await env.DB.prepare('SELECT referred_by AS up FROM member_loyalty WHERE member_id = ?')
      .bind(up)
      .first<{ up: string | null }>();
    up = next?.up ?? null;
  }
  const hash = deviceId ? await deviceKey(env, deviceId) : null;
  const [orders, device] = await env.DB.batch([
    env.DB.prepare(`SELECT COUNT(*) AS n FROM order_history WHERE member_id = ? AND status = 'completed'`).bind(m.id),
    env.DB.prepare('SELECT COUNT(*) AS n FROM member_loyalty WHERE device_hash = ? AND member_id != ?').bind(
      hash,
      m.id,
    ),
  ]);
  const refusal = referralRefusal({
    inviterId: inviter.id,
    inviteeId: m.id,
    inviterChain: chain,
    inviteeAlreadyReferred: standing.referredBy !== null,
    inviteeCompletedOrders: (orders!.results[0] as { n: number }).n,
    deviceSeen: hash !== null && (device!.results[0] as { n: number }).n > 0,
  });
  if (refusal) {
    throw new ApiError(422, 'referral.refused', refusalText[refusal]!, { extra: { reason: refusal } });
  }
  const [linked] = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO referrals (id, brand_id, inviter_id, invitee_id, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)
       ON CONFLICT(invitee_id) DO NOTHING`,
    ).bind(newId('ref'), m.brandId, inviter.id, m.id, now),
    env.DB.prepare(
      `UPDATE member_loyalty SET referred_by = ?, device_hash = coalesce(?, device_hash)
       WHERE member_id = ? AND referred_by IS NULL AND changes() = 1`,
    ).bind(inviter.id, hash, m.id),
  ]);
  if (linked!.meta.changes !== 1) {
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
  const moved = await env.DB.prepare(
    `UPDATE referrals SET status = 'rewarded', order_id = ?, rewarded_at = ? WHERE invitee_id = ? AND status = 'pending'
     RETURNING inviter_id AS inviterId, order_id AS orderId`,
  )
    .bind(orderId, now, invitee.id)
    .first<{ inviterId: string; orderId: string }>();
  // Already rewarded (a replay) still re-runs the credits: they are keyed, so only missing ones post.
  const row =
    moved ??
    (await env.DB.prepare(
      `SELECT inviter_id AS inviterId, order_id AS orderId FROM referrals WHERE invitee_id = ? AND status = 'rewarded'`,
    )
      .bind(invitee.id)
      .first<{ inviterId: string; orderId: string }>());
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
  const count = await env.DB.prepare(`SELECT COUNT(*) AS n FROM referrals WHERE inviter_id = ? AND status = 'rewarded'`)
    .bind(inviter.id)
    .first<{ n: number }>();
  for (const ms of milestonesReached(rules.referral.milestones, count?.n ?? 0)) {
    await issueCoupon(
      env,
      {
        brandId: inviter.brandId,
        memberId: inviter.id,
        templateId: ms.templateId,
        issueKey: `referral_milestone:${inviter.id}:${ms.invites}`,
        source: 'referral',
      },
      now,
    );
  }
  return { inviterId: inviter.id };
}
