/* Referral rules: who may invite whom, and when a code is honoured. */

export type ReferralRefusal = 'self' | 'loop' | 'already_referred' | 'not_new' | 'device_used';

export interface ReferralCheck {
  inviterId: string;
  inviteeId: string;
  /** Both accounts belong to one WeChat identity (server-known, not the client's word). */
  samePerson?: boolean;
  /** The inviter's own chain of inviters, nearest first. */
  inviterChain: readonly string[];
  inviteeAlreadyReferred: boolean;
  /** Completed orders the invitee already has: only new guests can be referred. */
  inviteeCompletedOrders: number;
  /** The invitee's device already bound a referral, or it is the inviter's device. */
  deviceSeen: boolean;
}

/** Why a referral is refused, or null to accept it. The order of checks is the order of blame. */
export function referralRefusal(c: ReferralCheck): ReferralRefusal | null {
  if (c.inviterId === c.inviteeId || c.samePerson) return 'self';
  if (c.inviterChain.includes(c.inviteeId)) return 'loop';
  if (c.inviteeAlreadyReferred) return 'already_referred';
  if (c.inviteeCompletedOrders > 0) return 'not_new';
  if (c.deviceSeen) return 'device_used';
  return null;
}

/**
 * Milestones reached with `rewarded` successful invites. All reached ones, not only the
 * one at the exact count: issuance is keyed per milestone, so a missed one catches up.
 */
export function milestonesReached<T extends { invites: number }>(milestones: readonly T[], rewarded: number): T[] {
  return milestones.filter((m) => m.invites <= rewarded);
}

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** An 8-character code without look-alike characters (0/O, 1/I), from random bytes. */
export function referralCode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += ALPHABET[(bytes[i] ?? 0) % ALPHABET.length];
  return s;
}

/**
 * Shown with every referral cash answer. Cash rewards for inviting friends can be taxable
 * income in China (偶然所得) once they can be withdrawn; spent in the brand's stores they
 * are a discount. The text says so rather than leaving the guest to guess.
 */
export const REFERRAL_CASH_TAX_NOTE =
  '邀请奖励以储值余额发放，仅限在本品牌门店消费；如品牌开放提现，提现部分可能属于个人所得税“偶然所得”，' +
  '由品牌依法代扣代缴。Referral cash is stored value for use in our stores; if the brand allows withdrawal, ' +
  'withdrawn amounts may be taxable income that the brand withholds as the law requires.';

/**
 * Where a member's referral cash stands: it stays locked until `unlockAfterFriends` invited
 * friends have completed a first order, then all of it unlocks into the wallet.
 */
export function referralCashState(
  rows: readonly { amount: number; status: 'locked' | 'unlocked' | 'void' }[],
  rewardedFriends: number,
  unlockAfterFriends: number,
) {
  const sum = (s: string) => rows.filter((r) => r.status === s).reduce((t, r) => t + r.amount, 0);
  return {
    lockedCents: sum('locked'),
    unlockedCents: sum('unlocked'),
    friendsCompleted: rewardedFriends,
    friendsNeeded: unlockAfterFriends,
    unlocks: rewardedFriends >= unlockAfterFriends,
  };
}
