import type { LoyaltyRules, Tier } from './rules';

/** A member's rolling figures over the qualifying window. */
export interface TierStats {
  /** Cents paid for completed orders, net of refunds. */
  spend: number;
  orders: number;
}

/** The highest tier the figures reach; a tier is reached at its threshold exactly. */
export function qualifyingTier(rules: LoyaltyRules, stats: TierStats): Tier {
  let best = rules.tiers[0]!;
  for (const t of rules.tiers) {
    const bySpend = stats.spend >= t.minSpend;
    const byOrders = t.minOrders !== undefined && t.minOrders > 0 && stats.orders >= t.minOrders;
    if (bySpend || byOrders) best = t;
  }
  return best;
}

const rank = (rules: LoyaltyRules, id: string) => rules.tiers.findIndex((t) => t.id === id);

/**
 * What a completed order does to the tier: only ever up. Downgrades wait for the
 * scheduled review, so a refund or a quiet month never takes a tier away mid-year.
 */
export function upgradeFor(rules: LoyaltyRules, currentId: string, stats: TierStats): Tier | null {
  const q = qualifyingTier(rules, stats);
  return rank(rules, q.id) > rank(rules, currentId) ? q : null;
}

/** What the scheduled review decides: the tier the figures support, up or down. */
export function reviewFor(rules: LoyaltyRules, currentId: string, stats: TierStats): Tier | null {
  const q = qualifyingTier(rules, stats);
  return q.id === currentId ? null : q;
}

/** How far the member is from the next tier, for the profile page. */
export function tierProgress(rules: LoyaltyRules, currentId: string, stats: TierStats) {
  const i = rank(rules, currentId);
  const next = i >= 0 ? rules.tiers[i + 1] : undefined;
  if (!next) return { next: null, spendNeeded: 0, ordersNeeded: null };
  return {
    next: { id: next.id, name: next.name, minSpend: next.minSpend, minOrders: next.minOrders ?? null },
    spendNeeded: Math.max(0, next.minSpend - stats.spend),
    ordersNeeded: next.minOrders ? Math.max(0, next.minOrders - stats.orders) : null,
  };
}
