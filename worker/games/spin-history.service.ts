import { and, desc, eq, or, sql } from 'drizzle-orm';
import { isoInZone } from '../../domain/zoned-time';
import { wheelPrizes, wheelSpins, wheels } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound, validationFailed } from '../http/errors';
import { db } from '../lib/db';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';
import type { MemberRef } from '../members/members.service';

/** The cursor is the last spin's time and id: spins in the same millisecond still page apart. */
const cursorOf = (s: { createdAt: number; id: string }) => `${s.createdAt}_${s.id}`;

function parseCursor(before: string) {
  const m = /^(\d{1,16})_([\w-]{1,64})$/.exec(before);
  if (!m) throw validationFailed([{ path: 'before', message: 'not a cursor this route gave' }]);
  return { at: Number(m[1]), id: m[2]! };
}

/** A member's spins of one wheel, newest first, a page at a time. */
export async function spinHistory(env: Env, m: MemberRef, wheelId: string, limit: number, before?: string) {
  const d = db(env);
  const wheel = await d
    .select({ id: wheels.id })
    .from(wheels)
    .where(and(eq(wheels.id, wheelId), eq(wheels.brandId, m.brandId)))
    .get();
  if (!wheel) throw notFound('wheel', wheelId);
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
  const { timeZone } = await loyaltyRules(env, m.brandId);
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
    nextCursor: rows.length > limit ? cursorOf(page[page.length - 1]!) : null,
  };
}
