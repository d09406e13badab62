import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { addDays, localTime, zonedEpoch } from '../../domain/zoned-time';
import { createCategory, createItem } from './fixtures';
import { call } from './http';

let counter = 0;
const TZ = 'Asia/Shanghai';

/** A small menu of a test brand: milk tea, fried chicken and a salad, tagged as the brand would. */
export async function tasteMenu(admin: string) {
  const tea = await createCategory(admin, 'Milk Tea');
  const snacks = await createCategory(admin, 'Snacks');
  const bowls = await createCategory(admin, 'Bowls');
  const item = async (categoryId: string, name: string, tags: string[]) =>
    ({ itemId: (await createItem(admin, { categoryId, name, price: 1500, tags })).id as string, name }) as const;
  return {
    milkTea: await item(tea.id, 'Brown sugar milk tea', ['sweet']),
    friedChicken: await item(snacks.id, 'Fried chicken', ['fried']),
    salad: await item(bowls.id, 'Quinoa salad', ['light']),
  };
}

/** Midnight (Shanghai) of the Monday `weeksAgo` weeks before the current week's. */
export function mondayWeeksAgo(weeksAgo: number, now = Date.now()) {
  const today = localTime(now, TZ);
  return zonedEpoch(addDays(today, 1 - today.weekday - 7 * weeksAgo), 0, TZ);
}

/** `day` days and `hh:mm` after a local midnight. */
export const at = (midnight: number, day: number, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return midnight + day * 86_400_000 + (h * 60 + m) * 60_000;
};

/** A completed order in history with its lines, as the events consumer would have written it. */
export async function tasteOrder(
  m: { memberId: string; brandId: string },
  storeId: string,
  when: number,
  o: {
    mode?: 'dine_in' | 'pickup' | 'delivery';
    total: number;
    lines: { itemId: string; name: string; quantity: number }[];
    couponIds?: string[];
    deliveryFee?: number;
  },
) {
  const id = `ord_taste_${Date.now().toString(36)}_${counter++}`;
  const body = {
    lines: o.lines.map((l, index) => ({ index, options: [], ...l })),
    couponIds: o.couponIds ?? [],
    discountTotal: 0,
    deliveryFee: o.deliveryFee ?? 0,
  };
  await env.DB.prepare(
    `INSERT INTO order_history (id, brand_id, store_id, member_id, ticket_no, mode, status, total, body, last_seq, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'A001', ?, 'completed', ?, ?, 1, ?, ?)`,
  )
    .bind(id, m.brandId, storeId, m.memberId, o.mode ?? 'pickup', o.total, JSON.stringify(body), when, when)
    .run();
  return id;
}

export async function grantPersonalisation(token: string, granted = true) {
  const res = await call('/v1/members/me/consents/personalisation', {
    method: 'PUT',
    token,
    body: { granted, text: '我同意根据订单为我个性化推荐' },
  });
  expect(res.status, res.text).toBe(200);
}

export const profileRow = (memberId: string) =>
  env.DB.prepare('SELECT * FROM member_profiles WHERE member_id = ?').bind(memberId).first<Record<string, unknown>>();

export const myProfile = (token: string) => call('/v1/members/me/profile', { token });
