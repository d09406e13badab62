import { referralCode } from '../../domain/loyalty/referral';
import { baseTier, type LoyaltyRules } from '../../domain/loyalty/rules';
import type { Env } from '../env';
import { loyaltyRules } from './loyalty-rules.service';

export interface Standing {
  memberId: string;
  brandId: string;
  tierId: string;
  tierSince: number;
  tierReviewAt: number;
  version: string;
  referralCode: string;
  referredBy: string | null;
  deviceHash: string | null;
  checkinStreak: number;
  lastCheckinDay: string | null;
}

const SELECT = `SELECT member_id AS memberId, brand_id AS brandId, tier_id AS tierId, tier_since AS tierSince,
  tier_review_at AS tierReviewAt, version, referral_code AS referralCode, referred_by AS referredBy,
  device_hash AS deviceHash, checkin_streak AS checkinStreak, last_checkin_day AS lastCheckinDay
  FROM member_loyalty WHERE member_id = ?`;

export const standingQuery = (env: Env, memberId: string) => env.DB.prepare(SELECT).bind(memberId);

export function addMonths(at: number, months: number): number {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

/**
 * The member's loyalty row, created on first use at the base tier with a fresh
 * referral code. Concurrent first uses converge on one row (INSERT OR IGNORE).
 */
export async function ensureStanding(
  env: Env,
  member: { id: string; brandId: string },
  now = Date.now(),
  rules?: LoyaltyRules,
): Promise<Standing> {
  const existing = await standingQuery(env, member.id).first<Standing>();
  if (existing) return existing;
  const r = rules ?? (await loyaltyRules(env, member.brandId, now));
  // OR IGNORE covers both a racing first use (same member) and a code another member
  // holds (unique per brand); only the second leaves no row, so draw again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = referralCode(crypto.getRandomValues(new Uint8Array(8)));
    await env.DB.prepare(
      `INSERT OR IGNORE INTO member_loyalty (member_id, brand_id, tier_id, tier_since, tier_review_at, version,
         referral_code, checkin_streak, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    )
      .bind(
        member.id,
        member.brandId,
        baseTier(r).id,
        now,
        addMonths(now, r.reviewMonths),
        crypto.randomUUID(),
        code,
        now,
      )
      .run();
    const row = await standingQuery(env, member.id).first<Standing>();
    if (row) return row;
  }
  throw new Error(`could not create loyalty standing for ${member.id}`);
}
