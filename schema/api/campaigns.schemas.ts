import { z } from '@hono/zod-openapi';
import { healthLeanings, mealScenes, spendingLevels } from '../../domain/profiles/profile-config';
import { Hhmm, IsoTime } from './common.schemas';

const Id = z.string().trim().min(1).max(64);
const Segment = z.enum(['high_value', 'loyal', 'new', 'at_risk', 'dormant', 'occasional']);
const Tag = z.string().trim().min(1).max(32).openapi({ example: 'milk tea' });

/** One test of an audience: a taste tag, spending level, meal scene or health leaning of the profile, or the RFM segment. */
const AudienceCondition = z.union([
  z.strictObject({ tag: Tag }),
  z.strictObject({ spendingLevel: z.enum(spendingLevels) }),
  z.strictObject({ scene: z.enum(mealScenes) }),
  z.strictObject({ healthLeaning: z.enum(healthLeanings) }),
  z.strictObject({ segment: Segment }),
]);
const AudienceBranch = z.union([
  AudienceCondition,
  z.strictObject({ all: z.array(AudienceCondition).min(1).max(10) }),
  z.strictObject({ any: z.array(AudienceCondition).min(1).max(10) }),
]);

export const CampaignAudience = z
  .union([
    AudienceBranch,
    z.strictObject({ all: z.array(AudienceBranch).min(1).max(10) }),
    z.strictObject({ any: z.array(AudienceBranch).min(1).max(10) }),
  ])
  .openapi('CampaignAudience', {
    description:
      'Who among the members a run picks gets the coupon: a condition, or `{ all: [...] }` / `{ any: [...] }` of ' +
      'conditions or of one more level of all/any. Profile conditions (tag, spendingLevel, scene, healthLeaning) ' +
      'match only members with the personalisation consent; segment conditions match any member in the RFM segment.',
    example: { any: [{ all: [{ tag: 'milk tea' }, { spendingLevel: 'high' }] }, { healthLeaning: 'fried' }] },
  });

/** Each kind's settings; `templateId` on the campaign is the coupon it issues unless a kind names its own. */
export const CampaignConfig = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manual') }),
  z.strictObject({
    kind: z.literal('drop'),
    dailyQuantity: z.number().int().min(1).max(1_000_000),
    opensAt: Hhmm.openapi({ description: 'store-local time the day’s drop opens, e.g. 10:00' }),
    timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
  }),
  z.strictObject({ kind: z.literal('partner'), partner: z.string().trim().min(1).max(64) }),
  z.strictObject({
    kind: z.literal('recall'),
    steps: z
      .array(z.strictObject({ days: z.number().int().min(1).max(365), templateId: Id }))
      .min(1)
      .max(6),
  }),
  z.strictObject({
    kind: z.literal('weather'),
    rainOrCold: Id.optional().openapi({ description: 'hot-drink coupon template' }),
    heat: Id.optional().openapi({ description: 'iced-drink coupon template' }),
    recentDays: z.number().int().min(1).max(365).default(90),
  }),
  z.strictObject({
    kind: z.literal('night_owl'),
    sendAtHour: z.number().int().min(0).max(23).default(20),
    minOrders: z.number().int().min(1).max(100).default(3),
    share: z.number().min(0.1).max(1).default(0.5),
  }),
  z.strictObject({ kind: z.literal('geofence'), radiusMetres: z.number().int().min(50).max(5000).default(500) }),
  z.strictObject({
    kind: z.literal('birthday'),
    byTag: z
      .array(z.strictObject({ tag: Tag, templateId: Id }))
      .max(10)
      .optional()
      .openapi({
        description:
          'the gift follows the guest’s taste: the first entry whose tag the member’s profile holds names the template ' +
          '(members without a profile, or without a matching tag, get the campaign’s own)',
      }),
  }),
  z.strictObject({
    kind: z.literal('member_day'),
    weekday: z.number().int().min(1).max(7),
    tierIds: z.array(z.string().max(32)).max(10).optional(),
  }),
  z.strictObject({ kind: z.literal('segment'), segment: Segment, every: z.enum(['once', 'week']).default('once') }),
  z.strictObject({
    kind: z.literal('group_buy'),
    itemId: Id,
    size: z.number().int().min(2).max(20).default(3),
    percentOff: z.number().int().min(1).max(90).default(50),
    minutes: z.number().int().min(5).max(1440).default(60),
    maxGroupsPerMemberPerDay: z.number().int().min(1).max(20).default(2),
  }),
  z.strictObject({
    kind: z.literal('bargain'),
    rungs: z
      .array(z.strictObject({ helpers: z.number().int().min(1).max(100), templateId: Id }))
      .min(1)
      .max(5),
    hours: z.number().int().min(1).max(168).default(24),
    maxHelpsPerMemberPerDay: z.number().int().min(1).max(50).default(3),
  }),
]);
export type CampaignConfig = z.infer<typeof CampaignConfig>;
export type CampaignKind = CampaignConfig['kind'];

