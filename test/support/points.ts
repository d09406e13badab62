import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { earnMultiplier } from '../../domain/loyalty/perks';
import { orderEarning } from '../../domain/loyalty/points';
import { defaultLoyaltyRules, tierById } from '../../domain/loyalty/rules';
import { unique } from './factories';
import { call } from './http';
import { DAY } from './loyalty';

/** The bronze rate right now: member day (Wednesday) doubles it. */
export const bronzeRate = () =>
  earnMultiplier(defaultLoyaltyRules, tierById(defaultLoyaltyRules, 'bronze'), Date.now(), null);

export const earningOf = (order: { lines: { index: number; quantity: number; total: number }[] }) =>
  orderEarning(order.lines, { perYuan: 1, multiplier: bronzeRate() });

export async function adminTemplate(admin: string, body: Record<string, unknown> = {}) {
  const res = await call('/v1/admin/coupon-templates', {
    method: 'POST',
    token: admin,
    body: {
      name: 'Free tea egg',
      rule: { kind: 'free_item', itemId: 'itm_teaegg' },
      validity: { days: 30 },
      ...body,
    },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

export async function catalogItem(admin: string, cost: number, templateId: string) {
  const res = await call('/v1/admin/points-catalog', {
    method: 'POST',
    token: admin,
    body: { name: `Tea egg for ${cost}`, kind: 'dish', cost, templateId },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string };
}

/** Completed orders from before, straight into history: the member's rolling spend. */
export async function pastSpend(memberId: string, storeId: string, total: number) {
  const at = Date.now() - 30 * DAY;
  await env.DB.prepare(
    `INSERT INTO order_history (id, brand_id, store_id, member_id, ticket_no, mode, status, total, body, last_seq, created_at, updated_at)
     VALUES (?, 'brd_demo', ?, ?, 'A001', 'pickup', 'completed', ?, '{}', 1, ?, ?)`,
  )
    .bind(unique('ord_past'), storeId, memberId, total, at, at)
    .run();
}
