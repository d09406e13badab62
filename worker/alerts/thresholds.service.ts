import { eq, sql } from 'drizzle-orm';
import { type AlertThresholds, resolveThresholds } from '../../domain/alerts/thresholds';
import { brands } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { db, json } from '../lib/db';

/** A brand's alert thresholds: `brands.settings.alertThresholds` over the defaults. */
export async function brandThresholds(env: Env, brandId: string): Promise<AlertThresholds> {
  const row = await db(env).select({ settings: brands.settings }).from(brands).where(eq(brands.id, brandId)).get();
  if (!row) throw notFound('brand', brandId);
  return thresholdsOf(row.settings);
}

/** The thresholds in a brand's settings JSON. */
export const thresholdsOf = (settings: string) =>
  resolveThresholds(json<{ alertThresholds?: unknown }>(settings, {}).alertThresholds);

/**
 * Replaces a brand's thresholds (missing keys take the defaults). Only that key of the
 * settings is written, in one statement, so other brand settings changed meanwhile stay.
 */
export async function setBrandThresholds(
  env: Env,
  brandId: string,
  input: Partial<AlertThresholds>,
): Promise<AlertThresholds> {
  const value = resolveThresholds(input);
  await db(env)
    .update(brands)
    .set({ settings: sql`json_set(${brands.settings}, '$.alertThresholds', json(${JSON.stringify(value)}))` })
    .where(eq(brands.id, brandId))
    .run();
  return value;
}
