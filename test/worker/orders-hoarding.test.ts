import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { UNPAID_HOLDS_SQL } from '../../durable-objects/store/orders/guest-holds';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { roomInHour } from '../support/clock-windows';
import { newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { call } from '../support/http';

const place = (storeId: string, token: string, lines = [potstickers(1)]) =>
  call(`/v1/stores/${storeId}/orders`, { method: 'POST', token, body: { mode: 'pickup', lines } });

const pay = (storeId: string, orderId: string) =>
  env.STORE.getByName(storeId).act({ orderId, action: 'pay', actor: 'system' });

const cancel = (orderId: string, token: string) => call(`/v1/orders/${orderId}/cancel`, { method: 'POST', token });

async function setStock(storeId: string, staff: string, count: number) {
  const res = await call(`/v1/stores/${storeId}/stock/itm_potstickers`, {
    method: 'PUT',
    token: staff,
    body: { count },
  });
  expect(res.status, res.text).toBe(200);
}

async function potstickersLeft(storeId: string, staff: string) {
  const res = await call(`/v1/stores/${storeId}/stock`, { token: staff });
  return res.json.items.find((i: { itemId: string }) => i.itemId === 'itm_potstickers')?.remaining;
}

/** Lets every unpaid order of the store run out of time, as the expiry alarm finds them. */
async function letUnpaidExpire(storeId: string) {
  const stub = env.STORE.getByName(storeId);
  await runInDurableObject(stub, (_i: StoreDO, state) => {
    state.storage.sql.exec('UPDATE orders SET expires_at = 1 WHERE expires_at IS NOT NULL');
    state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'sweep'");
  });
  await runDurableObjectAlarm(stub);
}

const minutesToPay = (order: { createdAt: string; expiresAt: string }) =>
  (Date.parse(order.expiresAt) - Date.parse(order.createdAt)) / 60_000;

describe("one member's unpaid orders cannot shut a store for everyone", () => {
  it('at 5 orders a minute, a member placing 5 unpaid orders no longer leaves the next guest a 429', async () => {
    const { storeId } = await openStore({ maxOrdersPerMinute: 5 });
    const attacker = await newMember();
    const attempts = [];
    for (let i = 0; i < 5; i++) attempts.push(await place(storeId, attacker.token));
    expect(attempts.map((a) => a.status)).toEqual([201, 201, 409, 409, 409]);
    const next = await place(storeId, (await newMember()).token);
    expect(next.status, next.text).toBe(201);
  });

  it('unpaid orders of many members do not count toward the rate; paid ones do', async () => {
    const { storeId } = await openStore({ maxOrdersPerMinute: 5 });
    const unpaid = [];
    for (let i = 0; i < 6; i++) {
      const res = await place(storeId, (await newMember()).token);
      expect(res.status, res.text).toBe(201);
      unpaid.push(res.json.id as string);
    }
    // Five of them pay: the kitchen has taken its five this minute.
    for (const id of unpaid.slice(0, 5)) await pay(storeId, id);
    const late = await place(storeId, (await newMember()).token);
    expect(late.status).toBe(429);
    expect(late.json.code).toBe('order.rate_limited');
    expect(Number(late.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('a guest may keep only a few unpaid orders at a store', () => {
  it('a third unpaid order is refused with the orders to pay or cancel; paying one lets the guest order again', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const first = await place(storeId, guest.token);
    const second = await place(storeId, guest.token);
    const third = await place(storeId, guest.token);
    expect(third.status).toBe(409);
    expect(third.json).toMatchObject({
      code: 'order.too_many_unpaid',
      unpaidOrderIds: [first.json.id, second.json.id],
      limit: 2,
    });
    expect(third.json.detail).toContain('pay or cancel');
    // Another guest is not affected.
    expect((await place(storeId, (await newMember()).token)).status).toBe(201);
    await pay(storeId, first.json.id);
    expect((await place(storeId, guest.token)).status).toBe(201);
  });

  it("the check reads the guest's unpaid orders through their index, with no sort of its own", async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    expect((await place(storeId, guest.token)).status).toBe(201);
    const plan = await runInDurableObject(env.STORE.getByName(storeId), (_i: StoreDO, state) =>
      state.storage.sql
        .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${UNPAID_HOLDS_SQL}`, 'mem_x')
        .toArray()
        .map((r) => r.detail),
    );
    // Every placement runs it: a temporary b-tree for an ORDER BY doubled its cost at a quiet store.
    expect(plan).toEqual([expect.stringContaining('USING INDEX orders_member_status (member_id=? AND status=?)')]);
  });

  it('the store sets the cap', async () => {
    const { storeId } = await openStore({ maxUnpaidOrdersPerGuest: 3 });
    const guest = await newMember();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await place(storeId, guest.token)).status);
    expect(answers).toEqual([201, 201, 201, 409]);
  });
});

describe('an unpaid order cannot hoard the last bowls', () => {
  it('the last 3 bowls held unpaid: 5 minutes to pay, two lapses and the guest cannot hold them again today; a paying family gets them', async () => {
    // Strikes and stock counts are the business day's (it starts 04:00 in Shanghai).
    await roomInHour();
    const { storeId, staff } = await openStore();
    await setStock(storeId, staff, 3);
    const hoarder = await newMember();

    // The hoarder takes the last three, unpaid: the dish has a count, so the clock is short.
    const first = await place(storeId, hoarder.token, [potstickers(3)]);
    expect(first.status, first.text).toBe(201);
    expect(minutesToPay(first.json)).toBe(5);
    expect(await potstickersLeft(storeId, staff)).toBe(0);
    await letUnpaidExpire(storeId);
    expect(await potstickersLeft(storeId, staff)).toBe(3);

    // Again, and cancelled before paying just before the clock runs out: a second lapse.
    const second = await place(storeId, hoarder.token, [potstickers(3)]);
    expect(second.status).toBe(201);
    expect((await cancel(second.json.id, hoarder.token)).json.status).toBe('cancelled');

    const third = await place(storeId, hoarder.token, [potstickers(3)]);
    expect(third.status).toBe(409);
    expect(third.json.code).toBe('order.limited_stock_refused');
    expect(third.json.errors).toEqual([expect.objectContaining({ path: 'items.itm_potstickers' })]);
    expect(await potstickersLeft(storeId, staff)).toBe(3);
    // Dishes without a count are still open to them, with the usual time to pay.
    const eggs = await place(storeId, hoarder.token, [teaEgg(2)]);
    expect(eggs.status, eggs.text).toBe(201);
    expect(minutesToPay(eggs.json)).toBe(15);

    // A family orders the last three bowls and pays.
    const family = await newMember();
    const theirs = await place(storeId, family.token, [potstickers(3)]);
    expect(theirs.status, theirs.text).toBe(201);
    await pay(storeId, theirs.json.id);
    const after = await call(`/v1/orders/${theirs.json.id}`, { token: family.token });
    expect(after.json.status).toBe('paid');
  });

  it('a guest who pays is never struck, however many limited dishes they order', async () => {
    // Stock counts are the business day's: a turnover mid-test would restock.
    await roomInHour();
    const { storeId, staff } = await openStore({ limitedStockStrikes: 1 });
    await setStock(storeId, staff, 10);
    const regular = await newMember();
    for (let i = 0; i < 3; i++) {
      const res = await place(storeId, regular.token, [potstickers(3)]);
      expect(res.status, res.text).toBe(201);
      await pay(storeId, res.json.id);
    }
    expect(await potstickersLeft(storeId, staff)).toBe(1);
  });

  it('the store sets the time to pay for limited dishes and the strikes allowed', async () => {
    // Strikes and stock counts are the business day's.
    await roomInHour();
    const { storeId, staff } = await openStore({ limitedStockPaymentMinutes: 2, limitedStockStrikes: 1 });
    await setStock(storeId, staff, 3);
    const guest = await newMember();
    const held = await place(storeId, guest.token, [potstickers(1)]);
    expect(minutesToPay(held.json)).toBe(2);
    await cancel(held.json.id, guest.token);
    expect((await place(storeId, guest.token, [potstickers(1)])).json.code).toBe('order.limited_stock_refused');
  });
});
