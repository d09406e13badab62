import { and, eq } from 'drizzle-orm';
import { checkIn } from '../../domain/loyalty/perks';
import { localDay } from '../../domain/zoned-time';
import { gamePlays, memberLoyalty } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';
import { creditPoints, instantLot } from './points.service';

const alreadyCheckedIn = () => new ApiError(409, 'checkin.done_today', 'Already checked in today.');

/**
 * Today's check-in. The (member, day) slot is unique, so a double tap checks in once;
 * the streak continues from yesterday or starts again.
 */
export async function checkInToday(env: Env, m: MemberRef, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  const standing = await ensureStanding(env, m, now, rules);
  const today = localDay(now, rules.timeZone);
  const next = checkIn(
    { streak: standing.checkinStreak, lastDay: standing.lastCheckinDay },
    today,
    rules.checkIn.rewards,
  );
  if (!next) {
    await creditTodaysCheckIn(env, m, today, now);
    throw alreadyCheckedIn();
  }
  const d = db(env);
  try {
    await d.batch([
      d.insert(gamePlays).values({
        id: newId('gpl'),
        brandId: m.brandId,
        memberId: m.id,
        game: 'checkin',
        day: today,
        n: 1,
        outcome: JSON.stringify({ streak: next.streak }),
        points: next.points,
        createdAt: now,
      }),
      d
        .update(memberLoyalty)
        .set({ checkinStreak: next.streak, lastCheckinDay: today })
        .where(eq(memberLoyalty.memberId, m.id)),
    ]);
  } catch (e) {
    if (/UNIQUE/i.test(String((e as Error)?.cause ?? e))) {
      await creditTodaysCheckIn(env, m, today, now);
      throw alreadyCheckedIn();
    }
    throw e;
  }
  await creditTodaysCheckIn(env, m, today, now);
  return { day: today, streak: next.streak, points: next.points };
}

/**
 * Credits today's check-in, keyed by its play: the first call posts it, and a repeat
 * (a double tap, or a retry after the credit failed) posts only what is still missing.
 */
async function creditTodaysCheckIn(env: Env, m: MemberRef, today: string, now: number) {
  const play = await db(env)
    .select({ id: gamePlays.id, points: gamePlays.points, outcome: gamePlays.outcome })
    .from(gamePlays)
    .where(
      and(eq(gamePlays.memberId, m.id), eq(gamePlays.game, 'checkin'), eq(gamePlays.day, today), eq(gamePlays.n, 1)),
    )
    .get();
  if (!play) return;
  await creditPoints(
    env,
    m,
    {
      kind: 'checkin',
      ref: play.id,
      amount: play.points,
      detail: { day: today, ...(JSON.parse(play.outcome) as Record<string, unknown>) },
      lot: await instantLot(env, m, now),
    },
    now,
  );
}
