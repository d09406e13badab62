import { eq, sql } from 'drizzle-orm';
import { type KpiTargets, targetsFrom } from '../../domain/analytics/targets';
import { brands } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import { brandSettings } from './brand.reads';

/** The brand's KPI targets, defaults for what is unset. */
export async function getTargets(env: Env, brandId: string): Promise<KpiTargets> {
  const row = await brandSettings(db(env), brandId).get();
  return targetsFrom(json(row?.settings, {}));
}

/**
 * Stores the targets under `analyticsTargets` in the brand's settings with one conditional-free
 * UPDATE: `json_set` touches only that key, so a concurrent change to another setting survives.
 */
export async function putTargets(env: Env, brandId: string, targets: KpiTargets): Promise<KpiTargets> {
  const value = JSON.stringify(targets);
  await db(env)
    .update(brands)
    .set({ settings: sql`json_set(COALESCE(json(${brands.settings}), '{}'), '$.analyticsTargets', json(${value}))` })
    .where(eq(brands.id, brandId));
  return getTargets(env, brandId);
}
