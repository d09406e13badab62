import { z } from '@hono/zod-openapi';
import { periodProblem } from '../../domain/analytics/period';

/*
 * KPIs for managers (issue #15). Money in cents, rates in [0, 1] (null when the denominator
 * is zero: "no data" is not "0 %"), days are store-local business days `YYYY-MM-DD`.
 * Definitions, formulas and edge cases: README "Business KPIs".
 */

const LocalDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected YYYY-MM-DD')
  .openapi({ example: '2026-11-30' });

const Rate = z.number().min(0).nullable();

export const AnalyticsQuery = z
  .object({
    from: LocalDate.openapi({ description: 'first business day, inclusive' }),
    to: LocalDate.openapi({
      description: 'last business day, inclusive: not before `from`, and the period covers at most 366 days',
    }),
    storeId: z
      .union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).max(100)])
      .optional()
      .openapi({ description: 'repeatable; default: every store the caller may see' }),
    format: z.enum(['json', 'csv']).default('json').openapi({
      description: '`csv` for the spreadsheet: RFC 4180, UTF-8 with BOM, money in yuan (`_yuan` columns)',
    }),
  })
  .superRefine((q, ctx) => {
    const problem = periodProblem(q.from, q.to);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

export const TableTurnover = z
  .object({
    seatings: z.number().int().openapi({ description: 'table seatings opened in the period' }),
    tables: z.number().int().openapi({ description: 'tables × days in the period' }),
    turns: z.number().nullable().openapi({ description: 'Western turns: seatings ÷ (tables × days)' }),
    fantaiRate: z
      .number()
      .nullable()
      .openapi({ description: '翻台率: (seatings − tables×days) ÷ (tables×days); 0 when each table sat once' }),
    averageTurnMinutes: z.number().nullable().openapi({ description: 'mean seating open → close' }),
  })
  .openapi('TableTurnover');

export const KpiTargets = z
  .object({
    repurchaseRate30d: z.number().min(0).max(1).openapi({ example: 0.4 }),
    memberActivityRate: z.number().min(0).max(1).openapi({ example: 0.5 }),
    pointsConsumptionRate: z.number().min(0).max(1).openapi({ example: 0.6 }),
  })
  .openapi('KpiTargets');

/** The figures of a period (summary) or of one store-day (daily rows carry the same fields). */
const KpiFields = {
  revenue: z.number().int().openapi({ description: 'paid order totals after discounts, before refunds' }),
  refunds: z.number().int(),
  netRevenue: z.number().int().openapi({ description: 'revenue − refunds' }),
  orders: z.number().int().openapi({ description: 'paid orders' }),
  guests: z.number().int().openapi({ description: 'covers' }),
  averageOrderValue: z.number().int().nullable().openapi({ description: 'netRevenue ÷ orders (cents, rounded)' }),
  averagePerGuest: z.number().int().nullable().openapi({ description: '人均: netRevenue ÷ guests (cents, rounded)' }),
  discountTotal: z.number().int(),
  tableTurnover: TableTurnover,
  repurchaseRate30d: Rate.openapi({
    description:
      'members with ≥ 2 distinct purchase days in the 30 days ending `to` at these stores ÷ members with ≥ 1 (day-dedup)',
  }),
  memberActivityRate: Rate.openapi({
    description:
      'brand-wide: members with purchases on ≥ 3 distinct days in the 30 days ending `to` ÷ members (not erased) by then',
  }),
  pointsConsumptionRate: Rate.openapi({ description: 'brand-wide: points used ÷ points issued in the period' }),
  couponRedemptionRate: Rate.openapi({ description: 'brand-wide: coupons used ÷ coupons issued in the period' }),
  newMembers: z.number().int().openapi({ description: 'brand-wide: members who joined in the period' }),
  activeMembers: z
    .number()
    .int()
    .openapi({ description: 'members with a purchase day at these stores in the 30 days ending `to`' }),
};

export const KpiSummary = z
  .object({
    from: LocalDate,
    to: LocalDate,
    stores: z.array(z.string()),
    ...KpiFields,
    targets: KpiTargets,
  })
  .openapi('KpiSummary');

export const KpiDailyRow = z.object({ storeId: z.string(), day: LocalDate, ...KpiFields }).openapi('KpiDailyRow', {
  description:
    'One store-day; member figures as of that day. Brand-wide fields repeat the brand’s figure of the day on every store’s row.',
});
export const KpiDaily = z.object({ from: LocalDate, to: LocalDate, items: z.array(KpiDailyRow) }).openapi('KpiDaily');

export const ItemSales = z
  .object({
    itemId: z.string(),
    name: z.string(),
    rank: z.number().int(),
    quantity: z.number().int(),
    revenue: z.number().int(),
    share: z.number().openapi({ description: 'share of the period’s item revenue, 0–1' }),
    refunds: z.number().int(),
    refundQuantity: z.number().int(),
    averageRating: z.number().nullable().openapi({ description: '1–5 from reviews, null when none' }),
  })
  .openapi('ItemSales');
export const KpiItems = z.object({ from: LocalDate, to: LocalDate, items: z.array(ItemSales) }).openapi('KpiItems');

export const HourCell = z
  .object({
    weekday: z.number().int().min(1).max(7).openapi({ description: 'ISO weekday, 1 = Monday' }),
    hour: z.number().int().min(0).max(23),
    orders: z.number().int(),
    revenue: z.number().int(),
  })
  .openapi('HourCell');
export const KpiHours = z.object({ from: LocalDate, to: LocalDate, cells: z.array(HourCell) }).openapi('KpiHours');

export const StoreComparison = z
  .object({
    storeId: z.string(),
    name: z.string(),
    rank: z.number().int().openapi({ description: 'by net revenue, 1 = best' }),
    netRevenue: z.number().int(),
    orders: z.number().int(),
    averageOrderValue: z.number().int().nullable(),
    repurchaseRate30d: Rate,
    change: z
      .object({
        netRevenue: z.number().nullable(),
        orders: z.number().nullable(),
        averageOrderValue: z.number().nullable(),
      })
      .openapi({ description: 'relative change against the previous period of the same length (0.1 = +10 %)' }),
  })
  .openapi('StoreComparison');
export const KpiStores = z
  .object({
    from: LocalDate,
    to: LocalDate,
    previous: z.object({ from: LocalDate, to: LocalDate }),
    items: z.array(StoreComparison),
  })
  .openapi('KpiStores');

/** The on-time report's query: a period and, optionally, stores (JSON only). */
export const OnTimeQuery = z
  .object({
    from: LocalDate.openapi({ description: 'first business day, inclusive' }),
    to: LocalDate.openapi({ description: 'last business day, inclusive (at most 366 days)' }),
    storeId: z
      .union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).max(100)])
      .optional()
      .openapi({ description: 'repeatable; default: every store the caller may see' }),
  })
  .superRefine((q, ctx) => {
    const problem = periodProblem(q.from, q.to);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

const OnTimeShare = z
  .number()
  .min(0)
  .max(1)
  .nullable()
  .openapi({ description: 'share in [0, 1]; null when none delivered' });

export const KpiOnTime = z
  .object({
    from: z.string(),
    to: z.string(),
    stores: z.array(
      z.object({
        storeId: z.string(),
        storeName: z.string(),
        delivered: z.number().int(),
        onTime: z.number().int(),
        onTimeRate: OnTimeShare,
      }),
    ),
    couriers: z.array(
      z.object({
        storeId: z.string(),
        provider: z.enum(['own', 'wechat', 'dada', 'sf']),
        riderId: z.string().nullable().openapi({ description: 'the store’s own rider; null for a carrier' }),
        riderName: z.string().nullable(),
        delivered: z.number().int(),
        onTime: z.number().int(),
        onTimeRate: OnTimeShare,
      }),
    ),
  })
  .openapi('KpiOnTime');
