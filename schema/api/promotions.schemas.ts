import { z } from '@hono/zod-openapi';
import { Cents, IsoTime, WeeklySlotSchema } from './common.schemas';
import { CartLineInput, Quote } from './orders.schemas';

/*
 * The merchant's promotions: the pricing engine's `Promotion` shape (domain/pricing), one
 * variant per kind, with when (validity, dayparts, weekdays), where (stores, channels),
 * what (items, categories), how often (limits) and how it stacks, all as data.
 */

const Id = z.string().trim().min(1).max(64);
const Percent = z
  .number()
  .gt(0, 'must be more than 0')
  .max(100, 'must be at most 100')
  .openapi({ example: 20, description: 'percent off (20 = 20% off, 八折); up to two decimals' });
const Channel = z.enum(['dine_in', 'pickup', 'delivery', 'group']);

/** Epoch milliseconds, or ISO 8601 with an offset. */
const Instant = z
  .union([z.number().int().min(0), z.iso.datetime({ offset: true })])
  .openapi({ example: '2026-12-01T00:00:00+08:00', description: 'epoch ms or ISO 8601 with offset' });

export const PromotionValidity = z
  .strictObject({
    from: Instant.optional().openapi({ description: 'starts (inclusive)' }),
    to: Instant.optional().openapi({ description: 'ends (exclusive); after `from`' }),
    weekly: z
      .array(WeeklySlotSchema)
      .max(14)
      .optional()
      .openapi({ description: 'dayparts and weekdays in the store’s time zone, e.g. Wednesdays 11:00–14:00' }),
    storeIds: z.array(Id).max(200).optional().openapi({ description: 'only these stores; absent = every store' }),
  })
  .openapi('PromotionValidity');

export const PromotionScope = z
  .strictObject({
    itemIds: z.array(Id).max(200).optional(),
    categoryIds: z.array(Id).max(100).optional(),
  })
  .openapi('PromotionScope', { description: 'dishes or categories it covers; absent = the whole order' });

const common = {
  name: z.string().trim().min(1).max(40).openapi({ example: '满30减8' }),
  validity: PromotionValidity.optional(),
  scope: PromotionScope.optional(),
  exclusive: z.boolean().optional().openapi({ description: 'runs alone among promotions' }),
  priority: z.number().int().min(-1000).max(1000).optional().openapi({ description: 'higher runs first in its stage' }),
  combinesWithCoupons: z.boolean().optional().openapi({ description: 'overrides the brand’s coupon stacking rule' }),
  channels: z
    .array(Channel)
    .min(1)
    .max(4)
    .optional()
    .openapi({ description: 'order modes it runs for, `group` = group-buy orders; absent = every order' }),
  limits: z
    .strictObject({
      perGuest: z.number().int().min(1).max(1000).optional().openapi({ description: 'orders per signed-in guest' }),
      total: z.number().int().min(1).max(10_000_000).optional().openapi({ description: 'orders in all' }),
    })
    .optional()
    .openapi({ description: 'with a per-guest limit only signed-in guests get it' }),
  badge: z.string().trim().min(1).max(16).optional().openapi({ description: 'menu badge text; absent = derived' }),
};

const ItemPrice = { itemId: Id, specId: Id.optional(), price: Cents };

/** Each kind's own terms. */
const kinds = {
  threshold: {
    threshold: Cents.openapi({ description: 'eligible spend in cents (满)' }),
    amountOff: Cents.min(1, 'must be at least 1 cent').openapi({ description: 'cents off (减)' }),
    repeat: z.boolean().optional().openapi({ description: '每满: once per multiple of the threshold' }),
  },
  percentage: { percentOff: Percent },
  tier_discount: { tierIds: z.array(Id).min(1).max(10), percentOff: Percent },
  member_price: { ...ItemPrice, tierIds: z.array(Id).max(10).optional() },
  second_half: {},
  combo: {
    slots: z
      .array(z.strictObject({ itemIds: z.array(Id).min(1).max(50) }))
      .min(1)
      .max(6),
    price: Cents.min(1, 'must be at least 1 cent'),
    maxApplications: z.number().int().min(1).max(99).optional(),
  },
  free_gift: { threshold: Cents, giftItemId: Id, giftSpecId: Id.optional() },
  flash_price: { ...ItemPrice, maxQuantity: z.number().int().min(1).max(99).optional() },
  bxgy: {
    buy: z.number().int().min(1).max(20),
    get: z.number().int().min(1).max(20),
    maxApplications: z.number().int().min(1).max(99),
  },
  closing_markdown: {
    minutesBeforeClose: z.number().int().min(5).max(240).openapi({ description: 'minutes before closing it starts' }),
    percentOff: Percent,
  },
} as const;

