import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { shiftDay } from '../../domain/analytics/days';
import { localDay } from '../../domain/zoned-time';
import { HOURLY, NIGHTLY } from '../../queues/crons';
import { creditPoints, spendPoints } from '../../worker/loyalty/points.service';
import { runCron } from '../support/crons';
import { newBrand, unique } from '../support/factories';

const DAY_MS = 86_400_000;

async function brandDays(brandId: string) {
  const { results } = await env.DB.prepare(
    `SELECT day, new_members AS newMembers, points_issued AS pointsIssued, points_used AS pointsUsed,
       points_expired AS pointsExpired, coupons_issued AS couponsIssued, coupons_used AS couponsUsed
     FROM analytics_brand_days WHERE brand_id = ? ORDER BY day`,
  )
    .bind(brandId)
    .all();
  return results;
}

async function member(brandId: string, at: number) {
  const id = unique('mem');
  await env.DB.prepare('INSERT INTO members (id, brand_id, openid, created_at, last_login_at) VALUES (?, ?, ?, ?, ?)')
    .bind(id, brandId, `o_${id}`, at, at)
    .run();
  return { id, brandId };
}

async function coupon(brandId: string, memberId: string, at: number, used: boolean) {
  await env.DB.prepare(
    `INSERT INTO member_coupons (id, brand_id, member_id, template_id, rule, valid_from, valid_to, status, issued_at, used_at)
     VALUES (?, ?, ?, 'tpl_test', '{}', 0, ?, ?, ?, ?)`,
  )
    .bind(unique('cpn'), brandId, memberId, at + DAY_MS, used ? 'used' : 'available', at, used ? at : null)
    .run();
}

describe('brand days: members, points and coupons per day in the brand’s zone', () => {
  it('the hourly job counts today’s new members, points issued and used, coupons issued and used', async () => {
    const { brandId } = await newBrand();
    const now = Date.now();
    const ana = await member(brandId, now);
    const bo = await member(brandId, now);
    const lot = { availableAt: now - 1, expiresAt: now + 365 * DAY_MS };
    await creditPoints(env, ana, { kind: 'checkin', ref: unique('chk'), amount: 30, lot }, now);
    await creditPoints(env, bo, { kind: 'review', ref: unique('rev'), amount: 20, lot }, now);
    const spent = await spendPoints(env, ana, 'redeem', unique('rdm'), 10, {}, now);
    expect(spent.ok).toBe(true);
    await coupon(brandId, ana.id, now, true);
    await coupon(brandId, bo.id, now, false);

    await runCron(HOURLY, now);
    // A brand with no store yet counts in Asia/Shanghai.
    const today = localDay(now, 'Asia/Shanghai');
    expect(await brandDays(brandId)).toContainEqual({
      day: today,
      newMembers: 2,
      pointsIssued: 50,
      pointsUsed: 10,
      pointsExpired: 0,
      couponsIssued: 2,
      couponsUsed: 1,
    });

    // The nightly job re-derives the last days to the same figures, the quiet ones as zeros.
    const before = await brandDays(brandId);
    await runCron(NIGHTLY, now);
    const after = await brandDays(brandId);
    expect(after.find((r) => r.day === today)).toEqual(before.find((r) => r.day === today));
    expect(after.find((r) => r.day === shiftDay(today, -1))).toMatchObject({ newMembers: 0, pointsIssued: 0 });
  });
});
