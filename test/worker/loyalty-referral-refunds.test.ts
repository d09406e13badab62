/*
 * "Invite 1, get a free combo": the milestone coupon must not outlive the referral it
 * rewarded when the referred guest's first order is refunded in full.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { settleOrderPoints } from '../../worker/loyalty/order-points.service';
import { rewardReferral } from '../../worker/loyalty/referrals.service';
import { newBrand, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { useRules } from '../support/loyalty';

async function milestoneBrand() {
  const brand = await newBrand();
  const res = await call('/v1/admin/coupon-templates', {
    method: 'POST',
    token: brand.admin,
    body: { name: 'Free combo', rule: { kind: 'free_item', itemId: 'itm_combo' }, validity: { days: 30 } },
  });
  expect(res.status, res.text).toBe(201);
  await useRules(brand.brandId, {
    referral: { inviterPoints: 10, inviteePoints: 5, milestones: [{ invites: 1, templateId: res.json.id }] },
  });
  return brand;
}

/** An inviter's guest joins with the code and completes a first order, as the events consumer sees it. */
async function referredFirstOrder(brandId: string, inviterToken: string) {
  const guest = await wechatMember({ brandId });
  const code = (await call('/v1/members/me/referral', { token: inviterToken })).json.code;
  const bound = await call('/v1/members/me/referral', { method: 'POST', token: guest.token, body: { code } });
  expect(bound.status, bound.text).toBe(201);
  const orderId = `ord_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}_sto_ref`;
  const body = JSON.stringify({ lines: [{ index: 0, quantity: 1, total: 1800 }] });
  await env.DB.prepare(
    `INSERT INTO order_history (id, brand_id, store_id, member_id, ticket_no, mode, status, total, body, last_seq, created_at, updated_at)
     VALUES (?, ?, 'sto_ref', ?, 'A001', 'pickup', 'completed', 1800, ?, 1, ?, ?)`,
  )
    .bind(orderId, brandId, guest.memberId, body, Date.now(), Date.now())
    .run();
  await settleOrderPoints(env, orderId);
  await rewardReferral(env, { id: guest.memberId, brandId }, orderId, 1800);
  return orderId;
}

/** The order is refunded in full and its events reach the consumer. */
async function refundInFull(orderId: string) {
  await env.DB.prepare("UPDATE order_history SET status = 'refunded' WHERE id = ?").bind(orderId).run();
  await settleOrderPoints(env, orderId);
  await settleOrderPoints(env, orderId);
}

const milestoneCoupons = async (memberId: string) =>
  (
    await env.DB.prepare(
      "SELECT status FROM member_coupons WHERE member_id = ? AND source = 'referral' ORDER BY issued_at, id",
    )
      .bind(memberId)
      .all<{ status: string }>()
  ).results.map((c) => c.status);

describe('milestone coupons and refunded referrals', () => {
  it('an unused milestone coupon is revoked when the referred first order is refunded, and comes back with the next invite', async () => {
    const brand = await milestoneBrand();
    const inviter = await wechatMember({ brandId: brand.brandId });
    const orderId = await referredFirstOrder(brand.brandId, inviter.token);
    expect(await milestoneCoupons(inviter.memberId)).toEqual(['available']);

    await refundInFull(orderId);
    expect(await milestoneCoupons(inviter.memberId)).toEqual(['revoked']);
    const info = await call('/v1/members/me/referral', { token: inviter.token });
    expect(info.json).toMatchObject({ rewarded: 0 });

    // Another guest really ordering reaches the milestone again: it is issued again, once.
    await referredFirstOrder(brand.brandId, inviter.token);
    expect(await milestoneCoupons(inviter.memberId)).toEqual(['revoked', 'available']);
  });

  it('a milestone coupon already used stays used: the brand bears it', async () => {
    const brand = await milestoneBrand();
    const inviter = await wechatMember({ brandId: brand.brandId });
    const orderId = await referredFirstOrder(brand.brandId, inviter.token);
    await env.DB.prepare(
      "UPDATE member_coupons SET status = 'used', used_at = ? WHERE member_id = ? AND source = 'referral'",
    )
      .bind(Date.now(), inviter.memberId)
      .run();
    await refundInFull(orderId);
    expect(await milestoneCoupons(inviter.memberId)).toEqual(['used']);
  });
});
