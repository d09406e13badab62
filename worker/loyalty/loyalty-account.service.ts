import { eq } from 'drizzle-orm';
import { referralCode } from '../../domain/loyalty/referral';
import { baseTier, type LoyaltyRules } from '../../domain/loyalty/rules';
import { memberLoyalty } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';
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

const standingFields = {
  memberId: memberLoyalty.memberId,
  brandId: memberLoyalty.brandId,
  tierId: memberLoyalty.tierId,
  tierSince: memberLoyalty.tierSince,
  tierReviewAt: memberLoyalty.tierReviewAt,
  version: memberLoyalty.version,
  referralCode: memberLoyalty.referralCode,
  referredBy: memberLoyalty.referredBy,
  deviceHash: memberLoyalty.deviceHash,
  checkinStreak: memberLoyalty.checkinStreak,
  lastCheckinDay: memberLoyalty.lastCheckinDay,
} satisfies { [K in keyof Standing]: unknown };

/** The member's standing row as a query (zero or one row), so callers can put it in a `db.batch`. */
export const standingQuery = (d: Db, memberId: string) =>
  d.select(standingFields).from(memberLoyalty).where(eq(memberLoyalty.memberId, memberId));

export function addMonths(at: number, months: number): number {
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

/**
 * The member's loyalty row, created on first use at the base tier with a fresh
 * referral code. Concurrent first uses converge on one row (ON CONFLICT DO NOTHING).
 */
export async function ensureStanding(
  env: Env,
  member: { id: string; brandId: string },
  now = Date.now(),
  rules?: LoyaltyRules,
): Promise<Standing> {
  const d = db(env);
  const existing = await standingQuery(d, member.id).get();
  if (existing) return existing;
  const r = rules ?? (await loyaltyRules(env, member.brandId, now));
  // DO NOTHING covers both a racing first use (same member) and a code another member
  // holds (unique per brand); only the second leaves no row, so draw again.
  for (let attempt = 0; attempt < 5; attempt++) {
    await d
      .insert(memberLoyalty)
      .values({
        memberId: member.id,
        brandId: member.brandId,
        tierId: baseTier(r).id,
        tierSince: now,
        tierReviewAt: addMonths(now, r.reviewMonths),
        version: crypto.randomUUID(),
        referralCode: referralCode(crypto.getRandomValues(new Uint8Array(8))),
        checkinStreak: 0,
        createdAt: now,
      })
      .onConflictDoNothing()
      .run();
    const row = await standingQuery(d, member.id).get();
    if (row) return row;
  }
  throw new Error(`could not create loyalty standing for ${member.id}`);
}
