import type { Promotion } from '../pricing';

/*
 * A brand's loyalty programme, as data. Every number here is the brand's to change
 * (`PUT /v1/admin/loyalty/rules`); the defaults are what a new brand starts with.
 * Money is integer cents.
 */

export interface TierBenefits {
  /** Percent off the order, applied by the pricing engine as a `tier_discount` promotion. */
  percentOff: number;
  pointsMultiplier: number;
  /** Coupon template issued in the birthday week, once a year. */
  birthdayGiftTemplateId?: string;
  freeDelivery: boolean;
  /** Orders jump the kitchen queue ahead of non-priority ones. */
  priority: boolean;
}

export interface Tier {
  id: string;
  name: string;
  /** Rolling spend (cents, net of refunds) over `qualifyingMonths` to reach this tier. */
  minSpend: number;
  /** Completed orders over `qualifyingMonths` to reach this tier; reaching either threshold is enough. */
  minOrders?: number;
  benefits: TierBenefits;
}

export interface DiceFace {
  points: number;
  weight: number;
}

export interface LoyaltyRules {
  /** Zone for days, weeks and months (check-in days, birthday weeks, expiry). */
  timeZone: string;
  /** Lowest first; the first tier has no threshold and is where every member starts. */
  tiers: Tier[];
  qualifyingMonths: number;
  /** A tier holds at least this long before the scheduled review may lower it. */
  reviewMonths: number;
  points: {
    perYuan: number;
    /** Points from an order stay pending this long (the refund window). */
    refundWindowDays: number;
    /** Points expire at the end of the Nth month after the month they were earned. */
    expiryMonths: number;
    reminderDays: number;
    /** What one point is worth when paying for an order. */
    centsPerPoint: number;
    /** At most this share of an order's total can be paid with points. */
    maxPaymentPercent: number;
  };
  newMemberPack: { templateIds: string[] };
  birthday: { pointsMultiplier: number };
  /** E.g. every Wednesday: extra percent off by tier, and a points multiplier. */
  memberDay: { weekday: number; pointsMultiplier: number; extraPercentOff: Record<string, number> } | null;
  referral: {
    inviterPoints: number;
    inviteePoints: number;
    milestones: { invites: number; templateId: string }[];
    /** Referral cash: stored value per rewarded friend, locked until `unlockAfterFriends` friends completed a first order. */
    cash?: { inviterCents: number; unlockAfterFriends: number; withdrawable: boolean };
  };
  checkIn: { rewards: number[] };
  dice: { dailyLimit: number; costPoints: number; faces: DiceFace[] };
  review: { points: number };
}

export const defaultLoyaltyRules: LoyaltyRules = {
  timeZone: 'Asia/Shanghai',
  tiers: [
    {
      id: 'bronze',
      name: 'Bronze',
      minSpend: 0,
      benefits: { percentOff: 0, pointsMultiplier: 1, freeDelivery: false, priority: false },
    },
    {
      id: 'silver',
      name: 'Silver',
      minSpend: 50_000,
      minOrders: 30,
      benefits: { percentOff: 5, pointsMultiplier: 1.2, freeDelivery: false, priority: false },
    },
    {
      id: 'gold',
      name: 'Gold',
      minSpend: 200_000,
      minOrders: 100,
      benefits: { percentOff: 10, pointsMultiplier: 1.5, freeDelivery: true, priority: true },
    },
  ],
  qualifyingMonths: 12,
  reviewMonths: 12,
  points: {
    perYuan: 1,
    refundWindowDays: 7,
    expiryMonths: 12,
    reminderDays: 30,
    centsPerPoint: 1,
    maxPaymentPercent: 50,
  },
  newMemberPack: { templateIds: [] },
  birthday: { pointsMultiplier: 2 },
  memberDay: { weekday: 3, pointsMultiplier: 2, extraPercentOff: { gold: 5 } },
  referral: { inviterPoints: 100, inviteePoints: 50, milestones: [] },
  checkIn: { rewards: [5, 5, 10, 10, 15, 15, 30] },
  dice: {
    dailyLimit: 3,
    costPoints: 0,
    faces: [
      { points: 1, weight: 30 },
      { points: 2, weight: 25 },
      { points: 5, weight: 20 },
      { points: 10, weight: 15 },
      { points: 20, weight: 8 },
      { points: 100, weight: 2 },
    ],
  },
  review: { points: 10 },
};

export function baseTier(rules: LoyaltyRules): Tier {
  return rules.tiers[0]!;
}

export function tierById(rules: LoyaltyRules, id: string | null | undefined): Tier {
  return rules.tiers.find((t) => t.id === id) ?? baseTier(rules);
}

/** Each tier's perks that change an order itself, in rank order (the first is the base tier). */
export function tierPerks(rules: LoyaltyRules): { id: string; freeDelivery: boolean; priority: boolean }[] {
  return rules.tiers.map((t) => ({
    id: t.id,
    freeDelivery: t.benefits.freeDelivery,
    priority: t.benefits.priority,
  }));
}

/**
 * Tier benefits as pricing promotions, so quotes and orders price them like any other
 * offer: the tier discount always, the member-day extra only on its weekday.
 */
export function tierPromotions(rules: LoyaltyRules): Promotion[] {
  // Rules objects are cached and never mutated: build their promotions once (order hot path).
  const seen = promotionsOf.get(rules);
  if (seen) return seen;
  const out: Promotion[] = [];
  for (const t of rules.tiers) {
    if (t.benefits.percentOff > 0) {
      out.push({
        id: `tier_${t.id}`,
        name: `${t.name} member price`,
        kind: 'tier_discount',
        tierIds: [t.id],
        percentOff: t.benefits.percentOff,
      });
    }
  }
  const day = rules.memberDay;
  if (day) {
    for (const [tierId, percentOff] of Object.entries(day.extraPercentOff)) {
      if (percentOff <= 0) continue;
      out.push({
        id: `member_day_${tierId}`,
        name: `Member day ${tierById(rules, tierId).name}`,
        kind: 'tier_discount',
        tierIds: [tierId],
        percentOff,
        validity: { weekly: [{ days: [day.weekday], start: '00:00', end: '24:00' }] },
      });
    }
  }
  promotionsOf.set(rules, out);
  return out;
}

const promotionsOf = new WeakMap<LoyaltyRules, Promotion[]>();

/** Problems with a rules document that the schema cannot see; empty when sound. */
export function rulesErrors(rules: LoyaltyRules): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const ids = new Set<string>();
  rules.tiers.forEach((t, i) => {
    if (ids.has(t.id)) errors.push({ path: `tiers.${i}.id`, message: `duplicate tier id ${t.id}` });
    ids.add(t.id);
    if (i === 0 && (t.minSpend !== 0 || (t.minOrders ?? 0) !== 0)) {
      errors.push({ path: 'tiers.0', message: 'the first tier is where members start: no threshold' });
    }
    const prev = rules.tiers[i - 1];
    if (prev && t.minSpend <= prev.minSpend) {
      errors.push({ path: `tiers.${i}.minSpend`, message: 'tiers must be listed lowest first, spend rising' });
    }
  });
  if (rules.memberDay) {
    for (const id of Object.keys(rules.memberDay.extraPercentOff)) {
      if (!ids.has(id)) errors.push({ path: `memberDay.extraPercentOff.${id}`, message: `no tier ${id}` });
    }
  }
  if (rules.dice.faces.reduce((s, f) => s + f.weight, 0) <= 0) {
    errors.push({ path: 'dice.faces', message: 'the weights must add up to more than 0' });
  }
  return errors;
}
