import { z } from '@hono/zod-openapi';
import { Cents, IsoTime } from './common.schemas';

const Id = z.string().trim().min(1).max(64);
const Percent = z.number().min(0).max(100);

export const TierBenefitsSchema = z.strictObject({
  percentOff: Percent.openapi({ description: 'percent off every order, applied by the pricing engine' }),
  pointsMultiplier: z.number().min(0).max(10),
  birthdayGiftTemplateId: Id.optional().openapi({ description: 'coupon template issued in the birthday week' }),
  freeDelivery: z.boolean(),
  priority: z.boolean(),
});

export const TierSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/)
    .openapi({ example: 'silver' }),
  name: z.string().trim().min(1).max(32),
  minSpend: Cents.openapi({ description: 'rolling spend over qualifyingMonths (cents, net of refunds)' }),
  minOrders: z.number().int().min(0).max(100_000).optional(),
  benefits: TierBenefitsSchema,
});

export const LoyaltyRulesSchema = z
  .strictObject({
    timeZone: z.string().min(1).max(64),
    tiers: z.array(TierSchema).min(1).max(10),
    qualifyingMonths: z.number().int().min(1).max(36),
    reviewMonths: z.number().int().min(1).max(36),
    points: z.strictObject({
      perYuan: z.number().min(0).max(100),
      refundWindowDays: z.number().int().min(0).max(90),
      expiryMonths: z.number().int().min(1).max(60),
      reminderDays: z.number().int().min(1).max(90),
      centsPerPoint: z.number().int().min(1).max(10_000),
      maxPaymentPercent: Percent,
    }),
    newMemberPack: z.strictObject({ templateIds: z.array(Id).max(10) }),
    birthday: z.strictObject({ pointsMultiplier: z.number().min(1).max(10) }),
    memberDay: z
      .strictObject({
        weekday: z.number().int().min(1).max(7),
        pointsMultiplier: z.number().min(1).max(10),
        extraPercentOff: z.record(z.string(), Percent),
      })
      .nullable(),
    referral: z.strictObject({
      inviterPoints: z.number().int().min(0).max(100_000),
      inviteePoints: z.number().int().min(0).max(100_000),
      milestones: z.array(z.strictObject({ invites: z.number().int().min(1).max(1000), templateId: Id })).max(10),
      cash: z
        .strictObject({
          inviterCents: z.number().int().min(1).max(100_000),
          unlockAfterFriends: z.number().int().min(1).max(100),
          withdrawable: z.boolean().default(false),
        })
        .optional()
        .openapi({
          description:
            'referral cash: stored value per rewarded friend, locked until this many friends completed a first order; ' +
            'not withdrawable unless the brand says so',
        }),
    }),
    checkIn: z.strictObject({ rewards: z.array(z.number().int().min(0).max(10_000)).min(1).max(31) }),
    dice: z.strictObject({
      dailyLimit: z.number().int().min(0).max(20),
      costPoints: z.number().int().min(0).max(10_000),
      faces: z
        .array(
          z.strictObject({
            points: z.number().int().min(0).max(100_000),
            weight: z.number().int().min(0).max(1_000_000),
          }),
        )
        .min(1)
        .max(20),
    }),
    review: z.strictObject({ points: z.number().int().min(0).max(10_000) }),
  })
  .openapi('LoyaltyRules');

export const DiceOdds = z
  .object({
    faces: z.array(z.object({ points: z.number().int(), chancePercent: z.number() })),
    expectedPoints: z.number(),
  })
  .openapi('DiceOdds');

