import { and, count, desc, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import { type LoyaltyRules, tierById } from '../../domain/loyalty/rules';
import { reviewFor, type TierStats, upgradeFor } from '../../domain/loyalty/tiers';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { memberLoyalty, members, orderHistory, refunds, tierHistory } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { selectList } from '../lib/insert-select';
import { notify } from '../notify/pushes.service';
import { addMonths, ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';

/** Rolling spend (net of refunds) and completed orders over the qualifying window. */
export async function tierStats(env: Env, memberId: string, rules: LoyaltyRules, now = Date.now()): Promise<TierStats> {
  const since = addMonths(now, -rules.qualifyingMonths);
  const completedSince = and(
    eq(orderHistory.memberId, memberId),
    eq(orderHistory.status, 'completed'),
    gte(orderHistory.createdAt, since),
  );
  const d = db(env);
  const [o, r] = await d.batch([
    d
      .select({
        orders: count().as('orders'),
        spend: sql<number>`COALESCE(SUM(${orderHistory.total}), 0)`.as('spend'),
      })
      .from(orderHistory)
      .where(completedSince),
    d
      .select({ refunded: sql<number>`COALESCE(SUM(${refunds.amount}), 0)`.as('refunded') })
      .from(refunds)
      .innerJoin(orderHistory, eq(orderHistory.id, refunds.orderId))
      .where(and(completedSince, eq(refunds.status, 'succeeded'))),
  ]);
  const row = o[0]!;
  return { orders: row.orders, spend: Math.max(0, row.spend - r[0]!.refunded) };
}

/**
 * Moves the member to `toId` if they still hold `fromId`: one conditional UPDATE decides,
 * so two evaluations racing over the same completion record one change. The history row
 * and the push are keyed by `key`, so a replay adds neither again.
 */
async function changeTier(
  env: Env,
  m: { id: string; brandId: string },
  rules: LoyaltyRules,
  fromId: string,
  toId: string,
  reason: 'upgrade' | 'downgrade',
  key: string,
  detail: Record<string, unknown>,
  now: number,
) {
  const d = db(env);
  const [moved] = await d.batch([
    d
      .update(memberLoyalty)
      .set({ tierId: toId, tierSince: now, tierReviewAt: addMonths(now, rules.reviewMonths) })
      .where(and(eq(memberLoyalty.memberId, m.id), eq(memberLoyalty.tierId, fromId))),
    // Written only if the UPDATE just before it moved the tier: changes() is the connection's
    // last write, and the batch runs on one connection.
    d
      .insert(tierHistory)
      .select(
        d
          .select(
            selectList(tierHistory, {
              id: `tih_${key}`,
              brandId: m.brandId,
              memberId: m.id,
              fromTier: fromId,
              toTier: toId,
              reason,
              detail: JSON.stringify(detail),
              createdAt: now,
            }),
          )
          .from(memberLoyalty)
          .where(and(eq(memberLoyalty.memberId, m.id), sql`changes() = 1`)),
      )
      .onConflictDoNothing(),
  ]);
  if (moved.meta.changes !== 1) return false;
  const to = tierById(rules, toId);
  await notify(
    env,
    {
      brandId: m.brandId,
      memberId: m.id,
      category: 'transactional',
      template: 'tier_changed',
      data: { tier: to.name, reason: reason === 'upgrade' ? 'Upgraded' : 'Annual review' },
      page: 'pages/member/index',
      key: `tier:${key}`,
    },
    now,
  );
  return true;
}

/** After a completed order: up to the highest tier the rolling figures reach, never down. */
export async function upgradeAfterOrder(
  env: Env,
  m: { id: string; brandId: string },
  orderId: string,
  now = Date.now(),
) {
  const rules = await loyaltyRules(env, m.brandId, now);
  const standing = await ensureStanding(env, m, now, rules);
  const stats = await tierStats(env, m.id, rules, now);
  const to = upgradeFor(rules, standing.tierId, stats);
  if (!to) return null;
  const done = await changeTier(
    env,
    m,
    rules,
    standing.tierId,
    to.id,
    'upgrade',
    `${m.id}:${orderId}`,
    { ...stats, orderId },
    now,
  );
  return done ? to.id : null;
}

/**
 * The scheduled review: members whose review date has come get the tier their figures
 * support now (a downgrade when they fell short; an upgrade if one was missed), and the
 * next review is set a full period ahead either way.
 */
export async function reviewTiers(env: Env, now = Date.now(), limit = 500) {
  const d = db(env);
  const results = await d
    .select({
      id: memberLoyalty.memberId,
      brandId: memberLoyalty.brandId,
      tierId: memberLoyalty.tierId,
      reviewAt: memberLoyalty.tierReviewAt,
    })
    .from(memberLoyalty)
    .innerJoin(members, eq(members.id, memberLoyalty.memberId))
    .where(and(lte(memberLoyalty.tierReviewAt, now), isNull(members.deletedAt)))
    .limit(limit);
  let changed = 0;
  for (const m of results) {
    const rules = await loyaltyRules(env, m.brandId, now);
    const stats = await tierStats(env, m.id, rules, now);
    const to = reviewFor(rules, m.tierId, stats);
    if (to) {
      const rank = (id: string) => rules.tiers.findIndex((t) => t.id === id);
      const reason = rank(to.id) < rank(m.tierId) ? 'downgrade' : 'upgrade';
      if (await changeTier(env, m, rules, m.tierId, to.id, reason, `${m.id}:review:${m.reviewAt}`, { ...stats }, now)) {
        changed++;
      }
    } else {
      await d
        .update(memberLoyalty)
        .set({ tierReviewAt: addMonths(now, rules.reviewMonths) })
        .where(and(eq(memberLoyalty.memberId, m.id), eq(memberLoyalty.tierReviewAt, m.reviewAt)))
        .run();
    }
  }
  return { reviewed: results.length, changed };
}

export async function tierHistoryOf(env: Env, memberId: string) {
  const results = await db(env)
    .select({
      fromTier: tierHistory.fromTier,
      toTier: tierHistory.toTier,
      reason: tierHistory.reason,
      detail: tierHistory.detail,
      at: tierHistory.createdAt,
    })
    .from(tierHistory)
    .where(eq(tierHistory.memberId, memberId))
    .orderBy(desc(tierHistory.createdAt))
    .limit(50);
  return results.map((r) => ({ ...r, detail: JSON.parse(r.detail), at: isoInZone(r.at, BRAND_TIME_ZONE) }));
}
