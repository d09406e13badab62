import { log } from '../../domain/log';
import type { Env } from '../env';
import { birthdayGifts, expiryReminders } from './perks.service';
import { expirePoints } from './points.service';
import { reviewTiers } from './tiers.service';

/**
 * The nightly loyalty run (Cron Trigger): expire points whose month has ended, remind
 * members of points about to expire, review tiers whose date has come, and hand out
 * birthday gifts. Each step is idempotent, so a cron that fires twice changes nothing.
 */
export async function nightlyLoyalty(env: Env, now = Date.now()) {
  const expired = await expirePoints(env, now);
  const reminders = await expiryReminders(env, now);
  const tiers = await reviewTiers(env, now);
  const { results: brands } = await env.DB.prepare('SELECT id FROM brands').all<{ id: string }>();
  let birthdays = 0;
  for (const b of brands) birthdays += (await birthdayGifts(env, b.id, now)).issued;
  const summary = { expired, reminders, tiers, birthdays };
  log.info('nightly loyalty', summary);
  return summary;
}
