import type { Env } from '../env';
import { grantGiftPack } from './gift-pack.service';
import { ensureStanding } from './loyalty-account.service';

/** A member's first steps in the programme: a standing at the base tier and the gift pack (once per person). */
export async function welcomeMember(
  env: Env,
  m: { id: string; brandId: string; openid: string; unionid: string | null },
  now = Date.now(),
) {
  await ensureStanding(env, m, now);
  return grantGiftPack(env, m, now);
}
