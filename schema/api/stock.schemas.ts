import { z } from '@hono/zod-openapi';

/*
 * Stock that warns (issue #18): low-stock levels, and per dish the sales velocity and the
 * suggested prep for a day. Definitions: README "Stock that warns".
 */

export const LowStockLevelSet = z
  .strictObject({
    level: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .nullable()
      .openapi({
        description:
          'warn once when today’s count falls to this many or fewer (kitchen displays and the store’s managers); ' +
          'null = no warning',
        example: 5,
      }),
  })
  .openapi('LowStockLevelSet');

export const StockLevel = z
  .object({
    itemId: z.string(),
    remaining: z.number().int().nullable().openapi({ description: 'today’s count; null = unlimited' }),
    dailyDefault: z.number().int().nullable(),
    lowLevel: z.number().int().nullable(),
    low: z.boolean().openapi({ description: 'the count is at or below the low-stock level' }),
  })
  .openapi('StockLevel');

const BacktestError = z
  .object({
    days: z.number().int().openapi({ description: 'days forecast in the backtest' }),
    mae: z.number().openapi({ description: 'mean absolute error, units per day' }),
    wape: z.number().nullable().openapi({ description: 'Σ|error| / Σ units sold (null when nothing sold)' }),
  })
  .openapi('BacktestError');

const Method = z.enum(['seasonal_naive', 'holt_winters']);

export const StockForecastItem = z
  .object({
    itemId: z.string(),
    name: z.string(),
    velocity: z.object({
      today: z.object({
        units: z.number().int(),
        perHour: z.number().nullable().openapi({ description: 'per open hour so far; null before opening' }),
      }),
      sameWeekday: z.object({
        weeks: z.number().int().openapi({ description: 'past same weekdays (up to 4) the store traded on' }),
        units: z.number().openapi({ description: 'mean units by the same time of day' }),
        perHour: z.number().nullable(),
      }),
      ratio: z.number().nullable().openapi({ description: 'today’s pace / the same weekday’s (2 = twice as fast)' }),
    }),
    suggestion: z
      .object({
        quantity: z.number().int().openapi({ description: 'units to prepare: the forecast rounded up' }),
        forecast: z.number(),
        method: Method,
      })
      .nullable()
      .openapi({ description: 'null when the dish has under 8 days of history' }),
    backtest: z.object({ seasonalNaive: BacktestError.nullable(), holtWinters: BacktestError.nullable() }).nullable(),
  })
  .openapi('StockForecastItem');

export const StockForecast = z
  .object({
    storeId: z.string(),
    date: z.string().openapi({ description: 'the day forecast', example: '2026-12-03' }),
    today: z.string().openapi({ description: 'the store’s business day now' }),
    asOf: z.string().openapi({ description: 'ISO 8601 in the store’s time zone' }),
    history: z.object({ from: z.string().nullable(), to: z.string(), days: z.number().int() }),
    accuracy: z
      .object({
        metric: z.literal('mae').openapi({ description: 'what picks the method per dish' }),
        chosen: BacktestError.nullable(),
        seasonalNaive: BacktestError.nullable(),
        holtWinters: BacktestError.nullable(),
      })
      .openapi({ description: 'backtest errors over every dish: the chosen methods, and each method for all' }),
    items: z.array(StockForecastItem),
  })
  .openapi('StockForecast');

export const StockForecastQuery = z.object({
  date: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
    .optional()
    .openapi({ description: 'YYYY-MM-DD, from today to 14 days ahead; default tomorrow', example: '2026-12-03' }),
});
