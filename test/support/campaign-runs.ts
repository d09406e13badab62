import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { captureQueue, deliverTo, runHourly } from './campaigns';
import { unique } from './factories';
import { call } from './http';

export async function brandStore(admin: string, city: string, location = { lat: 31.2304, lng: 121.4737 }) {
  const id = unique('sto_c');
  const res = await call('/v1/admin/stores', {
    method: 'POST',
    token: admin,
    body: { id, name: `Store ${id}`, city, location, timeZone: 'Asia/Shanghai', openingHours: [], settings: {} },
  });
  expect(res.status, res.text).toBe(201);
  return id;
}

/**
 * Runs the hourly cron and hands what it queued to the coupons consumer, twice (a replay);
 * then runs the cron again, as the next hour would. Returns everything queued.
 */
export async function hourlyAndIssue(at = Date.now()) {
  const coupons = captureQueue(env.COUPONS_QUEUE);
  captureQueue(env.NOTIFY_QUEUE);
  await runHourly(at);
  await deliverTo('tiffin-coupons', coupons);
  await deliverTo('tiffin-coupons', coupons);
  await runHourly(at);
  await deliverTo('tiffin-coupons', coupons);
  return coupons;
}