export const LoyaltyProgramme = z
  .object({
    tiers: z.array(TierSchema),
    qualifyingMonths: z.number().int(),
    points: LoyaltyRulesSchema.shape.points,
    memberDay: LoyaltyRulesSchema.shape.memberDay,
    birthday: LoyaltyRulesSchema.shape.birthday,
    referral: z.object({ inviterPoints: z.number().int(), inviteePoints: z.number().int() }),
    checkIn: LoyaltyRulesSchema.shape.checkIn,
    dice: z.object({ dailyLimit: z.number().int(), costPoints: z.number().int(), odds: DiceOdds }),
    review: LoyaltyRulesSchema.shape.review,
  })
  .openapi('LoyaltyProgramme', { description: 'The published programme: tiers, rates and the dice odds' });

export const TierStanding = z
  .object({
    id: z.string(),
    name: z.string(),
    since: IsoTime,
    reviewAt: IsoTime.openapi({ description: 'when the scheduled review may lower the tier' }),
    benefits: TierBenefitsSchema,
    spend: z.number().int().openapi({ description: 'rolling spend (cents) over the qualifying window' }),
    orders: z.number().int(),
    next: z
      .object({ id: z.string(), name: z.string(), minSpend: z.number().int(), minOrders: z.number().int().nullable() })
      .nullable(),
    spendNeeded: z.number().int(),
    ordersNeeded: z.number().int().nullable(),
  })
  .openapi('TierStanding');

export const PointsBalance = z
  .object({
    available: z.number().int().openapi({ description: 'spendable now' }),
    pending: z.number().int().openapi({ description: 'earned, still inside the refund window' }),
    nextExpiry: z.object({ at: IsoTime, points: z.number().int() }).nullable(),
  })
  .openapi('PointsBalance');

export const PointsEntry = z
  .object({
    id: z.string(),
    kind: z.string(),
    ref: z.string(),
    amount: z.number().int(),
    orderId: z.string().nullable(),
    createdAt: IsoTime,
  })
  .openapi('PointsEntry');

export const PointsPage = z
  .object({ balance: PointsBalance, entries: z.array(PointsEntry), nextBefore: z.string().nullable() })
  .openapi('PointsPage');

export const TierHistoryEntry = z
  .object({
    fromTier: z.string(),
    toTier: z.string(),
    reason: z.string(),
    detail: z.record(z.string(), z.unknown()),
    at: IsoTime,
  })
  .openapi('TierHistoryEntry');

export const TierPage = z.object({ tier: TierStanding, history: z.array(TierHistoryEntry) }).openapi('TierPage');

export const CatalogItem = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['coupon', 'dish']),
    cost: z.number().int(),
    templateId: z.string(),
  })
  .openapi('PointsCatalogItem');

export const CatalogItemInput = z
  .strictObject({
    name: z.string().trim().min(1).max(64),
    kind: z.enum(['coupon', 'dish']),
    cost: z.number().int().min(1).max(10_000_000),
    templateId: Id,
    active: z.boolean().default(true),
  })
  .openapi('PointsCatalogItemInput');

export const Redemption = z.strictObject({ catalogItemId: Id }).openapi('Redemption');

export const RedemptionResult = z
  .object({ catalogItemId: z.string(), spent: z.number().int(), couponId: z.string(), available: z.number().int() })
  .openapi('RedemptionResult');

export const CheckInResult = z
  .object({ day: z.string(), streak: z.number().int(), points: z.number().int() })
  .openapi('CheckInResult');

export const DiceRoll = z
  .object({
    rollId: z.string(),
    face: z.number().int(),
    points: z.number().int(),
    rollsLeft: z.number().int(),
    odds: DiceOdds,
  })
  .openapi('DiceRoll');

export const ReferralInfo = z
  .object({
    code: z.string(),
    shareUrl: z.string(),
    poster: z.object({ page: z.string(), scene: z.string(), title: z.string() }).openapi({
      description: 'payload for wxacode.getUnlimited (scene ≤ 32 characters) and the share card',
    }),
    invited: z.number().int(),
    rewarded: z.number().int(),
    rewards: z.object({ inviterPoints: z.number().int(), inviteePoints: z.number().int() }),
    milestones: z.array(z.object({ invites: z.number().int(), templateId: z.string(), reached: z.boolean() })),
  })
  .openapi('ReferralInfo');

