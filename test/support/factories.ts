import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import { call, tokenFor } from './http';

let counter = 0;
const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}`;

/**
 * A fresh always-open store of the demo brand with the demo menu published, so order
 * tests neither depend on the clock nor see each other's stock and tickets.
 */
export async function openStore(settings: Record<string, unknown> = {}) {
  const admin = await tokenFor('admin');
  const id = unique('sto_t');
  const res = await call('/v1/admin/stores', {
    method: 'POST',
    token: admin,
    body: {
      id,
      name: `Test ${id}`,
      location: { lat: 31.2304, lng: 121.4737 },
      timeZone: 'Asia/Shanghai',
      openingHours: [],
      settings,
    },
  });
  if (res.status !== 201) throw new Error(`store: ${res.status} ${res.text}`);
  const table = await call(`/v1/admin/stores/${id}/tables`, {
    method: 'POST',
    token: admin,
    body: { name: 'T1', area: 'hall' },
  });
  const pub = await call('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [id] } });
  if (pub.status !== 200) throw new Error(`publish: ${pub.status} ${pub.text}`);
  const staff = await tokenFor('staff', { storeId: id, subject: unique('stf') });
  return { storeId: id, tableId: table.json.id as string, admin, staff };
}

/** A member token with a fresh member id. */
export async function newMember() {
  const subject = unique('mem');
  return { memberId: subject, token: await tokenFor('member', { subject }) };
}

/** A dish with no specs, options or time window: ¥16 potstickers. */
export const potstickers = (quantity = 1) => ({ itemId: 'itm_potstickers', quantity });

/** A pickup order of one potsticker, placed by `token`'s guest (a new guest when none): the order. */
export async function placePickup(storeId: string, token?: string) {
  const placed = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: token ?? (await newMember()).token,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  if (placed.status !== 201) throw new Error(`order: ${placed.status} ${placed.text}`);
  return placed.json as { id: string; status: string };
}
export const teaEgg = (quantity = 1) => ({ itemId: 'itm_teaegg', quantity });

export { unique };

/** Logs a fresh WeChat user in (code2session answered by a stubbed fetch). */
export async function wechatMember(
  opts: { openid?: string; unionid?: string; brandId?: string } = {},
): Promise<{ token: string; memberId: string; openid: string; unionid: string; brandId: string }> {
  const openid = opts.openid ?? `o_${crypto.randomUUID()}`;
  const unionid = opts.unionid ?? `u_${crypto.randomUUID()}`;
  const spy = vi
    .spyOn(globalThis, 'fetch')
    .mockImplementation(async () => new Response(JSON.stringify({ openid, unionid, session_key: 'sk' })));
  try {
    const res = await call('/v1/auth/wechat', {
      method: 'POST',
      body: { code: 'code', ...(opts.brandId ? { brandId: opts.brandId } : {}) },
    });
    if (res.status !== 200) throw new Error(`wechat login: ${res.status} ${res.text}`);
    return {
      token: res.json.token as string,
      memberId: res.json.member.id as string,
      openid,
      unionid,
      brandId: opts.brandId ?? 'brd_demo',
    };
  } finally {
    spy.mockRestore();
  }
}

/**
 * A brand of its own, for tests that change brand-wide rules (loyalty, campaigns) without
 * touching what other test files see of the demo brand. It has no menu.
 */
export async function newBrand() {
  const id = unique('brd_t');
  await env.DB.prepare('INSERT INTO brands (id, name, currency, settings, created_at) VALUES (?, ?, ?, ?, ?)')
    .bind(id, `Test ${id}`, 'CNY', '{}', Date.now())
    .run();
  return { brandId: id, admin: await tokenFor('admin', { brandId: id }) };
}

/** A fixed-amount coupon of the demo brand in the member's wallet, usable for a day. */
export async function giveCoupon(memberId: string, amountOff: number, threshold = 0) {
  const id = unique('cpn');
  const rule = { id, templateId: 'tpl_test', name: `¥${amountOff / 100} off`, kind: 'amount', threshold, amountOff };
  await env.DB.prepare(
    `INSERT INTO member_coupons (id, brand_id, member_id, template_id, rule, valid_from, valid_to, status, issued_at)
     VALUES (?, 'brd_demo', ?, 'tpl_test', ?, 0, ?, 'available', 0)`,
  )
    .bind(id, memberId, JSON.stringify(rule), Date.now() + 86_400_000)
    .run();
  return id;
}
