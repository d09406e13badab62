import { z } from '@hono/zod-openapi';
import { channels } from '../../domain/channels/channel-order';
import { IsoTime } from './common.schemas';

const Channel = z.enum(channels).openapi({ example: 'meituan' });

export const ChannelBindingInput = z
  .strictObject({
    storeId: z.string().min(1).max(64).openapi({ example: 'sto_demo_peoplesq' }),
    channel: Channel,
    appId: z
      .string()
      .min(1)
      .max(128)
      .openapi({ description: "the platform app's id (Meituan app_id, Ele.me app key)" }),
    secret: z
      .string()
      .min(1)
      .max(256)
      .openapi({ description: "the platform app's secret; write-only: sealed, never shown again" }),
    platformShopId: z
      .string()
      .min(1)
      .max(128)
      .openapi({ description: "the shop's id on the platform (Meituan app_poi_code, Ele.me shopId)" }),
    autoAccept: z
      .boolean()
      .default(false)
      .openapi({ description: 'accept new orders at once while the kitchen is within its peak limits' }),
  })
  .openapi('ChannelBindingInput');

export const ChannelBinding = z
  .object({
    id: z.string().openapi({ example: 'chb_3f9c2a1b7d4e' }),
    storeId: z.string(),
    channel: Channel,
    appId: z.string(),
    platformShopId: z.string(),
    autoAccept: z.boolean(),
    pushUrl: z.string().openapi({
      description: "where to register the platform's pushes (Meituan: one URL per push type, `{pushType}` replaced)",
    }),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .openapi('ChannelBinding');

export const ChannelBindingList = z.object({ items: z.array(ChannelBinding) }).openapi('ChannelBindingList');

export const MenuPushQueued = z
  .object({ queued: z.literal(true), channel: Channel, storeId: z.string() })
  .openapi('MenuPushQueued');

export const ChannelRefusalsQuery = z.object({
  storeId: z.string().min(1).max(64).optional().openapi({
    description: 'one store of the brand; without it, the brand’s stores and the refusals no shop was found for',
  }),
  since: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD')
    .optional()
    .openapi({ example: '2026-12-01', description: 'first UTC day counted; default the last 7 days' }),
});

export const ChannelRefusalList = z
  .object({
    items: z.array(
      z.object({
        channel: Channel,
        reason: z.enum(['signature', 'stale', 'unknown_shop', 'malformed']),
        day: z.string().openapi({ example: '2026-12-03', description: 'UTC day' }),
        storeId: z
          .string()
          .nullable()
          .openapi({ description: 'the store whose shop the push named; null when no bound shop was found' }),
        count: z.number().int(),
        lastAt: IsoTime.nullable(),
      }),
    ),
  })
  .openapi('ChannelRefusalList');