export const ReferralPreview = z
  .object({
    code: z.string(),
    inviter: z.object({
      nickname: z.string().nullable().openapi({ example: '小**', description: 'masked; null when they set none' }),
    }),
    rewards: z.object({ inviterPoints: z.number().int(), inviteePoints: z.number().int() }),
  })
  .openapi('ReferralPreview');

export const ReferralBinding = z
  .strictObject({
    code: z.string().trim().min(4).max(16),
    deviceId: z
      .string()
      .min(8)
      .max(128)
      .optional()
      .openapi({ description: 'stable device id (hashed; one referral per device)' }),
  })
  .openapi('ReferralBinding');

export const ReferralBound = z
  .object({ inviterCode: z.string(), status: z.literal('pending') })
  .openapi('ReferralBound');

/** Where a coupon applies and whether it combines: the same fields on every kind of rule. */
const couponRuleReach = {
  scope: z
    .strictObject({ itemIds: z.array(Id).max(200).optional(), categoryIds: z.array(Id).max(50).optional() })
    .optional(),
  validity: z
    .strictObject({ storeIds: z.array(Id).max(500).optional() })
    .optional()
    .openapi({ description: 'store scope; dates come from the template validity' }),
  exclusive: z.boolean().optional(),
};

/**
 * A coupon rule, as the pricing engine reads it. Each kind carries the reach fields itself (no
 * intersection), so the document says exactly what the server takes: one closed object per kind.
 */
export const CouponRuleSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('amount'),
      threshold: Cents,
      amountOff: Cents.min(1),
      ...couponRuleReach,
    }),
    z.strictObject({
      kind: z.literal('percent'),
      percentOff: z.number().gt(0).max(100),
      cap: Cents.optional(),
      ...couponRuleReach,
    }),
    z.strictObject({ kind: z.literal('free_item'), itemId: Id, ...couponRuleReach }),
    z.strictObject({ kind: z.literal('delivery_waiver'), ...couponRuleReach }),
  ])
  .openapi('CouponRule');

export const CouponTemplateInput = z
  .strictObject({
    name: z.string().trim().min(1).max(64),
    rule: CouponRuleSchema,
    validity: z.union([
      z.strictObject({ days: z.number().int().min(1).max(3650) }),
      z.strictObject({ from: IsoTime, to: IsoTime }),
    ]),
    totalStock: z.number().int().min(1).max(100_000_000).nullable().default(null),
    perMemberLimit: z.number().int().min(1).max(1000).nullable().default(null),
    active: z.boolean().default(true),
  })
  .openapi('CouponTemplateInput');

export const CouponTemplate = z
  .object({
    id: z.string(),
    name: z.string(),
    rule: z.record(z.string(), z.unknown()),
    validity: z.union([z.object({ days: z.number().int() }), z.object({ from: IsoTime, to: IsoTime })]),
    totalStock: z.number().int().nullable(),
    issued: z.number().int(),
    perMemberLimit: z.number().int().nullable(),
    active: z.boolean(),
  })
  .openapi('CouponTemplate');

export const ReferralCash = z
  .object({
    enabled: z.boolean().openapi({ description: 'the brand pays referral cash' }),
    inviterCents: Cents.openapi({ description: 'cash per friend whose first order completed' }),
    lockedCents: Cents.openapi({ description: 'earned, not yet in the wallet' }),
    unlockedCents: Cents.openapi({ description: 'moved into the stored-value wallet' }),
    friendsCompleted: z.number().int(),
    friendsNeeded: z
      .number()
      .int()
      .openapi({ description: 'friends whose first order completed that unlock the cash' }),
    withdrawable: z.boolean().openapi({ description: 'false: spend it in the stores; it cannot be taken out' }),
    taxNote: z.string(),
  })
  .openapi('ReferralCash');
