import { z } from '@hono/zod-openapi';
import { reasonCodes, strategies } from '../../domain/recommend/recommend';

export const RecommendReason = z
  .object({
    code: z.enum(reasonCodes).openapi({ example: 'goes_with' }),
    text: z.string().openapi({ example: '配红烧牛肉面刚好' }),
  })
  .openapi('RecommendReason');

export const Recommendations = z
  .object({
    items: z.array(
      z.object({
        itemId: z.string().openapi({ example: 'itm_milktea' }),
        score: z.number().openapi({ description: 'higher first; comparable within one answer only' }),
        reason: RecommendReason,
      }),
    ),
    combos: z.array(
      z.object({
        itemIds: z.array(z.string()).openapi({ example: ['itm_milktea', 'itm_mangopomelo'] }),
        score: z.number(),
        reason: RecommendReason,
      }),
    ),
    strategy: z.enum(strategies).openapi({
      description: '`popular` whenever the guest is not known (no token, or no personalisation consent)',
    }),
  })
  .openapi('Recommendations');

export const RecommendQuery = z.object({
  storeId: z.string().min(1).max(64).openapi({ example: 'sto_demo_peoplesq' }),
  strategy: z.enum(strategies).optional().openapi({ description: 'how to mix; default `blend`' }),
});
