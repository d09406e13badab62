import { evictDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { roomInHour } from '../support/clock-windows';
import { giveCoupon, newMember, openStore, potstickers, unique, wechatMember } from '../support/factories';
import { call } from '../support/http';

async function setStock(storeId: string, staff: string, itemId: string, count: number | null) {
  const res = await call(`/v1/stores/${storeId}/stock/${itemId}`, { method: 'PUT', token: staff, body: { count } });
  expect(res.status, res.text).toBe(200);
}

async function stockOf(storeId: string, staff: string, itemId: string) {
  const res = await call(`/v1/stores/${storeId}/stock`, { token: staff });
  return res.json.items.find((i: { itemId: string }) => i.itemId === itemId)?.remaining;
}

const order = (storeId: string, token: string, key?: string) =>
  call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    headers: key ? { 'Idempotency-Key': key } : {},
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });

describe('a lunch rush against limited stock', () => {
  it('100 guests order the last 20 potstickers at once: exactly 20 get them, 80 get a clear sold-out error', async () => {
    // The 20 are today's count: a business-day turnover mid-rush would restock them.
    await roomInHour();
    const { storeId, staff } = await openStore();
    await setStock(storeId, staff, 'itm_potstickers', 20);
    const guests = await Promise.all(Array.from({ length: 100 }, () => newMember()));
    const results = await Promise.all(guests.map((g) => order(storeId, g.token)));
    const placed = results.filter((r) => r.status === 201);
    const soldOut = results.filter((r) => r.status === 409);
    expect(placed).toHaveLength(20);
    expect(soldOut).toHaveLength(80);
    for (const r of soldOut) {
      expect(r.json.code).toBe('order.sold_out');
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(new Set(placed.map((r) => r.json.ticketNo)).size).toBe(20);
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(0);
  });

  it('the store object is evicted mid-rush and still never oversells', async () => {
    // The 20 are today's count: a business-day turnover mid-rush would restock them.
    await roomInHour();
    const { storeId, staff } = await openStore();
    await setStock(storeId, staff, 'itm_potstickers', 20);
    const guests = await Promise.all(Array.from({ length: 100 }, () => newMember()));
    const first = Promise.all(guests.slice(0, 50).map((g) => order(storeId, g.token)));
    await new Promise((r) => setTimeout(r, 5));
    await evictDurableObject(env.STORE.getByName(storeId)).catch(() => undefined);
    const second = await Promise.all(guests.slice(50).map((g) => order(storeId, g.token)));
    const results = [...(await first), ...second];
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(results.filter((r) => r.status === 201)).toHaveLength(20);
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(0);
  });
});

describe('a flaky network retries an order', () => {
  it('the same Idempotency-Key sent 10 times in parallel makes one order', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const key = unique('idem');
    const results = await Promise.all(Array.from({ length: 10 }, () => order(storeId, guest.token, key)));
    expect(results.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
  });

  it('reusing a key for a different order is refused, and changes nothing', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const key = unique('idem');
    expect((await order(storeId, guest.token, key)).status).toBe(201);
    const other = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      headers: { 'Idempotency-Key': key },
      body: { mode: 'pickup', lines: [potstickers(3)] },
    });
    expect(other.status).toBe(422);
    expect(other.json.code).toBe('idempotency.key_reused');
  });
});

describe('the store reads its guests from D1 together at lunch rush', () => {
  it('thirty guests order at once, each holding a different coupon: every order gets its own guest’s coupon and no one else’s', async () => {
    const { storeId } = await openStore();
    const guests = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const g = await newMember();
        // Guests without a coupon are in the same burst: they must not get a neighbour's.
        return { ...g, couponId: i % 3 === 0 ? undefined : await giveCoupon(g.memberId, 100 + i) };
      }),
    );
    const results = await Promise.all(guests.map((g) => order(storeId, g.token)));
    results.forEach((r, i) => {
      const g = guests[i]!;
      expect(r.status, r.text).toBe(201);
      expect(r.json.memberId).toBe(g.memberId);
      expect(r.json.couponIds).toEqual(g.couponId ? [g.couponId] : []);
      // ¥16 potstickers plus ¥1 packing, less the guest's own coupon.
      expect(r.json.total).toBe(1700 - (g.couponId ? 100 + i : 0));
    });
  });

  it('a token revoked where only D1 knows it neither prices nor places an order', async () => {
    const { storeId } = await openStore();
    const guest = await wechatMember();
    expect((await order(storeId, guest.token)).status).toBe(201);
    // As if another isolate had revoked it (logout everywhere): only D1 knows.
    await env.DB.prepare('UPDATE members SET tokens_valid_after = ? WHERE id = ?')
      .bind(Date.now() + 1000, guest.memberId)
      .run();
    const placed = await order(storeId, guest.token);
    expect(placed.status).toBe(401);
    expect(placed.json.code).toBe('auth.token_revoked');
    expect(placed.headers.get('www-authenticate')).toContain('invalid_token');
    const quote = await call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    expect(quote.status).toBe(401);
    expect(quote.json.code).toBe('auth.token_revoked');
  });

  it('a revoked token cannot fetch its earlier order by replaying the Idempotency-Key either', async () => {
    const { storeId } = await openStore();
    const guest = await wechatMember();
    const key = unique('idem');
    expect((await order(storeId, guest.token, key)).status).toBe(201);
    await env.DB.prepare('UPDATE members SET tokens_valid_after = ? WHERE id = ?')
      .bind(Date.now() + 1000, guest.memberId)
      .run();
    const replay = await order(storeId, guest.token, key);
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('auth.token_revoked');
  });
});
