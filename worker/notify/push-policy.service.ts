import type { Env } from '../env';
import { loyaltyRules } from '../loyalty/loyalty-rules.service';

export interface PushPolicy {
  timeZone: string;
  quietHours: { from: string; to: string };
  /** Marketing pushes per member per store-local day. */
  dailyCap: number;
}

export const defaultPushPolicy = { quietHours: { from: '21:30', to: '09:00' }, dailyCap: 1 };

/**
 * Quiet hours and caps are read in the store's time zone when the push is about a store,
 * else the brand's loyalty time zone.
 */
export async function pushPolicy(
  env: Env,
  brandId: string,
  storeId: string | null,
  now = Date.now(),
): Promise<PushPolicy> {
  const store = storeId
    ? await env.DB.prepare('SELECT time_zone FROM stores WHERE id = ?').bind(storeId).first<{ time_zone: string }>()
    : null;
  const rules = await loyaltyRules(env, brandId, now);
  return { timeZone: store?.time_zone ?? rules.timeZone, ...defaultPushPolicy };
}
