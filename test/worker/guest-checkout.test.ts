import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { giveCoupon, newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';

/*
 * What the guest's H5 checkout and order pages read from the API beyond placing: the coupons
 * to choose from on a quote, the order's place in the kitchen's queue, and which payment
 * methods to offer.
 */

const quote = (storeId: string, token: string, body: Record<string, unknown> = {}) =>
  call(`/v1/stores/${storeId}/quote`, {
    method: 'POST',
    token,
    body: { mode: 'pickup', lines: [potstickers(2)], ...body },
  });

const place = async (storeId: string, token: string) => {
  const res = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    body: { mode: 'pickup', lines: [potstickers(1)], couponIds: [] },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
};

const pay = (storeId: string, orderId: string) =>
  env.STORE.getByName(storeId).act({ orderId, action: 'pay', actor: 'system' });

describe('a guest choosing coupons at checkout', () => {
  it('the quote applies the best coupon and lists the other usable one and the one that cannot apply', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const five = await giveCoupon(guest.memberId, 500);
    const eight = await giveCoupon(guest.memberId, 800);
    const far = await giveCoupon(guest.memberId, 3000, 50_000);

    const best = await quote(storeId, guest.token);
    expect(best.status, best.text).toBe(200);
    expect(best.json.appliedCouponIds).toEqual([eight]);
    const byId = new Map(best.json.coupons.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(eight)).toMatchObject({ applied: true, usable: true, name: '¥8 off' });
    expect(byId.get(five)).toMatchObject({ applied: false, usable: true, reason: 'worse_than_chosen' });
    expect(byId.get(far)).toMatchObject({ applied: false, usable: false, reason: 'below_threshold' });

    // The guest switches to the smaller one: the bigger one stays on offer.
    const switched = await quote(storeId, guest.token, { couponIds: [five] });
    expect(switched.json.appliedCouponIds).toEqual([five]);
    expect(switched.json.total).toBe(best.json.total + 300);
    expect(switched.json.coupons.find((c: { id: string }) => c.id === eight)).toMatchObject({ usable: true });

    const none = await quote(storeId, guest.token, { couponIds: [] });
    expect(none.json.appliedCouponIds).toEqual([]);
    expect(none.json.coupons).toHaveLength(3);
  });

  it('a guest who is not signed in gets a quote with no coupons', async () => {
    const { storeId } = await openStore();
    const res = await call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.coupons).toEqual([]);
  });
});

describe("a guest watching their order's place in the kitchen", () => {
  it('counts the paid orders ahead that are not ready, and drops it once ready', async () => {
    const { storeId, staff } = await openStore();
    const a = await newMember();
    const b = await newMember();
    const first = await place(storeId, a.token);
    const second = await place(storeId, b.token);
    const read = async (id: string, token: string) => (await call(`/v1/orders/${id}`, { token })).json;

    expect((await read(second, b.token)).queuePosition).toBeNull(); // not paid: not in the kitchen yet
    await pay(storeId, first);
    await pay(storeId, second);
    expect((await read(first, a.token)).queuePosition).toBe(0);
    expect((await read(second, b.token)).queuePosition).toBe(1);

    await call(`/v1/orders/${first}/accept`, { method: 'POST', token: staff });
    expect((await read(second, b.token)).queuePosition).toBe(1);
    await call(`/v1/orders/${first}/ready`, { method: 'POST', token: staff });
    expect((await read(first, a.token)).queuePosition).toBeNull();
    expect((await read(second, b.token)).queuePosition).toBe(0);
  });
});

describe('which payment methods a page offers', () => {
  it('lists the sandbox where it is on, never an unconfigured provider, and always the balance', async () => {
    const res = await call('/v1/payments/methods');
    expect(res.status, res.text).toBe(200);
    expect(res.json.methods).toContain('sandbox');
    expect(res.json.methods).toContain('balance');
    expect(res.json.methods).not.toContain('alipay');
  });
});
