import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { rollups } from '../support/analytics';
import { roomInHour, roomInWindow } from '../support/clock-windows';
import { newBrand, newMember, openStore, potstickers, wechatMember } from '../support/factories';
import { createStore, type Json } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

/*
 * A partner (a POS or a delivery aggregator) works a store with a key the brand admin made:
 * it follows the store's orders, reads the menu and stock, and sets stock only with the
 * scope for it; another store of the brand is 403, another brand's 404, and too many calls
 * with one key are 429.
 */

let storeId: string;
let otherStoreId: string;
let rivalStoreId: string;
let admin: string;

const makeKey = async (scopes: string[], storeIds?: string[]) => {
  const res = await call('/v1/admin/partner-keys', {
    method: 'POST',
    token: admin,
    body: { name: `Partner ${scopes.join(' ')}`, scopes, ...(storeIds ? { storeIds } : {}) },
  });
  if (res.status !== 201) throw new Error(`key: ${res.status} ${res.text}`);
  return res.json.key as string;
};

const placeOrder = async (at: string) => {
  const guest = await newMember();
  const res = await call(`/v1/stores/${at}/orders`, {
    method: 'POST',
    token: guest.token,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
};

beforeAll(async () => {
  ({ storeId, admin } = await openStore());
  otherStoreId = (await openStore()).storeId;
  const rival = await newBrand();
  rivalStoreId = (await createStore(rival.admin)).id;
});

afterEach(() => vi.restoreAllMocks());

describe("a POS follows the store's orders", () => {
  it('reads the orders in order of change, then polls from its cursor for only what changed', async () => {
    const key = await makeKey(['orders:read'], [storeId]);
    const first = await placeOrder(storeId);
    const page = await call(`/v1/partner/stores/${storeId}/orders`, { token: key });
    expect(page.status, page.text).toBe(200);
    expect(page.json.items.map((o: Json) => o.id)).toContain(first);
    expect(page.json.items.at(-1).id).toBe(first);

    const quiet = await call(`/v1/partner/stores/${storeId}/orders?since=${page.json.nextCursor}`, { token: key });
    expect(quiet.json.items).toEqual([]);
    expect(quiet.json.nextCursor).toBe(page.json.nextCursor);

    const second = await placeOrder(storeId);
    const next = await call(`/v1/partner/stores/${storeId}/orders?since=${quiet.json.nextCursor}`, { token: key });
    expect(next.json.items.map((o: Json) => o.id)).toEqual([second]);

    const one = await call(`/v1/partner/orders/${second}`, { token: key });
    expect(one.status, one.text).toBe(200);
    expect(one.json).toMatchObject({ id: second, storeId });
  });

  it("a key scoped to one store gets 403 on the brand's other store, and 404 for its orders", async () => {
    const key = await makeKey(['orders:read', 'stock:read'], [storeId]);
    const elsewhere = await call(`/v1/partner/stores/${otherStoreId}/orders`, { token: key });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.json.code).toBe('auth.forbidden');
    expect((await call(`/v1/partner/stores/${otherStoreId}/stock`, { token: key })).status).toBe(403);
    const theirs = await placeOrder(otherStoreId);
    const order = await call(`/v1/partner/orders/${theirs}`, { token: key });
    expect(order.status).toBe(404);
    expect(order.json.code).toBe('order.not_found');
  });

  it("another brand's store is 404, as if it did not exist", async () => {
    const key = await makeKey(['orders:read']);
    const res = await call(`/v1/partner/stores/${rivalStoreId}/orders`, { token: key });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('store.not_found');
  });
});

describe('an aggregator reads the menu and keeps stock', () => {
  it('reads the published menu with menu:read', async () => {
    const key = await makeKey(['menu:read']);
    const res = await call(`/v1/partner/stores/${storeId}/menu`, { token: key });
    expect(res.status, res.text).toBe(200);
    expect(res.json.categories.length).toBeGreaterThan(0);
  });

  it('a key without stock:write cannot set stock (403 naming the scope); one with it can', async () => {
    // The count set is today's: a business-day turnover before it is read back would reset it.
    await roomInHour();
    const reader = await makeKey(['stock:read']);
    const denied = await call(`/v1/partner/stores/${storeId}/stock/itm_potstickers`, {
      method: 'PUT',
      token: reader,
      body: { count: 5 },
    });
    expect(denied.status).toBe(403);
    expect(denied.json.detail).toContain('stock:write');

    const writer = await makeKey(['stock:read', 'stock:write'], [storeId]);
    const set = await call(`/v1/partner/stores/${storeId}/stock/itm_potstickers`, {
      method: 'PUT',
      token: writer,
      body: { count: 5 },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ itemId: 'itm_potstickers', remaining: 5 });
    const levels = await call(`/v1/partner/stores/${storeId}/stock`, { token: reader });
    expect(levels.status).toBe(200);
    expect(levels.json.items.find((i: Json) => i.itemId === 'itm_potstickers')).toMatchObject({ remaining: 5 });
  });

  it('staff and admin tokens do not open the partner routes', async () => {
    const res = await call(`/v1/partner/stores/${storeId}/stock`, { token: await tokenFor('admin') });
    expect(res.status).toBe(403);
  });
});

describe('a BI tool reads daily dish sales', () => {
  it('with sales:read: units and revenue per dish per business day, from the KPI rollups', async () => {
    const brand = await newBrand();
    const store = (await createStore(brand.admin)).id;
    await rollups(brand.brandId, [
      { storeId: store, day: '2026-11-02', dim: 'item', key: 'itm_a', name: '葱油拌面', quantity: 3, revenue: 4800 },
      { storeId: store, day: '2026-11-03', dim: 'item', key: 'itm_a', name: '葱油拌面', quantity: 1, revenue: 1600 },
      { storeId: store, day: '2026-11-03', dim: 'item', key: 'itm_b', name: '柠檬茶', quantity: 2, revenue: 2400 },
      { storeId: store, day: '2026-11-09', dim: 'item', key: 'itm_b', name: '柠檬茶', quantity: 9, revenue: 9900 },
    ]);
    const mint = async (scopes: string[]) =>
      (await call('/v1/admin/partner-keys', { method: 'POST', token: brand.admin, body: { name: 'BI', scopes } })).json
        .key as string;
    const path = `/v1/partner/stores/${store}/sales/items?from=2026-11-02&to=2026-11-03`;
    const res = await call(path, { token: await mint(['sales:read']) });
    expect(res.status, res.text).toBe(200);
    expect(res.json.days).toEqual([
      expect.objectContaining({ day: '2026-11-02', itemId: 'itm_a', quantity: 3, revenue: 4800 }),
      expect.objectContaining({ day: '2026-11-03', itemId: 'itm_a', quantity: 1, revenue: 1600 }),
      expect.objectContaining({ day: '2026-11-03', itemId: 'itm_b', name: '柠檬茶', quantity: 2, revenue: 2400 }),
    ]);
    const without = await call(path, { token: await mint(['orders:read']) });
    expect(without.status).toBe(403);
    expect(without.json.detail).toContain('sales:read');
  });
});

describe('one key is limited to 120 calls a minute', () => {
  vi.setConfig({ testTimeout: 90_000 });
  it('the 121st call in a minute is 429 with Retry-After; another key is not slowed', async () => {
    await roomInWindow(25_000);
    const key = await makeKey(['orders:read'], [storeId]);
    const path = `/v1/partner/stores/${storeId}/orders?limit=1`;
    const statuses = (await Promise.all(Array.from({ length: 120 }, () => call(path, { token: key })))).map(
      (r) => r.status,
    );
    expect(statuses).toEqual(Array(120).fill(200));
    const over = await call(path, { token: key });
    expect(over.status).toBe(429);
    expect(over.json.code).toBe('rate.limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(path, { token: await makeKey(['orders:read']) })).status).toBe(200);
  });
});

describe('a POS runs the kitchen’s side of an order (orders:write)', () => {
  it('accepts, readies and hands over a paid order; a move the status does not allow is a clear 409', async () => {
    const key = await makeKey(['orders:read', 'orders:write'], [storeId]);
    const id = await placeOrder(storeId);
    const { env } = await import('cloudflare:workers');
    await env.STORE.getByName(storeId).act({ orderId: id, action: 'pay', actor: 'system' });
    for (const [action, status] of [
      ['accept', 'accepted'],
      ['ready', 'ready'],
      ['pick-up', 'picked_up'],
    ] as const) {
      const res = await call(`/v1/partner/orders/${id}/${action}`, { method: 'POST', token: key });
      expect(res.status, res.text).toBe(200);
      expect(res.json.status).toBe(status);
    }
    const again = await call(`/v1/partner/orders/${id}/accept`, { method: 'POST', token: key });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: 'order.illegal_transition', currentStatus: 'picked_up' });
  });

  it('cannot give money back: cancelling a paid order is the store’s decision (403)', async () => {
    const key = await makeKey(['orders:write'], [storeId]);
    const id = await placeOrder(storeId);
    const { env } = await import('cloudflare:workers');
    await env.STORE.getByName(storeId).act({ orderId: id, action: 'pay', actor: 'system' });
    const res = await call(`/v1/partner/orders/${id}/cancel`, { method: 'POST', token: key });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('order.refund_needs_manager');
  });

  it('without orders:write, or for a store the key does not reach, nothing moves', async () => {
    const readOnly = await makeKey(['orders:read'], [storeId]);
    const id = await placeOrder(storeId);
    const denied = await call(`/v1/partner/orders/${id}/accept`, { method: 'POST', token: readOnly });
    expect(denied.status).toBe(403);
    expect(denied.json.detail).toContain('orders:write');
    const elsewhere = await makeKey(['orders:write'], [otherStoreId]);
    expect((await call(`/v1/partner/orders/${id}/accept`, { method: 'POST', token: elsewhere })).status).toBe(404);
    // Refunding is not a partner's move at all: the path does not take it.
    const refund = await call(`/v1/partner/orders/${id}/refund`, { method: 'POST', token: readOnly });
    expect(refund.status).toBe(422);
  });
});

describe('a loyalty partner looks a member up (members:read)', () => {
  it('sees since when, the tier and points, and nothing that reaches the guest', async () => {
    const key = await makeKey(['members:read']);
    const guest = await wechatMember();
    const res = await call(`/v1/partner/members/${guest.memberId}`, { token: key });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({
      id: guest.memberId,
      createdAt: expect.stringMatching(/\+08:00$/),
      tier: { id: expect.any(String), name: expect.any(String) },
      points: { available: expect.any(Number), pending: expect.any(Number) },
    });
    expect(JSON.stringify(res.json)).not.toMatch(/phone|openid|nickname/);
  });

  it('a key limited to stores is 403, a key without the scope 403, an unknown member 404', async () => {
    const guest = await wechatMember();
    const scoped = await makeKey(['members:read'], [storeId]);
    expect((await call(`/v1/partner/members/${guest.memberId}`, { token: scoped })).status).toBe(403);
    const other = await makeKey(['orders:read']);
    expect((await call(`/v1/partner/members/${guest.memberId}`, { token: other })).status).toBe(403);
    const key = await makeKey(['members:read']);
    const missing = await call('/v1/partner/members/mem_nobody', { token: key });
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe('member.not_found');
  });
});
