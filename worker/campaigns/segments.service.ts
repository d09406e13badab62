import { and, eq, isNull, sql } from 'drizzle-orm';
import { rfmScores } from '../../domain/campaigns/targeting';
import { DAY } from '../../domain/time';
import { memberSegments, members, orderHistory } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

const PER_BATCH = 100;

/** Takes the recomputed value of every score column when the member already has a row. */
const fromExcluded = (cols: (keyof typeof memberSegments.$inferInsert)[]) =>
  Object.fromEntries(cols.map((c) => [c, sql.raw(`excluded.${memberSegments[c].name}`)]));

/**
 * The nightly RFM run: recency from the last completed order, frequency and monetary over
 * the last 30 days, scored and segmented per member and upserted, so segment campaigns
 * and admins read one row per member.
 */
export async function recomputeSegments(env: Env, now = Date.now()) {
  const since = now - 30 * DAY;
  const h = orderHistory;
  const d = db(env);
  const results = await d
    .select({
      id: members.id,
      brandId: members.brandId,
      last: sql<number | null>`MAX(${h.createdAt})`,
      orders: sql<number>`COALESCE(SUM(CASE WHEN ${h.createdAt} >= ${since} THEN 1 ELSE 0 END), 0)`,
      spend: sql<number>`COALESCE(SUM(CASE WHEN ${h.createdAt} >= ${since} THEN ${h.total} ELSE 0 END), 0)`,
    })
    .from(members)
    .leftJoin(h, and(eq(h.memberId, members.id), eq(h.status, 'completed')))
    .where(isNull(members.deletedAt))
    .groupBy(members.id);
  const counts: Record<string, number> = {};
  const set = fromExcluded(['r', 'f', 'm', 'segment', 'lastOrderAt', 'orders', 'spend', 'computedAt']);
  for (let i = 0; i < results.length; i += PER_BATCH) {
    const rows = results.slice(i, i + PER_BATCH).map((r) => {
      const s = rfmScores({ lastOrderAt: r.last, orders: r.orders, spend: r.spend }, now);
      counts[s.segment] = (counts[s.segment] ?? 0) + 1;
      return {
        memberId: r.id,
        brandId: r.brandId,
        r: s.r,
        f: s.f,
        m: s.m,
        segment: s.segment,
        lastOrderAt: r.last,
        orders: r.orders,
        spend: r.spend,
        computedAt: now,
      };
    });
    const [first, ...rest] = rows.map((row) =>
      d.insert(memberSegments).values(row).onConflictDoUpdate({ target: memberSegments.memberId, set }),
    );
    if (first) await d.batch([first, ...rest]);
  }
  return { members: results.length, segments: counts };
}

/** The living members the nightly RFM run put in a segment of the brand. */
export async function segmentMembers(env: Env, brandId: string, segment: string) {
  const s = memberSegments;
  const rows = await db(env)
    .select({ id: s.memberId })
    .from(s)
    .innerJoin(members, and(eq(members.id, s.memberId), isNull(members.deletedAt)))
    .where(and(eq(s.brandId, brandId), eq(s.segment, segment)));
  return rows.map((r) => r.id);
}
