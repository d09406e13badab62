import { z } from '@hono/zod-openapi';
import { IsoTime } from './common.schemas';

const Id = z.string().trim().min(1).max(64);
const PrizeKind = z.enum(['points', 'coupon', 'none']);

export const WheelPrizeInput = z
  .strictObject({
    label: z.string().trim().min(1).max(40).openapi({ example: '20 积分' }),
    kind: PrizeKind.openapi({ description: '`none` is "thanks for playing" (谢谢参与)' }),
    points: z.number().int().min(1).max(100_000).optional().openapi({ description: 'for `points`' }),
    templateId: Id.optional().openapi({ description: 'for `coupon`: the coupon template issued' }),
    weight: z.number().int().min(1).max(1_000_000),
    stock: z.number().int().min(0).nullable().default(null).openapi({ description: 'null: unlimited' }),
  })
  .openapi('WheelPrizeInput');

export const WheelInput = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    costPoints: z.number().int().min(0).max(100_000).default(0),
    dailyLimit: z.number().int().min(1).max(100),
    startsAt: IsoTime,
    endsAt: IsoTime.nullable().default(null),
    active: z.boolean().default(true),
    sharesForFreeSpin: z.number().int().min(1).max(20).nullable().default(null).openapi({
      description: 'share task: distinct friends opening a member’s link in a day that earn one free spin; null: none',
    }),
    prizes: z.array(WheelPrizeInput).min(2).max(12),
  })
  .openapi('WheelInput');

export const WheelPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(60),
    costPoints: z.number().int().min(0).max(100_000),
    dailyLimit: z.number().int().min(1).max(100),
    startsAt: IsoTime,
    endsAt: IsoTime.nullable(),
    active: z.boolean(),
    sharesForFreeSpin: z.number().int().min(1).max(20).nullable(),
  })
  .partial()
  .openapi('WheelPatch');

export const WheelPrize = z
  .object({
    id: z.string(),
    label: z.string(),
    kind: PrizeKind,
    points: z.number().int(),
    templateId: z.string().nullable(),
    weight: z.number().int(),
    stock: z.number().int().nullable(),
    awarded: z.number().int(),
    chancePercent: z.number().openapi({
      description: 'weight ÷ total weight of the prizes in stock, two decimals; the chances add up to 100',
    }),
    outOfStock: z.boolean(),
  })
  .openapi('WheelPrize');

export const Wheel = z
  .object({
    id: z.string(),
    name: z.string(),
    costPoints: z.number().int(),
    dailyLimit: z.number().int(),
    startsAt: IsoTime,
    endsAt: IsoTime.nullable(),
    active: z.boolean(),
    open: z.boolean().openapi({ description: 'active and inside its window now' }),
    sharesForFreeSpin: z.number().int().nullable(),
    prizes: z.array(WheelPrize),
  })
  .openapi('Wheel');

export const WheelSpin = z
  .object({
    id: z.string(),
    wheelId: z.string(),
    day: z.string().openapi({ description: 'brand-local day the spin counts against' }),
    prize: z.object({
      id: z.string(),
      label: z.string(),
      kind: PrizeKind,
      points: z.number().int(),
      couponId: z.string().nullable(),
    }),
    costPoints: z.number().int(),
    free: z.boolean().openapi({ description: 'the day’s free spin from the share task (beyond the daily limit)' }),
    spinsLeftToday: z.number().int(),
    createdAt: IsoTime,
  })
  .openapi('WheelSpin');

export const WheelSpinRecord = WheelSpin.omit({ spinsLeftToday: true }).openapi('WheelSpinRecord');

export const WheelSpinPage = z
  .object({
    spins: z.array(WheelSpinRecord),
    today: z
      .object({
        day: z.string(),
        spinsLeft: z.number().int().openapi({ description: 'paid spins left today under the daily limit' }),
        freeSpinAvailable: z.boolean().openapi({ description: 'the share task’s free spin, beyond the limit' }),
      })
      .openapi({ description: 'where the member stands today (brand time)' }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'pass as `before` for the next (older) page; null: no more' }),
  })
  .openapi('WheelSpinPage');

export const SecretWordInput = z
  .strictObject({
    word: z.string().trim().min(1).max(40).openapi({ example: '芝麻开门' }),
    itemId: Id.openapi({ description: 'the hidden dish the word grants' }),
    startsAt: IsoTime,
    endsAt: IsoTime.nullable().default(null),
    storeIds: z.array(Id).min(1).max(500).nullable().default(null).openapi({ description: 'null: every store' }),
    active: z.boolean().default(true),
  })
  .openapi('SecretWordInput');

export const SecretWordPatch = z
  .strictObject({ startsAt: IsoTime, endsAt: IsoTime.nullable(), active: z.boolean() })
  .partial()
  .openapi('SecretWordPatch');

export const SecretWord = z
  .object({
    id: z.string(),
    word: z.string(),
    itemId: z.string(),
    templateId: z.string().openapi({ description: 'the free-item coupon template a redemption issues' }),
    startsAt: IsoTime,
    endsAt: IsoTime.nullable(),
    storeIds: z.array(z.string()).nullable(),
    active: z.boolean(),
    redemptions: z.number().int(),
  })
  .openapi('SecretWord');

export const SecretWordRedeem = z
  .strictObject({
    word: z.string().trim().min(1).max(40),
    memberId: Id.optional(),
    memberCode: z
      .string()
      .trim()
      .min(4)
      .max(16)
      .optional()
      .openapi({ description: "the guest's member code (the code on their referral card)" }),
  })
  .refine((b) => !!b.memberId !== !!b.memberCode, {
    message: 'send memberId or memberCode, not both',
    path: ['memberId'],
  })
  .openapi('SecretWordRedeem');

export const SecretWordRedemption = z
  .object({
    id: z.string(),
    wordId: z.string(),
    memberId: z.string(),
    itemId: z.string(),
    couponId: z.string().openapi({ description: 'a free-item coupon for the dish, usable at this store today' }),
    createdAt: IsoTime,
  })
  .openapi('SecretWordRedemption');

export const ShareTask = z
  .object({
    code: z.string(),
    shareUrl: z.string().openapi({ description: 'the referral link naming the wheel; friends who open it count' }),
    day: z.string(),
    opens: z.number().int(),
    needed: z.number().int().nullable(),
    earned: z.boolean(),
    freeSpinAvailable: z.boolean(),
  })
  .openapi('WheelShareTask');

export const ShareOpenInput = z
  .strictObject({
    code: z.string().trim().min(4).max(16).openapi({ description: 'the sharer’s code from the link' }),
    openGId: z.string().trim().min(1).max(128).optional().openapi({
      description: 'the WeChat group the link was opened from (wx.getGroupEnterInfo), when known',
    }),
  })
  .openapi('WheelShareOpenInput');

export const ShareOpen = z
  .object({
    counted: z.boolean(),
    reason: z.enum(['self', 'already_counted']).nullable(),
    opens: z.number().int(),
    needed: z.number().int().nullable(),
  })
  .openapi('WheelShareOpen');
