/*
 * Business KPIs from summed rollup figures (issue #15). Pure: the service sums rows in SQL and
 * hands the totals here, so every formula and its edge cases live (and are tested) in one place.
 * Money is integer cents; a rate whose denominator is 0 is null ("no data" is not "0 %").
 */

/** Sales figures summed over the `day` rollup rows of a period (one store or many). */
export interface SalesTotals {
  /** Paid order totals after discounts, before refunds (cents). */
  revenue: number;
  /** Refunds, on the day of the order they belong to (cents). */
  refunds: number;
  /** Paid orders (a later cancellation or refund does not un-count one). */
  orders: number;
  /** Covers. */
  guests: number;
  discounts: number;
  /** Table seatings opened. */
  seatings: number;
  /** Sum of the seatings' open → close minutes. */
  turnMinutes: number;
  /** Tables × days: each day row's table count, summed. */
  tableDays: number;
}

/** Member figures over the 30-day window ending the period's last day. */
export interface MemberTotals {
  /** Members with at least one purchase day in the window at the chosen stores. */
  buyers: number;
  /** …of whom bought on two or more distinct days there. */
  repeaters: number;
  /** Members of the brand (not erased, joined by the window's end). */
  brandMembers: number;
  /** Members with purchase days on three or more distinct days in the window, at any store of the brand. */
  regulars: number;
}

/** Brand-wide figures of the period (points and coupons are the brand's currency, not a store's). */
export interface BrandTotals {
  newMembers: number;
  pointsIssued: number;
  pointsUsed: number;
  couponsIssued: number;
  couponsUsed: number;
}

export const zeroSales = (): SalesTotals => ({
  revenue: 0,
  refunds: 0,
  orders: 0,
  guests: 0,
  discounts: 0,
  seatings: 0,
  turnMinutes: 0,
  tableDays: 0,
});

export const zeroMembers = (): MemberTotals => ({ buyers: 0, repeaters: 0, brandMembers: 0, regulars: 0 });

export const zeroBrand = (): BrandTotals => ({
  newMembers: 0,
  pointsIssued: 0,
  pointsUsed: 0,
  couponsIssued: 0,
  couponsUsed: 0,
});

/** Days a member must buy on, within 30 days, to count as active (the seeds' "≥ 3 times a month"). */
export const ACTIVE_DAYS = 3;

/** A rate rounded to 4 decimals (0.1234 = 12.34 %), or null when there is nothing to divide by. */
export function rate(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** A money average in whole cents (half away from zero), or null when nothing to divide by. */
export function averageCents(cents: number, count: number): number | null {
  if (count <= 0) return null;
  const q = cents / count;
  return q < 0 ? -Math.round(-q) : Math.round(q);
}

/** Relative change of `current` against `previous` (0.1 = +10 %), null when there was nothing before. */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return Math.round(((current - previous) / Math.abs(previous)) * 10_000) / 10_000;
}

export interface TableTurnover {
  seatings: number;
  tables: number;
  turns: number | null;
  fantaiRate: number | null;
  averageTurnMinutes: number | null;
}

/**
 * Table turnover two ways. Western turns = seatings ÷ (tables × days): a table seated twice
 * in a day is 2 turns. 翻台率 = (seatings − tables × days) ÷ (tables × days): the same table
 * is 100 %; each table once is 0 %, and it never goes below 0 (a quiet day with empty tables
 * is 0 %, not negative, as the Chinese reading has it).
 */
export function tableTurnover(s: Pick<SalesTotals, 'seatings' | 'tableDays' | 'turnMinutes'>): TableTurnover {
  const turns = rate(s.seatings, s.tableDays);
  const fantai = rate(Math.max(0, s.seatings - s.tableDays), s.tableDays);
  const avg = s.seatings > 0 ? Math.round((s.turnMinutes / s.seatings) * 10) / 10 : null;
  return { seatings: s.seatings, tables: s.tableDays, turns, fantaiRate: fantai, averageTurnMinutes: avg };
}

/** The KPI fields of a period or of one store-day (the API's `KpiSummary` without period and targets). */
export function kpiFields(sales: SalesTotals, members: MemberTotals, brand: BrandTotals) {
  const netRevenue = sales.revenue - sales.refunds;
  return {
    revenue: sales.revenue,
    refunds: sales.refunds,
    netRevenue,
    orders: sales.orders,
    guests: sales.guests,
    averageOrderValue: averageCents(netRevenue, sales.orders),
    averagePerGuest: averageCents(netRevenue, sales.guests),
    discountTotal: sales.discounts,
    tableTurnover: tableTurnover(sales),
    repurchaseRate30d: rate(members.repeaters, members.buyers),
    memberActivityRate: rate(members.regulars, members.brandMembers),
    pointsConsumptionRate: rate(brand.pointsUsed, brand.pointsIssued),
    couponRedemptionRate: rate(brand.couponsUsed, brand.couponsIssued),
    newMembers: brand.newMembers,
    activeMembers: members.buyers,
  };
}

export type KpiFields = ReturnType<typeof kpiFields>;

/** Adds sales totals (the figures are plain sums, so a period is the sum of its days). */
export function addSales(a: SalesTotals, b: SalesTotals): SalesTotals {
  return {
    revenue: a.revenue + b.revenue,
    refunds: a.refunds + b.refunds,
    orders: a.orders + b.orders,
    guests: a.guests + b.guests,
    discounts: a.discounts + b.discounts,
    seatings: a.seatings + b.seatings,
    turnMinutes: a.turnMinutes + b.turnMinutes,
    tableDays: a.tableDays + b.tableDays,
  };
}
