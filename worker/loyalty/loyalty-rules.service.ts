import { defaultLoyaltyRules, type LoyaltyRules } from '../../domain/loyalty/rules';
import type { Env } from '../env';

/*
 * The brand's loyalty rules, cached per isolate for a few seconds like promotions: the
 * order path reads them on every quote. A save clears this isolate's copy at once.
 */
const TTL_MS = 10_000;
const cache = new Map<string, { at: number; value: LoyaltyRules }>();

export async function loyaltyRules(env: Env, brandId: string, now = Date.now()): Promise<LoyaltyRules> {
  const hit = cache.get(brandId);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const row = await env.DB.prepare('SELECT rules FROM loyalty_rules WHERE brand_id = ?')
    .bind(brandId)
    .first<{ rules: string }>();
  const value = row
    ? ({ ...defaultLoyaltyRules, ...(JSON.parse(row.rules) as LoyaltyRules) } as LoyaltyRules)
    : defaultLoyaltyRules;
  cache.set(brandId, { at: now, value });
  return value;
}

export async function saveLoyaltyRules(env: Env, brandId: string, rules: LoyaltyRules, now = Date.now()) {
  await env.DB.prepare(
    `INSERT INTO loyalty_rules (brand_id, rules, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(brand_id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at`,
  )
    .bind(brandId, JSON.stringify(rules), now)
    .run();
  cache.delete(brandId);
  return rules;
}

export function clearLoyaltyRulesCache() {
  cache.clear();
}