export type PromotionKind = keyof typeof kinds;
export const PROMOTION_KINDS = Object.keys(kinds) as PromotionKind[];

const variants = (strict: boolean, extra: z.ZodRawShape = {}) =>
  PROMOTION_KINDS.map((kind) => {
    const o = z.object({ kind: z.literal(kind), ...common, ...kinds[kind], ...extra });
    return strict ? o.strict() : o;
  }) as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]];

const epoch = (v: string | number | undefined) => (typeof v === 'string' ? Date.parse(v) : v);

/** A new promotion (the server gives it its id). Unknown properties are refused. */
export const PromotionInput = z
  .discriminatedUnion('kind', variants(true))
  .superRefine((p, ctx) => {
    const v = (p as { validity?: { from?: string | number; to?: string | number } }).validity;
    const from = epoch(v?.from);
    const to = epoch(v?.to);
    if (from !== undefined && to !== undefined && to <= from) {
      ctx.addIssue({ code: 'custom', path: ['validity', 'to'], message: 'the window ends before it starts' });
    }
  })
  .openapi('PromotionInput');
export type PromotionInput = z.infer<typeof PromotionInput>;

/** Changes to a promotion: any of its fields (not its kind); `null` removes an optional one. */
export const PromotionPatch = z
  .strictObject({
    active: z.boolean().optional().openapi({ description: 'false pauses it, true resumes it' }),
    ...Object.fromEntries(
      Object.entries({ ...common, ...Object.assign({}, ...Object.values(kinds)) }).map(([k, s]) => [
        k,
        (s as z.ZodType).nullable().optional(),
      ]),
    ),
  })
  .openapi('PromotionPatch');

const meta = {
  id: z.string().openapi({ example: 'prm_3f9c2a1b' }),
  active: z.boolean(),
  label: z.string().openapi({ example: '满30减8', description: 'the menu badge' }),
  createdAt: IsoTime,
  updatedAt: IsoTime,
};

export const Promotion = z.discriminatedUnion('kind', variants(false, meta)).openapi('Promotion');

export const PromotionPreviewInput = z
  .strictObject({
    storeId: Id,
    mode: z.enum(['dine_in', 'pickup', 'delivery']),
    group: z.boolean().optional().openapi({ description: 'price as a group-buy order' }),
    lines: z.array(CartLineInput).min(1).max(50),
    at: Instant.optional().openapi({ description: 'price as of this instant; default now' }),
    tierId: Id.optional().openapi({ description: 'price for a signed-in member of this tier' }),
    promotionIds: z
      .array(Id)
      .max(50)
      .optional()
      .openapi({ description: 'only these saved promotions; default every active one' }),
    draft: PromotionInput.optional().openapi({ description: 'a promotion not yet saved, priced alongside' }),
  })
  .openapi('PromotionPreviewInput');

export const PromotionPreview = z
  .object({
    total: z.number().int(),
    itemsSubtotal: z.number().int(),
    discountTotal: z.number().int(),
    applied: z.array(
      z.object({ id: z.string(), name: z.string(), kind: z.string(), label: z.string(), amount: z.number().int() }),
    ),
    explanation: z.array(z.string()).openapi({ example: ['满30减8: −¥8.00 (¥36.00 on eligible items reaches …)'] }),
    notApplied: z.array(z.object({ id: z.string(), name: z.string(), why: z.string() })),
    quote: Quote,
  })
  .openapi('PromotionPreview');
export type PromotionPreviewInput = z.infer<typeof PromotionPreviewInput>;
