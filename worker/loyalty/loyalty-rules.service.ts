import { eq } from 'drizzle-orm';
import { defaultLoyaltyRules, type LoyaltyRules } from '../../domain/loyalty/rules';
import { loyaltyRules as loyaltyRulesTable } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';

/*
 * The brand's loyalty rules, cached per isolate for a few seconds like promotions: the
 * order path reads them on every quote. A save clears this isolate's copy at once.
 */
const TTL_MS = 10_000;
const cache = new Map<string, { at: number; value: LoyaltyRules }>();

export async function loyaltyRules(env: Env, brandId: string, now = Date.now()): Promise<LoyaltyRules> {
  const hit = cache.get(brandId);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const row = await db(env)
    .select({ rules: loyaltyRulesTable.rules })
    .from(loyaltyRulesTable)
    .where(eq(loyaltyRulesTable.brandId, brandId))
    .get();
  const value = row
    ? ({ ...defaultLoyaltyRules, ...(JSON.parse(row.rules) as LoyaltyRules) } as LoyaltyRules)
    : defaultLoyaltyRules;
  cache.set(brandId, { at: now, value });
  return value;
}

export async function saveLoyaltyRules(env: Env, brandId: string, rules: LoyaltyRules, now = Date.now()) {
  const saved = { rules: JSON.stringify(rules), updatedAt: now };
  await db(env)
    .insert(loyaltyRulesTable)
    .values({ brandId, ...saved })
    .onConflictDoUpdate({ target: loyaltyRulesTable.brandId, set: saved })
    .run();
  cache.delete(brandId);
  return rules;
}

export function clearLoyaltyRulesCache() {
  cache.clear();
}
