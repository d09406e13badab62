import { count, inArray, sql } from 'drizzle-orm';
import type { Promotion } from '../../domain/pricing';
import { promotionUses as u } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

const limited = (p: Promotion) => p.limits?.perGuest !== undefined || p.limits?.total !== undefined;

/**
 * The promotions this guest may still get: those without limits, and limited ones with uses
 * left (one D1 read, only when some promotion has limits). A per-guest limit needs a
 * signed-in guest. Placement claims the use for real (durable-objects/store/orders/promotion-uses.ts),
 * so a race between two orders ends in one 409, never in an extra use.
 */
export async function promotionsWithUsesLeft(
  env: Env,
  promotions: readonly Promotion[],
  memberId: string | undefined,
): Promise<Promotion[]> {
  const capped = promotions.filter(limited);
  if (capped.length === 0) return [...promotions];
  const rows = await db(env)
    .select({
      id: u.promotionId,
      total: count(),
      mine: sql<number>`coalesce(sum(case when ${u.memberId} = ${memberId ?? ''} then 1 else 0 end), 0)`,
    })
    .from(u)
    .where(
      inArray(
        u.promotionId,
        capped.map((p) => p.id),
      ),
    )
    .groupBy(u.promotionId);
  const used = new Map(rows.map((r) => [r.id, r]));
  return promotions.filter((p) => {
    if (!limited(p)) return true;
    const { perGuest, total } = p.limits ?? {};
    const r = used.get(p.id);
    if (total !== undefined && (r?.total ?? 0) >= total) return false;
    if (perGuest !== undefined && (!memberId || Number(r?.mine ?? 0) >= perGuest)) return false;
    return true;
  });
}