export const CampaignPush = z
  .strictObject({
    template: z.string().min(1).max(64).openapi({ example: 'coupon_arrived' }),
    fields: z.record(z.string().max(32), z.string().max(200)),
    page: z.string().max(200).optional(),
  })
  .openapi('CampaignPush');

export const CampaignInput = z
  .strictObject({
    name: z.string().trim().min(1).max(64),
    templateId: Id.optional(),
    config: CampaignConfig,
    push: CampaignPush.optional(),
    audience: CampaignAudience.optional(),
    holdoutPercent: z.number().int().min(0).max(50).default(0),
    startsAt: IsoTime.optional(),
    endsAt: IsoTime.optional(),
    status: z.enum(['active', 'paused']).default('active'),
  })
  .openapi('CampaignInput');

export const CampaignPatch = z
  .strictObject({
    status: z.enum(['active', 'paused', 'ended']).optional(),
    holdoutPercent: z.number().int().min(0).max(50).optional(),
    audience: CampaignAudience.nullable().optional().openapi({ description: 'a new audience; null for everyone' }),
  })
  .openapi('CampaignPatch');

export const Campaign = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    status: z.enum(['active', 'paused', 'ended']),
    templateId: z.string().nullable(),
    config: z.record(z.string(), z.unknown()),
    push: CampaignPush.nullable(),
    audience: CampaignAudience.nullable(),
    holdoutPercent: z.number().int(),
    startsAt: IsoTime.nullable(),
    endsAt: IsoTime.nullable(),
    createdAt: IsoTime,
  })
  .openapi('Campaign');

export const CampaignRunInput = z
  .strictObject({
    memberIds: z.array(Id).min(1).max(10_000).optional(),
    segment: Segment.optional(),
  })
  .refine((b) => (b.memberIds ? 1 : 0) + (b.segment ? 1 : 0) === 1, { message: 'give memberIds or segment, not both' })
  .openapi('CampaignRunInput');

export const CampaignRun = z
  .object({
    runId: z.string(),
    period: z.string(),
    targeted: z.number().int(),
    heldOut: z.number().int(),
    messages: z.number().int(),
  })
  .openapi('CampaignRun');

export const CampaignRunRecord = z
  .object({
    runId: z.string(),
    period: z.string(),
    targeted: z.number().int(),
    messages: z.number().int(),
    startedAt: IsoTime,
    detail: z.object({
      heldOut: z.number().int().optional(),
      issued: z.number().int().optional().openapi({ description: 'coupons issued so far by the consumer' }),
      slices: z.number().int().optional().openapi({ description: 'queue messages processed' }),
      rowsWritten: z
        .number()
        .int()
        .optional()
        .openapi({ description: 'D1 rows written by the consumer (index entries included)' }),
      statements: z.number().int().optional().openapi({ description: 'D1 statements the consumer ran' }),
      finishedAt: z.number().int().optional(),
    }),
  })
  .openapi('CampaignRunRecord');

export const CampaignMetrics = z
  .object({
    campaignId: z.string(),
    targeted: z.number().int(),
    heldOut: z.number().int(),
    issued: z.number().int(),
    pushed: z.number().int(),
    redeemed: z.number().int(),
    redemptionRate: z.number(),
    attributedRevenue: z
      .number()
      .int()
      .openapi({ description: 'cents: totals of orders that used the campaign’s coupons' }),
    repurchase: z.object({
      windowDays: z.number().int(),
      targetRate: z.number(),
      holdoutRate: z.number(),
      lift: z.number().openapi({ description: 'target rate − holdout rate, in percentage points' }),
    }),
  })
  .openapi('CampaignMetrics');

export const ClaimResult = z
  .object({ campaignId: z.string(), couponId: z.string(), day: z.string(), left: z.number().int() })
  .openapi('ClaimResult');

export const PartnerCodesInput = z
  .strictObject({ count: z.number().int().min(1).max(5000) })
  .openapi('PartnerCodesInput');

export const PartnerCodes = z
  .object({
    batchId: z.string(),
    codes: z.array(z.string()).openapi({ description: 'shown once; stored only as hashes' }),
  })
  .openapi('PartnerCodes');

export const ExchangeInput = z.strictObject({ code: z.string().trim().min(6).max(32) }).openapi('ExchangeInput');

export const LocationReport = z
  .strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) })
  .openapi('LocationReport');

export const LocationResult = z
  .object({
    nearStoreId: z.string().nullable(),
    distanceMetres: z.number().int().nullable(),
    issued: z.array(z.object({ campaignId: z.string(), couponId: z.string() })),
  })
  .openapi('LocationResult');

export const DeadLetter = z
  .object({
    id: z.string(),
    queue: z.string(),
    body: z.unknown(),
    attempts: z.number().int(),
    createdAt: IsoTime,
    redrivenAt: IsoTime.nullable(),
  })
  .openapi('DeadLetter');
