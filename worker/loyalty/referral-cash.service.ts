import { and, count, eq } from 'drizzle-orm';
import { REFERRAL_CASH_TAX_NOTE, referralCashState } from '../../domain/loyalty/referral';
import { referralCash, referrals } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { postWallet } from '../payments/wallet.service';
import { loyaltyRules } from './loyalty-rules.service';

const rewardedFriends = async (env: Env, inviterId: string) =>
  (
    await db(env)
      .select({ n: count() })
      .from(referrals)
      .where(and(eq(referrals.inviterId, inviterId), eq(referrals.status, 'rewarded')))
      .get()
  )?.n ?? 0;

/**
 * A friend's first order completed: the inviter's cash for that friend is recorded locked
 * (once per friend: `invitee_id` is unique), then everything locked unlocks if enough
 * friends have now completed one. Replays post nothing twice.
 */
export async function earnReferralCash(
  env: Env,
  inviter: { id: string; brandId: string },
  inviteeId: string,
  now = Date.now(),
) {
  const cash = (await loyaltyRules(env, inviter.brandId, now)).referral.cash;
  if (!cash) return;
  await db(env)
    .insert(referralCash)
    .values({
      id: newId('rfc'),
      brandId: inviter.brandId,
      inviterId: inviter.id,
      inviteeId,
      amount: cash.inviterCents,
      status: 'locked',
      createdAt: now,
    })
    .onConflictDoNothing()
    .run();
  await unlockReferralCash(env, inviter, cash.unlockAfterFriends, now);
}

/**
 * Moves locked cash into the wallet once enough friends completed a first order: each row's
 * credit is keyed by the row (a replay posts nothing), then the row is marked unlocked.
 */
async function unlockReferralCash(env: Env, inviter: { id: string; brandId: string }, after: number, now: number) {
  if ((await rewardedFriends(env, inviter.id)) < after) return;
  const d = db(env);
  const locked = await d
    .select({ id: referralCash.id, amount: referralCash.amount })
    .from(referralCash)
    .where(and(eq(referralCash.inviterId, inviter.id), eq(referralCash.status, 'locked')));
  for (const row of locked) {
    await postWallet(env, { memberId: inviter.id, brandId: inviter.brandId }, 'referral', row.id, row.amount, now);
    await d
      .update(referralCash)
      .set({ status: 'unlocked', unlockedAt: now })
      .where(and(eq(referralCash.id, row.id), eq(referralCash.status, 'locked')))
      .run();
  }
}

/** A friend's first order refunded in full while the cash for them is still locked: it is void. */
export async function voidReferralCash(env: Env, inviteeId: string) {
  await db(env)
    .update(referralCash)
    .set({ status: 'void' })
    .where(and(eq(referralCash.inviteeId, inviteeId), eq(referralCash.status, 'locked')))
    .run();
}

/** The member's referral cash: locked and unlocked amounts, progress, whether it can be withdrawn, the tax note. */
export async function referralCashSummary(env: Env, m: MemberRef, now = Date.now()) {
  const cash = (await loyaltyRules(env, m.brandId, now)).referral.cash;
  const rows = await db(env)
    .select({ amount: referralCash.amount, status: referralCash.status })
    .from(referralCash)
    .where(eq(referralCash.inviterId, m.id));
  const { unlocks: _, ...state } = referralCashState(
    rows,
    await rewardedFriends(env, m.id),
    cash?.unlockAfterFriends ?? 0,
  );
  return {
    enabled: !!cash,
    inviterCents: cash?.inviterCents ?? 0,
    ...state,
    withdrawable: cash?.withdrawable ?? false,
    taxNote: REFERRAL_CASH_TAX_NOTE,
  };
}
