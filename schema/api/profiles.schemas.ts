import { z } from '@hono/zod-openapi';
import { healthLeanings, mealScenes, spendingLevels } from '../../domain/profiles/profile-config';
import { IsoTime } from './common.schemas';

const Share = z.number().min(0).max(1).openapi({ description: 'share of orders, 0–1, two decimals' });
export const MealScene = z.enum(mealScenes);
const Tag = z.string().trim().min(1).max(32);

export const ProfileExclusions = z
  .object({
    tags: z.array(z.string()).openapi({ description: 'taste tags the member asked not to be used' }),
    scenes: z.array(MealScene).openapi({ description: 'meal scenes the member asked not to be used' }),
  })
  .openapi('ProfileExclusions');

export const TasteProfile = z
  .object({
    orders: z.number().int().openapi({ description: 'completed orders read (the latest 200 at most)' }),
    favouriteDishes: z.array(z.object({ itemId: z.string(), name: z.string(), count: z.number().int() })),
    favouriteCategories: z.array(z.object({ name: z.string(), count: z.number().int() })),
    tags: z
      .array(z.object({ tag: z.string(), count: z.number().int() }))
      .openapi({ description: 'taste tags by the number of orders suggesting them' }),
    spending: z
      .object({
        averageTicket: z.number().int().openapi({ description: 'cents' }),
        level: z.enum(spendingLevels),
      })
      .nullable(),
    scenes: z.array(z.object({ scene: MealScene, share: Share })),
    mainScenes: z.array(MealScene).openapi({ description: 'scenes with at least a quarter of the orders' }),
    modes: z.object({ dine_in: Share, pickup: Share, delivery: Share }),
    priceSensitivity: Share.openapi({ description: 'share of orders that used a coupon or a discount' }),
    delivery: z.object({
      share: Share,
      freeShare: Share.openapi({ description: 'share of the delivery orders that carried no delivery fee' }),
      feeDeters: z.boolean().openapi({
        description: 'at least 3 delivery orders and 80% of them free: the member orders delivery when free',
      }),
    }),
    health: z.object({
      friedShare: Share,
      lightShare: Share,
      leaning: z.enum(healthLeanings).nullable(),
    }),
    lastVisitAt: IsoTime.nullable(),
    medianIntervalDays: z.number().nullable(),
    nextVisitAt: IsoTime.nullable().openapi({
      description: 'the last visit plus the median interval between visit days',
    }),
    exclusions: ProfileExclusions,
    computedAt: IsoTime,
  })
  .openapi('TasteProfile');

export const MyTasteProfile = z
  .object({
    profile: TasteProfile.nullable(),
    reason: z
      .enum(['no_consent'])
      .nullable()
      .openapi({ description: '`no_consent`: the personalisation consent is not granted, so no profile is kept' }),
  })
  .openapi('MyTasteProfile');

export const ProfileExclusionsPatch = z
  .strictObject({
    exclusions: z.strictObject({
      tags: z.array(Tag).max(50).optional().openapi({ description: 'replaces the excluded tags' }),
      scenes: z.array(MealScene).max(5).optional().openapi({ description: 'replaces the excluded scenes' }),
    }),
  })
  .openapi('ProfileExclusionsPatch');
