import { type LoyaltyRules, tierById } from '../../domain/loyalty/rules';
import { reviewFor, type TierStats, upgradeFor } from '../../domain/loyalty/tiers';
import type { Env } from '../env';
import { notify } from '../notify/pushes.service';
import { addMonths, ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';

/** Rolling spend (net of refunds) and completed orders over the qualifying window. */
export async function tierStats(env: Env, memberId: string, rules: LoyaltyRules, now = Date.now()): Promise<TierStats> {
  const since = addMonths(now, -rules.qualifyingMonths);
  const [o, r] = await env.DB.batch([
    env.DB.prepare(
      `SELECT COUNT(*) AS orders, COALESCE(SUM(total), 0) AS spend FROM order_history
       WHERE member_id = ? AND status = 'completed' AND created_at >= ?`,
    ).bind(memberId, since),
    env.DB.prepare(
      `SELECT COALESCE(SUM(r.amount), 0) AS refunded FROM refunds r JOIN order_history h ON h.id = r.order_id
       WHERE h.member_id = ? AND h.status = 'completed' AND h.created_at >= ? AND r.status = 'succeeded'`,
    ).bind(memberId, since),
  ]);
  const row = o!.results[0] as { orders: number; spend: number };
  const refunded = (r!.results[0] as { refunded: number }).refunded;
  return { orders: row.orders, spend: Math.max(0, row.spend - refunded) };
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
  const [moved] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE member_loyalty SET tier_id = ?, tier_since = ?, tier_review_at = ? WHERE member_id = ? AND tier_id = ?`,
    ).bind(toId, now, addMonths(now, rules.reviewMonths), m.id, fromId),
    env.DB.prepare(
      `INSERT OR IGNORE INTO tier_history (id, brand_id, member_id, from_tier, to_tier, reason, detail, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1`,
    ).bind(`tih_${key}`, m.brandId, m.id, fromId, toId, reason, JSON.stringify(detail), now),
  ]);
  if (moved!.meta.changes !== 1) return false;
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
  const { results } = await env.DB.prepare(
    `SELECT l.member_id AS id, l.brand_id AS brandId, l.tier_id AS tierId, l.tier_review_at AS reviewAt
     FROM member_loyalty l JOIN members m ON m.id = l.member_id
     WHERE l.tier_review_at <= ? AND m.deleted_at IS NULL LIMIT ?`,
  )
    .bind(now, limit)
    .all<{ id: string; brandId: string; tierId: string; reviewAt: number }>();
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
      await env.DB.prepare('UPDATE member_loyalty SET tier_review_at = ? WHERE member_id = ? AND tier_review_at = ?')
        .bind(addMonths(now, rules.reviewMonths), m.id, m.reviewAt)
        .run();
    }
  }
  return { reviewed: results.length, changed };
}

export async function tierHistoryOf(env: Env, memberId: string) {
  const { results } = await env.DB.prepare(
    `SELECT from_tier AS fromTier, to_tier AS toTier, reason, detail, created_at AS at FROM tier_history
     WHERE member_id = ? ORDER BY created_at DESC LIMIT 50`,
  )
    .bind(memberId)
    .all<{ fromTier: string; toTier: string; reason: string; detail: string; at: number }>();
  return results.map((r) => ({ ...r, detail: JSON.parse(r.detail), at: new Date(r.at).toISOString() }));
}
