import { eq, sql } from 'drizzle-orm';
import { brands } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

/**
 * The brand's campaign holdout, `brands.settings.campaignHoldoutPercent`: members in it
 * (`inBrandHoldout`, sticky by member) get no coupon or push from any campaign, so the lift of
 * all campaigns together can be measured against them. Campaign issuance reads it inline
 * (`brandHoldoutPercentSql`) so a slice costs no extra statement.
 */
export const brandHoldoutPercentSql = (brandId: string) =>
  sql<
    number | null
  >`(SELECT json_extract(${brands.settings}, '$.campaignHoldoutPercent') FROM ${brands} WHERE ${brands.id} = ${brandId})`;

export async function brandHoldoutPercent(env: Env, brandId: string): Promise<number> {
  const row = await db(env)
    .select({ p: brandHoldoutPercentSql(brandId) })
    .from(brands)
    .where(eq(brands.id, brandId))
    .get();
  return Number(row?.p ?? 0) || 0;
}

export async function setBrandHoldoutPercent(env: Env, brandId: string, percent: number) {
  const p = Math.round(percent * 100) / 100;
  await db(env)
    .update(brands)
    .set({ settings: sql`json_set(COALESCE(json(${brands.settings}), '{}'), '$.campaignHoldoutPercent', ${p})` })
    .where(eq(brands.id, brandId))
    .run();
  return { percent: p };
}
