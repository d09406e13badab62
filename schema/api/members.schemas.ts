import { z } from '@hono/zod-openapi';
import { IsoTime } from './common.schemas';
import { PointsBalance, TierStanding } from './loyalty.schemas';

/** `personalisation`: profiles and recommendations built from the member's orders (PIPL: separate consent). */
export const consentKinds = ['marketing_push', 'marketing_sms', 'personalisation'] as const;
export type ConsentKind = (typeof consentKinds)[number];

/** A real calendar date, `YYYY-MM-DD`, not in the future and not before 1900. */
export const Birthday = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s >= '1900-01-01' && d <= new Date();
    },
    { message: 'not a real past date' },
  )
  .openapi({ example: '1995-08-17' });

export const Consent = z
  .object({
    kind: z.enum(consentKinds),
    granted: z.boolean(),
    text: z
      .string()
      .nullable()
      .openapi({ description: 'the text the member agreed to or withdrew; null if never asked' }),
    at: IsoTime.nullable().openapi({ description: 'when; null if never asked (off by default)' }),
  })
  .openapi('Consent');

export const MemberProfile = z
  .object({
    id: z.string(),
    nickname: z.string(),
    phone: z.string().nullable().openapi({ example: '138****5678', description: 'masked; null when none is bound' }),
    birthday: z.string().nullable().openapi({ description: 'YYYY-MM-DD; fixed once set' }),
    tags: z.array(z.string()).openapi({ description: 'preference tags learned from orders', example: ['milk tea'] }),
    consents: z.array(Consent),
    balance: z.number().int().openapi({ description: 'stored value, integer cents' }),
    availableCoupons: z.number().int(),
    tier: TierStanding,
    points: PointsBalance,
    perks: z
      .object({
        birthdayWeek: z.boolean(),
        memberDay: z.boolean(),
        checkedInToday: z.boolean(),
        checkInStreak: z.number().int(),
        diceRollsLeft: z.number().int(),
      })
      .openapi({ description: 'what is on for the member today (brand time)' }),
    createdAt: IsoTime,
  })
  .openapi('MemberProfile');

export const MemberPatch = z
  .strictObject({
    nickname: z.string().trim().min(1).max(32).optional(),
    birthday: Birthday.optional(),
  })
  .openapi('MemberPatch');

export const PhoneBinding = z
  .strictObject({
    phone: z
      .string()
      .max(32)
      .openapi({ example: '13812345678', description: 'mainland China mobile; spaces, dashes and +86 allowed' }),
    code: z.string().max(16).optional().openapi({
      example: '042917',
      description:
        'the 6-digit code sent by POST /v1/members/me/phone/code; required (without it: 422 `phone.code_required`)',
    }),
  })
  .openapi('PhoneBinding');

export const PhoneCodeRequest = z
  .strictObject({
    phone: z
      .string()
      .max(32)
      .openapi({ example: '13812345678', description: 'mainland China mobile; spaces, dashes and +86 allowed' }),
  })
  .openapi('PhoneCodeRequest');

export const PhoneCodeSent = z
  .object({ sent: z.literal(true), expiresInSeconds: z.number().int() })
  .openapi('PhoneCodeSent');

export const ConsentUpdate = z
  .strictObject({
    granted: z.boolean(),
    text: z.string().trim().min(1).max(4000).openapi({ description: 'the exact consent text the member was shown' }),
  })
  .openapi('ConsentUpdate');

const Row = z.record(z.string(), z.unknown());

export const MemberExport = z
  .object({
    exportedAt: IsoTime,
    member: Row.openapi({ description: 'the member row, phone decrypted' }),
    consents: z.array(Row),
    orders: z.array(Row).openapi({ description: 'order history, delivery address and phone decrypted' }),
    payments: z.array(Row),
    refunds: z.array(Row),
    wallet: z.object({ balance: z.number().int(), ledger: z.array(Row) }),
    coupons: z.array(Row),
    profile: Row.nullable().openapi({ description: 'the taste profile (kept only with the personalisation consent)' }),
    loyalty: z.object({
      standing: Row.nullable(),
      tierHistory: z.array(Row),
      pointsLedger: z.array(Row),
      pointsLots: z.array(Row),
      referrals: z.array(Row),
      games: z.array(Row),
      reviews: z.array(Row),
      notifications: z.array(Row),
      campaigns: z.array(Row),
      segment: Row.nullable(),
      groupBuys: z.array(Row),
      bargains: z.array(Row),
      bargainHelps: z.array(Row),
      perkClaims: z.array(Row),
      wheelSpins: z.array(Row),
      wheelShareOpens: z.array(Row),
      secretWords: z.array(Row),
      referralCash: z.array(Row),
    }),
  })
  .openapi('MemberExport');

export const MemberErased = z
  .object({
    id: z.string(),
    erasedAt: IsoTime,
    kept: z.object({ orders: z.number().int(), payments: z.number().int(), walletEntries: z.number().int() }),
  })
  .openapi('MemberErased');

export const couponShelves = ['usable', 'used', 'expired'] as const;

export const MemberCoupon = z
  .object({
    id: z.string(),
    templateId: z.string(),
    name: z.string().openapi({ description: 'the template’s name when it was issued' }),
    kind: z.enum(['amount', 'percent', 'free_item', 'delivery_waiver']),
    rule: z.object({
      threshold: z.number().int().optional(),
      amountOff: z.number().int().optional(),
      percentOff: z.number().int().optional(),
      cap: z.number().int().optional(),
      itemId: z.string().optional(),
    }),
    summary: z.string().openapi({ example: '¥5.00 off orders from ¥30.00' }),
    status: z.enum(couponShelves),
    locked: z.boolean().openapi({ description: 'usable, but held by an unpaid order until it is paid or cancelled' }),
    validFrom: IsoTime,
    validTo: IsoTime,
    usedAt: IsoTime.nullable(),
    orderId: z.string().nullable(),
    source: z.string().nullable().openapi({ example: 'gift_pack' }),
  })
  .openapi('MemberCoupon');
