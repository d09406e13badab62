import { eq } from 'drizzle-orm';
import { stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
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
    ? await db(env).select({ timeZone: stores.timeZone }).from(stores).where(eq(stores.id, storeId)).get()
    : undefined;
  const rules = await loyaltyRules(env, brandId, now);
  return { timeZone: store?.timeZone ?? rules.timeZone, ...defaultPushPolicy };
}
