import { and, eq, isNull } from 'drizzle-orm';
import { memberLoyalty, members } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { loyaltyRules } from './loyalty-rules.service';

/** A nickname as a stranger may see it: its first character, the rest hidden ("小**"). */
export const maskNickname = (nickname: string) => {
  const chars = [...nickname.trim()];
  return chars.length === 0 ? null : `${chars[0]}**`;
};

/**
 * What a referral link shows before the visitor signs in: that the code is live, who shared
 * it (masked nickname) and what both sides get. An erased inviter's code is dead (404).
 */
export async function referralPreview(env: Env, brandId: string, code: string) {
  const normalized = code.trim().toUpperCase();
  const inviter = await db(env)
    .select({ nickname: members.nickname })
    .from(memberLoyalty)
    .innerJoin(members, eq(members.id, memberLoyalty.memberId))
    .where(
      and(eq(memberLoyalty.brandId, brandId), eq(memberLoyalty.referralCode, normalized), isNull(members.deletedAt)),
    )
    .get();
  if (!inviter) throw new ApiError(404, 'referral.code_not_found', `No member has the code ${normalized}.`);
  const rules = await loyaltyRules(env, brandId);
  return {
    code: normalized,
    inviter: { nickname: maskNickname(inviter.nickname) },
    rewards: { inviterPoints: rules.referral.inviterPoints, inviteePoints: rules.referral.inviteePoints },
  };
}
