import { and, count, eq } from 'drizzle-orm';
import { birthdayWeek, isMemberDay } from '../../domain/loyalty/perks';
import { tierById } from '../../domain/loyalty/rules';
import { tierProgress } from '../../domain/loyalty/tiers';
import { isoInZone, localDay } from '../../domain/zoned-time';
import { gamePlays } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import type { MemberRow } from '../members/members.service';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';
import { pointsSummary } from './points.service';
import { tierStats } from './tiers.service';

/** The member's tier with its figures and progress, as the profile and tier page show it. */
export async function tierStanding(env: Env, m: MemberRow, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  const standing = await ensureStanding(env, m, now, rules);
  const tier = tierById(rules, standing.tierId);
  const stats = await tierStats(env, m.id, rules, now);
  return {
    id: tier.id,
    name: tier.name,
    since: isoInZone(standing.tierSince, rules.timeZone),
    reviewAt: isoInZone(standing.tierReviewAt, rules.timeZone),
    benefits: tier.benefits,
    ...stats,
    ...tierProgress(rules, tier.id, stats),
  };
}

export async function pointsBalance(env: Env, m: MemberRow, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  const s = await pointsSummary(env, m.id, now);
  return {
    available: s.available,
    pending: s.pending,
    nextExpiry: s.nextExpiry ? { at: isoInZone(s.nextExpiry.at, rules.timeZone), points: s.nextExpiry.points } : null,
  };
}

/** What is on for the member today: birthday week, member day, today's check-in and dice. */
export async function memberPerks(env: Env, m: MemberRow, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  const standing = await ensureStanding(env, m, now, rules);
  const today = localDay(now, rules.timeZone);
  const rolls = await db(env)
    .select({ n: count() })
    .from(gamePlays)
    .where(and(eq(gamePlays.memberId, m.id), eq(gamePlays.game, 'dice'), eq(gamePlays.day, today)))
    .get();
  return {
    birthdayWeek: birthdayWeek(m.birthday, now, rules.timeZone) !== null,
    memberDay: isMemberDay(rules, now),
    checkedInToday: standing.lastCheckinDay === today,
    checkInStreak: standing.checkinStreak,
    diceRollsLeft: Math.max(0, rules.dice.dailyLimit - (rolls?.n ?? 0)),
  };
}
