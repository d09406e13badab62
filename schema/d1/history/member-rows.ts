/*
 * Rows about the demo members themselves: the member, their loyalty standing (base tier),
 * an empty wallet, the welcome points every member got on joining (a lot that expires
 * twelve months on, as lots do: the demo's expired points), and the recall coupons a
 * campaign hands out each day, most of which go unused.
 */

import { DAY, dayString, monthsLater } from './calendar.ts';
import type { DemoMember } from './members.ts';
import { RECALL } from './orders.ts';
import { rng } from './rng.ts';
import type { Row } from './sql.ts';

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function referralCode(id: string): string {
  const r = rng(`code|${id}`);
  let s = 'D';
  for (let i = 0; i < 7; i++) s += CODE_ALPHABET[r.int(0, CODE_ALPHABET.length - 1)];
  return s;
}

export interface MemberRows {
  members: Row[];
  member_loyalty: Row[];
  wallet_balances: Row[];
  points_ledger: Row[];
  points_lots: Row[];
}

export function memberRows(all: readonly DemoMember[], brandId: string, now: number): MemberRows {
  const out: MemberRows = { members: [], member_loyalty: [], wallet_balances: [], points_ledger: [], points_lots: [] };
  for (const m of all) {
    if (m.createdAt > now) continue;
    out.members.push({
      id: m.id,
      brand_id: brandId,
      openid: `demo_openid_${m.id.slice(9)}`,
      unionid: null,
      nickname: m.nickname,
      phone_sealed: null,
      phone_hash: null,
      birthday: m.birthday,
      tags: '[]',
      tokens_valid_after: 0,
      deleted_at: null,
      created_at: m.createdAt,
      last_login_at: m.createdAt,
    });
    out.member_loyalty.push({
      member_id: m.id,
      brand_id: brandId,
      tier_id: 'bronze',
      tier_since: m.createdAt,
      tier_review_at: m.createdAt + 365 * DAY,
      version: `demo-${m.id}`,
      referral_code: referralCode(m.id),
      referred_by: null,
      device_hash: null,
      checkin_streak: 0,
      last_checkin_day: null,
      created_at: m.createdAt,
    });
    out.wallet_balances.push({ member_id: m.id, brand_id: brandId, balance: 0, updated_at: m.createdAt });
    const lotId = `pts_demo_${m.id.slice(9)}_w`;
    const amount = 100 * rng(`welcome|${m.id}`).int(1, 3);
    const expiresAt = monthsLater(m.createdAt, 'Asia/Shanghai', 12);
    const expired = expiresAt <= now;
    out.points_ledger.push({
      id: lotId,
      brand_id: brandId,
      member_id: m.id,
      kind: 'adjust',
      ref: `demo_welcome:${m.id}`,
      amount,
      order_id: null,
      detail: JSON.stringify({ reason: '开卡礼 welcome points' }),
      created_at: m.createdAt,
    });
    if (expired) {
      out.points_ledger.push({
        id: `${lotId}x`,
        brand_id: brandId,
        member_id: m.id,
        kind: 'expire',
        ref: lotId,
        amount: -amount,
        order_id: null,
        detail: JSON.stringify({ expiredAt: expiresAt, lots: [{ lotId, amount }] }),
        created_at: expiresAt,
      });
    }
    out.points_lots.push({
      id: lotId,
      brand_id: brandId,
      member_id: m.id,
      order_id: null,
      amount,
      remaining: expired ? 0 : amount,
      available_at: m.createdAt,
      expires_at: expiresAt,
      created_at: m.createdAt,
    });
  }
  return out;
}

/** A day's recall-campaign coupons: a handful of members get one; few come back to use it. */
export function recallCoupons(pool: readonly DemoMember[], brandId: string, dayNo: number, now: number): Row[] {
  const day = dayString(dayNo);
  const r = rng(`recall|${day}`);
  const n = r.int(2, 7);
  const rows: Row[] = [];
  for (let k = 1; k <= n && pool.length; k++) {
    const m = r.pick(pool);
    const issuedAt = Date.parse(`${day}T02:00:00Z`) + r.int(0, 60) * 60_000;
    if (issuedAt > now || issuedAt < m.createdAt) continue;
    const id = `mcp_demo_${day.replaceAll('-', '')}_c${k}`;
    rows.push({
      id,
      brand_id: brandId,
      member_id: m.id,
      template_id: RECALL.templateId,
      rule: JSON.stringify({
        kind: 'amount',
        threshold: RECALL.threshold,
        amountOff: RECALL.amountOff,
        templateId: RECALL.templateId,
        name: RECALL.name,
      }),
      valid_from: issuedAt,
      valid_to: issuedAt + 14 * DAY,
      status: issuedAt + 14 * DAY <= now ? 'expired' : 'available',
      order_id: null,
      issued_at: issuedAt,
      used_at: null,
      issue_key: `demo:${id}`,
      source: 'campaign:cmp_demo_recall',
    });
  }
  return rows;
}
