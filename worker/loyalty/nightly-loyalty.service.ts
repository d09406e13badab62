import { log } from '../../domain/log';
import { brands } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { birthdayGifts } from './birthday.service';
import { expiryReminders } from './expiry-reminders.service';
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
  const brandRows = await db(env).select({ id: brands.id }).from(brands);
  let birthdays = 0;
  for (const b of brandRows) birthdays += (await birthdayGifts(env, b.id, now)).issued;
  const summary = { expired, reminders, tiers, birthdays };
  log.info('nightly loyalty', summary);
  return summary;
}
