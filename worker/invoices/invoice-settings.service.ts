import { eq, sql } from 'drizzle-orm';
import { type InvoiceTaxSetting, resolveInvoiceTax } from '../../domain/invoices/tax';
import { brands } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { db, json } from '../lib/db';

/** A brand's invoice tax setting: `brands.settings.invoiceTax` over the defaults. */
export async function brandInvoiceTax(env: Env, brandId: string): Promise<InvoiceTaxSetting> {
  const row = await db(env).select({ settings: brands.settings }).from(brands).where(eq(brands.id, brandId)).get();
  if (!row) throw notFound('brand', brandId);
  return resolveInvoiceTax(json<{ invoiceTax?: unknown }>(row.settings, {}).invoiceTax);
}

/** The setting as the API shows it (the rate as a decimal). */
export const taxSettingsView = (s: InvoiceTaxSetting) => ({
  taxCode: s.taxCode,
  taxRate: s.taxRateBp / 10_000,
  goodsName: s.goodsName,
});

/**
 * Replaces a brand's invoice tax setting; invoices requested from now on use it (one already
 * requested keeps its own, and so do its red and re-issued invoices). Only that key of the
 * settings is written, so other brand settings changed meanwhile stay.
 */
export async function setBrandInvoiceTax(
  env: Env,
  brandId: string,
  input: { taxCode: string; taxRate: number; goodsName: string },
) {
  const value = resolveInvoiceTax({ ...input, taxRateBp: Math.round(input.taxRate * 10_000) });
  await db(env)
    .update(brands)
    .set({ settings: sql`json_set(${brands.settings}, '$.invoiceTax', json(${JSON.stringify(value)}))` })
    .where(eq(brands.id, brandId))
    .run();
  return taxSettingsView(value);
}
