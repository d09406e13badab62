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
