import { and, count, desc, eq, or, sql } from 'drizzle-orm';
import { shareTaskState } from '../../domain/games/share-task';
import { isoInZone, localDay } from '../../domain/zoned-time';
import { wheelPrizes, wheelSpins, wheels } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound, validationFailed } from '../http/errors';
import { db } from '../lib/db';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import type { MemberRef } from '../members/members.service';
import { sharedOpensQuery } from './share-task.service';

/** The cursor is the last spin's time and id: spins in the same millisecond still page apart. */
const cursorOf = (s: { createdAt: number; id: string }) => `${s.createdAt}_${s.id}`;

function parseCursor(before: string) {
  const m = /^(\d{1,16})_([\w-]{1,64})$/.exec(before);
  if (!m) throw validationFailed([{ path: 'before', message: 'not a cursor this route gave' }]);
  return { at: Number(m[1]), id: m[2]! };
}

/**
 * A member's spins of one wheel, newest first, a page at a time, with where they stand today
 * (paid spins left, and the share task's free spin) so the page can say "no more today"
 * before the guest tries.
 */
export async function spinHistory(
  env: Env,
  m: MemberRef,
  wheelId: string,
  limit: number,
  before?: string,
  now = Date.now(),
) {
  const d = db(env);
  const { timeZone } = await loyaltyRules(env, m.brandId, now);
  const day = localDay(now, timeZone);
  const [found, today, opens] = await d.batch([
    d
      .select({ dailyLimit: wheels.dailyLimit, sharesForFreeSpin: wheels.sharesForFreeSpin })
      .from(wheels)
      .where(and(eq(wheels.id, wheelId), eq(wheels.brandId, m.brandId))),
    d
      .select({ n: count(), free: sql<number>`COALESCE(SUM(${wheelSpins.n} = 0), 0)` })
      .from(wheelSpins)
      .where(and(eq(wheelSpins.wheelId, wheelId), eq(wheelSpins.memberId, m.id), eq(wheelSpins.day, day))),
    sharedOpensQuery(d, wheelId, m.id, day),
  ]);
  const wheel = found[0];
  if (!wheel) throw notFound('wheel', wheelId);
  const paid = today[0]!.n - today[0]!.free;
  const task = shareTaskState(opens[0]!.n, wheel.sharesForFreeSpin, today[0]!.free > 0);
  const c = before ? parseCursor(before) : null;
  const s = wheelSpins;
  const rows = await d
    .select({
      id: s.id,
      wheelId: s.wheelId,
      day: s.day,
      n: s.n,
      prizeId: s.prizeId,
      label: sql<string>`coalesce(${wheelPrizes.label}, '')`,
      kind: s.kind,
      points: s.points,
      couponId: s.couponId,
      costPoints: s.costPoints,
      createdAt: s.createdAt,
    })
    .from(s)
    .leftJoin(wheelPrizes, eq(wheelPrizes.id, s.prizeId))
    .where(
      and(
        eq(s.memberId, m.id),
        eq(s.wheelId, wheelId),
        c ? or(sql`${s.createdAt} < ${c.at}`, and(eq(s.createdAt, c.at), sql`${s.id} < ${c.id}`)) : undefined,
      ),
    )
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    spins: page.map((r) => ({
      id: r.id,
      wheelId: r.wheelId,
      day: r.day,
      prize: { id: r.prizeId, label: r.label, kind: r.kind, points: r.points, couponId: r.couponId },
      costPoints: r.costPoints,
      free: r.n === 0,
      createdAt: isoInZone(r.createdAt, timeZone),
    })),
    today: { day, spinsLeft: Math.max(0, wheel.dailyLimit - paid), freeSpinAvailable: task.freeSpinAvailable },
    nextCursor: rows.length > limit ? cursorOf(page[page.length - 1]!) : null,
  };
}
