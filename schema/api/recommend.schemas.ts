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
      description:
        'the strategy that made the list: `popular` whenever the guest is not known (no token, or no ' +
        'personalisation consent), whatever was asked or the variant says',
    }),
    experiment: z
      .object({
        key: z.string().openapi({ example: 'rec_strategy' }),
        variant: z.string().openapi({ example: 'blend' }),
      })
      .nullable()
      .openapi({
        description: 'the `rec_strategy` experiment variant that chose the strategy; null when none did',
      }),
  })
  .openapi('Recommendations');

export const RecommendQuery = z.object({
  storeId: z.string().min(1).max(64).openapi({ example: 'sto_demo_peoplesq' }),
  strategy: z
    .enum(strategies)
    .optional()
    .openapi({
      description:
        'how to mix; when absent, the member’s variant of a running `recommendation_strategy` experiment keyed ' +
        '`rec_strategy` (their exposure recorded), else `blend`. An explicit value records no exposure.',
    }),
});
