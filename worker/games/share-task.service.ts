import { and, count, eq, isNull } from 'drizzle-orm';
import { openKey, shareTaskState } from '../../domain/games/share-task';
import { localDay } from '../../domain/zoned-time';
import { memberLoyalty, members, wheelShareOpens, wheelSpins, wheels } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { type Db, db } from '../lib/db';
import { h5Url } from '../lib/h5-links';
import { newId } from '../lib/ids';
import { ensureStanding } from '../loyalty/loyalty-account.service';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import type { MemberRef } from '../members/members.service';

/** How many distinct opens of a member's link to a wheel counted on a day. */
export const sharedOpensQuery = (d: Db, wheelId: string, sharerId: string, day: string) =>
  d
    .select({ n: count() })
    .from(wheelShareOpens)
    .where(
      and(eq(wheelShareOpens.wheelId, wheelId), eq(wheelShareOpens.sharerId, sharerId), eq(wheelShareOpens.day, day)),
    );

async function wheelOf(env: Env, brandId: string, wheelId: string) {
  const w = await db(env)
    .select({ id: wheels.id, sharesForFreeSpin: wheels.sharesForFreeSpin })
    .from(wheels)
    .where(and(eq(wheels.id, wheelId), eq(wheels.brandId, brandId)))
    .get();
  if (!w) throw notFound('wheel', wheelId);
  return w;
}

async function taskToday(
  env: Env,
  wheel: { id: string; sharesForFreeSpin: number | null },
  sharerId: string,
  day: string,
) {
  const d = db(env);
  const [opens, free] = await d.batch([
    sharedOpensQuery(d, wheel.id, sharerId, day),
    d
      .select({ n: count() })
      .from(wheelSpins)
      .where(
        and(
          eq(wheelSpins.wheelId, wheel.id),
          eq(wheelSpins.memberId, sharerId),
          eq(wheelSpins.day, day),
          eq(wheelSpins.n, 0),
        ),
      ),
  ]);
  return shareTaskState(opens[0]!.n, wheel.sharesForFreeSpin, free[0]!.n > 0);
}

/** The member's link to share a wheel (the referral link, naming the wheel) and today's progress. */
export async function shareTask(env: Env, m: MemberRef, wheelId: string, now = Date.now()) {
  const wheel = await wheelOf(env, m.brandId, wheelId);
  const rules = await loyaltyRules(env, m.brandId, now);
  const standing = await ensureStanding(env, m, now, rules);
  const day = localDay(now, rules.timeZone);
  return {
    code: standing.referralCode,
    shareUrl: h5Url(env, `/r/${standing.referralCode}?wheel=${wheelId}`),
    day,
    ...(await taskToday(env, wheel, m.id, day)),
  };
}

/**
 * A friend opened a member's shared link. Counted once per friend and once per group a
 * day (two unique keys); the sharer opening their own link counts for nothing.
 */
export async function recordShareOpen(
  env: Env,
  opener: MemberRef,
  wheelId: string,
  body: { code: string; openGId?: string },
  now = Date.now(),
) {
  const wheel = await wheelOf(env, opener.brandId, wheelId);
  if (wheel.sharesForFreeSpin === null) throw new ApiError(409, 'wheel.no_share_task', 'This wheel has no share task.');
  const d = db(env);
  const code = body.code.trim().toUpperCase();
  const sharer = await d
    .select({ id: memberLoyalty.memberId })
    .from(memberLoyalty)
    .innerJoin(members, eq(members.id, memberLoyalty.memberId))
    .where(
      and(eq(memberLoyalty.brandId, opener.brandId), eq(memberLoyalty.referralCode, code), isNull(members.deletedAt)),
    )
    .get();
  if (!sharer) throw new ApiError(404, 'referral.code_not_found', `No member has the code ${code}.`);
  const { timeZone } = await loyaltyRules(env, opener.brandId, now);
  const day = localDay(now, timeZone);
  let counted = false;
  if (sharer.id !== opener.id) {
    const res = await d
      .insert(wheelShareOpens)
      .values({
        id: newId('wso'),
        brandId: opener.brandId,
        wheelId,
        sharerId: sharer.id,
        day,
        openerId: opener.id,
        openKey: openKey({ memberId: opener.id, openGId: body.openGId }),
        createdAt: now,
      })
      .onConflictDoNothing()
      .run();
    counted = res.meta.changes === 1;
  }
  const reason = counted ? null : sharer.id === opener.id ? 'self' : 'already_counted';
  const task = await taskToday(env, wheel, sharer.id, day);
  // The opener sees the count and the goal, not whether the sharer has spun.
  return { counted, reason, opens: task.opens, needed: task.needed } as const;
}
