import { rfmScores } from '../../domain/campaigns/targeting';
import { DAY } from '../../domain/time';
import type { Env } from '../env';

const PER_BATCH = 100;

/**
 * The nightly RFM run: recency from the last completed order, frequency and monetary over
 * the last 30 days, scored and segmented per member and upserted, so segment campaigns
 * and admins read one row per member.
 */
export async function recomputeSegments(env: Env, now = Date.now()) {
  const since = now - 30 * DAY;
  const { results } = await env.DB.prepare(
    `SELECT m.id, m.brand_id AS brandId, MAX(h.created_at) AS last,
       COALESCE(SUM(CASE WHEN h.created_at >= ? THEN 1 ELSE 0 END), 0) AS orders,
       COALESCE(SUM(CASE WHEN h.created_at >= ? THEN h.total ELSE 0 END), 0) AS spend
     FROM members m LEFT JOIN order_history h ON h.member_id = m.id AND h.status = 'completed'
     WHERE m.deleted_at IS NULL GROUP BY m.id`,
  )
    .bind(since, since)
    .all<{ id: string; brandId: string; last: number | null; orders: number; spend: number }>();
  const counts: Record<string, number> = {};
  for (let i = 0; i < results.length; i += PER_BATCH) {
    await env.DB.batch(
      results.slice(i, i + PER_BATCH).map((r) => {
        const s = rfmScores({ lastOrderAt: r.last, orders: r.orders, spend: r.spend }, now);
        counts[s.segment] = (counts[s.segment] ?? 0) + 1;
        return env.DB.prepare(
          `INSERT INTO member_segments (member_id, brand_id, r, f, m, segment, last_order_at, orders, spend, computed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(member_id) DO UPDATE SET r = excluded.r, f = excluded.f, m = excluded.m, segment = excluded.segment,
             last_order_at = excluded.last_order_at, orders = excluded.orders, spend = excluded.spend, computed_at = excluded.computed_at`,
        ).bind(r.id, r.brandId, s.r, s.f, s.m, s.segment, r.last, r.orders, r.spend, now);
      }),
    );
  }
  return { members: results.length, segments: counts };
}
