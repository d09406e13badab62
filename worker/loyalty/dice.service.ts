import { and, eq } from 'drizzle-orm';
import { diceOdds, rollDice } from '../../domain/loyalty/perks';
import { localDay } from '../../domain/zoned-time';
import { gamePlays } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';
import { creditPoints, instantLot, spendPoints } from './points.service';

/**
 * One roll of the points dice. The daily limit is enforced by unique (member, day, n)
 * slots taken in order, so concurrent rolls can never exceed it; every roll is kept.
 */
export async function rollDiceToday(env: Env, m: MemberRef, now = Date.now()) {
  const rules = await loyaltyRules(env, m.brandId, now);
  await ensureStanding(env, m, now, rules);
  const today = localDay(now, rules.timeZone);
  const { faces, dailyLimit, costPoints } = rules.dice;
  const playId = newId('gpl');
  const r = crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
  const face = rollDice(faces, r);
  const points = faces[face]!.points;
  const d = db(env);
  let slot = 0;
  for (let n = 1; n <= dailyLimit && slot === 0; n++) {
    const res = await d
      .insert(gamePlays)
      .values({
        id: playId,
        brandId: m.brandId,
        memberId: m.id,
        game: 'dice',
        day: today,
        n,
        outcome: JSON.stringify({ face, draw: r }),
        points,
        createdAt: now,
      })
      .onConflictDoNothing()
      .run();
    if (res.meta.changes === 1) slot = n;
  }
  if (slot === 0) {
    await creditDicePlays(env, m, today, now);
    throw new ApiError(409, 'dice.done_today', 'No rolls left today.');
  }
  if (costPoints > 0) {
    const paid = await spendPoints(env, m, 'dice', `${playId}:cost`, costPoints, { day: today }, now);
    if (!paid.ok) {
      await d.delete(gamePlays).where(eq(gamePlays.id, playId)).run();
      throw new ApiError(409, 'points.insufficient', `A roll costs ${costPoints} points.`, {
        extra: { available: paid.spendable, needed: costPoints },
      });
    }
  }
  await creditDicePlays(env, m, today, now);
  return { rollId: playId, face, points, rollsLeft: dailyLimit - slot, odds: diceOdds(faces) };
}

/** Credits today's rolls, each keyed by its play, so a roll whose credit failed is paid on the next call. */
async function creditDicePlays(env: Env, m: MemberRef, today: string, now: number) {
  const plays = await db(env)
    .select({ id: gamePlays.id, points: gamePlays.points, outcome: gamePlays.outcome })
    .from(gamePlays)
    .where(and(eq(gamePlays.memberId, m.id), eq(gamePlays.game, 'dice'), eq(gamePlays.day, today)));
  for (const play of plays) {
    const { face } = JSON.parse(play.outcome) as { face: number };
    await creditPoints(
      env,
      m,
      {
        kind: 'dice',
        ref: play.id,
        amount: play.points,
        detail: { face, day: today },
        lot: await instantLot(env, m, now),
      },
      now,
    );
  }
}
