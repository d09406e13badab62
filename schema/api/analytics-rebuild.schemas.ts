import { z } from '@hono/zod-openapi';

/** Business days to re-derive (issue #15): rollups, member days and brand days. */
export const RebuildRequest = z
  .strictObject({
    from: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected YYYY-MM-DD')
      .openapi({ example: '2026-10-01', description: 'first business day, inclusive' }),
    to: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected YYYY-MM-DD')
      .openapi({ example: '2026-11-30', description: 'last business day, inclusive (at most 366 days after `from`)' }),
    storeId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'one store; default every store of the brand (and the brand days too)' }),
  })
  .openapi('AnalyticsRebuildRequest');

export const RebuildQueued = z
  .object({
    from: z.string(),
    to: z.string(),
    days: z.number().int(),
    stores: z.array(z.string()),
  })
  .openapi('AnalyticsRebuildQueued');
