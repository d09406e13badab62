import { z } from '@hono/zod-openapi';
import { Option, Spec } from './catalog.schemas';
import { IsoTime, WeeklySlotSchema } from './common.schemas';

export const PromotionBadge = z
  .object({
    promotionId: z.string(),
    kind: z.string().openapi({ example: 'second_half' }),
    name: z.string().openapi({ example: '周三第二份半价' }),
    label: z.string().openapi({ example: '第二份半价' }),
    channels: z.array(z.enum(['dine_in', 'pickup', 'delivery', 'group'])).optional(),
    membersOnly: z.boolean().optional(),
    price: z
      .number()
      .int()
      .optional()
      .openapi({ description: "A flash price's unit price in cents (the list price is the item's or its spec's)" }),
    specId: z.string().optional().openapi({ description: 'The spec a flash price is for, when it is for one' }),
  })
  .openapi('PromotionBadge');

export const MenuItem = z
  .object({
    id: z.string(),
    categoryId: z.string(),
    name: z.string(),
    description: z.string(),
    price: z.number().int().openapi({ description: 'cents; with specs, the price of the chosen spec applies' }),
    imageUrl: z.string().nullable(),
    calories: z.number().int().nullable(),
    ingredients: z.array(z.string()),
    allergens: z.array(z.string()),
    tags: z.array(z.string()),
    specs: z.array(Spec),
    optionGroups: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        min: z.number().int(),
        max: z.number().int(),
        options: z.array(Option),
      }),
    ),
    maxPerOrder: z.number().int().nullable(),
    prepSeconds: z.number().int(),
    available: z.boolean(),
    unavailableReason: z.enum(['sold_out', 'outside_hours']).optional(),
    nextAvailableAt: IsoTime.optional(),
    availabilityWindows: z.array(WeeklySlotSchema),
    rating: z
      .object({ average: z.number().min(1).max(5), count: z.number().int().min(1) })
      .optional()
      .openapi({ description: "guests' ratings of the dish at this store (average to one decimal); absent: none yet" }),
    promotions: z.array(PromotionBadge).openapi({ description: 'promotions on this dish running now' }),
  })
  .openapi('MenuItem');

export const Menu = z
  .object({
    storeId: z.string(),
    version: z.number().int(),
    publishedAt: IsoTime,
    currency: z.string(),
    promotions: z.array(PromotionBadge).openapi({ description: 'promotions on the whole order running now' }),
    categories: z.array(z.object({ id: z.string(), name: z.string(), items: z.array(MenuItem) })),
  })
  .openapi('Menu');
