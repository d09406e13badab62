import { and, between, eq, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { analyticsBrandDays as b, brands } from '../../schema/d1/tables';
import type { Db } from '../lib/db';

/** Brand-wide figures (points, coupons, new members): the brand's own days, not a store's. */

const total = (column: SQLiteColumn) => sql<number>`COALESCE(SUM(${column}), 0)`;

const brandColumns = {
  newMembers: b.newMembers,
  pointsIssued: b.pointsIssued,
  pointsUsed: b.pointsUsed,
  couponsIssued: b.couponsIssued,
  couponsUsed: b.couponsUsed,
};

const inPeriod = (brandId: string, from: string, to: string) => and(eq(b.brandId, brandId), between(b.day, from, to));

/** The period's brand totals: one row. */
export const brandTotal = (d: Db, brandId: string, from: string, to: string) =>
  d
    .select({
      newMembers: total(b.newMembers),
      pointsIssued: total(b.pointsIssued),
      pointsUsed: total(b.pointsUsed),
      couponsIssued: total(b.couponsIssued),
      couponsUsed: total(b.couponsUsed),
    })
    .from(b)
    .where(inPeriod(brandId, from, to));

/** The brand's figures day by day. */
export const brandDays = (d: Db, brandId: string, from: string, to: string) =>
  d
    .select({ day: b.day, ...brandColumns })
    .from(b)
    .where(inPeriod(brandId, from, to));

/** The brand's settings JSON (KPI targets live there). */
export const brandSettings = (d: Db, brandId: string) =>
  d.select({ settings: brands.settings }).from(brands).where(eq(brands.id, brandId));
