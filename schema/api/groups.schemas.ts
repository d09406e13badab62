import { z } from '@hono/zod-openapi';
import { IsoTime } from './common.schemas';

const DeviceId = z
  .string()
  .trim()
  .min(8)
  .max(128)
  .openapi({ description: 'stable device identifier; stored only as a keyed hash', example: 'dev-8f2c1a9e' });

const Share = z
  .object({
    shareUrl: z.string(),
    path: z.string().openapi({ description: 'mini-program page for the share card' }),
    poster: z.object({ page: z.string(), scene: z.string(), title: z.string() }),
  })
  .openapi({ description: 'H5 link, and the payload for wxacode.getUnlimited (scene ≤ 32 characters)' });

export const GroupSeatInput = z
  .strictObject({
    orderId: z.string().min(1).max(64).openapi({ description: 'your paid order containing the group item' }),
    deviceId: DeviceId.optional(),
  })
  .openapi('GroupSeatInput');

export const GroupBuy = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    status: z.enum(['open', 'filled', 'failed']),
    size: z.number().int(),
    joined: z.number().int(),
    left: z.number().int().openapi({ description: 'places still free (0 once filled or failed)' }),
    expiresAt: IsoTime,
    youAreIn: z.boolean(),
    reward: z.object({
      itemId: z.string(),
      percentOff: z.number().int().openapi({ description: 'of the item line paid back when the group fills' }),
      templateId: z.string().nullable(),
    }),
    share: Share,
  })
  .openapi('GroupBuy');

export const BargainHelpInput = z.strictObject({ deviceId: DeviceId.optional() }).openapi('BargainHelpInput');

const RungView = z.object({ helpers: z.number().int(), templateId: z.string(), reached: z.boolean() });

export const Bargain = z
  .object({
    id: z.string(),
    campaignId: z.string(),
    status: z.enum(['open', 'done', 'expired']),
    helpers: z.number().int(),
    expiresAt: IsoTime,
    mine: z.boolean(),
    youHelped: z.boolean(),
    rungs: z.array(RungView),
    rungsReached: z.number().int(),
    nextRung: z
      .object({ helpers: z.number().int(), templateId: z.string(), needed: z.number().int() })
      .nullable()
      .openapi({ description: 'null once the top rung is reached' }),
    share: Share,
  })
  .openapi('Bargain');
