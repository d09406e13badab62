import { and, eq, gt, isNull, lte, notExists, sql } from 'drizzle-orm';
import { DAY } from '../../domain/time';
import { localDay } from '../../domain/zoned-time';
import { members, notifications, pointsLots } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { notify } from '../notify/pushes.service';
import { loyaltyRules } from './loyalty-rules.service';

/** Warns members a month ahead that points will expire; one push per member per expiry date. */
export async function expiryReminders(env: Env, now = Date.now()) {
  const d = db(env);
  // The push key (below) of a lot group: groups already reminded are skipped in the query.
  const pushKey = sql`${'points_expiring:'} || ${pointsLots.memberId} || ${':'} || ${pointsLots.expiresAt}`;
  const results = await d
    .select({
      memberId: pointsLots.memberId,
      brandId: pointsLots.brandId,
      at: pointsLots.expiresAt,
      points: sql<number>`SUM(${pointsLots.remaining})`,
    })
    .from(pointsLots)
    .innerJoin(members, eq(members.id, pointsLots.memberId))
    .where(
      and(
        gt(pointsLots.remaining, 0),
        gt(pointsLots.expiresAt, now),
        lte(pointsLots.expiresAt, now + 90 * DAY),
        isNull(members.deletedAt),
        notExists(d.select({ one: sql`1` }).from(notifications).where(eq(notifications.key, pushKey))),
      ),
    )
    .groupBy(pointsLots.memberId, pointsLots.brandId, pointsLots.expiresAt)
    .orderBy(pointsLots.expiresAt)
    .limit(1000);
  let sent = 0;
  for (const r of results) {
    const rules = await loyaltyRules(env, r.brandId, now);
    if (r.at > now + rules.points.reminderDays * DAY) continue;
    const id = await notify(
      env,
      {
        brandId: r.brandId,
        memberId: r.memberId,
        category: 'transactional',
        template: 'points_expiring',
        data: { points: String(r.points), date: localDay(r.at - 1, rules.timeZone) },
        page: 'pages/points/index',
        key: `points_expiring:${r.memberId}:${r.at}`,
      },
      now,
    );
    if (id) sent++;
  }
  return { sent };
}
