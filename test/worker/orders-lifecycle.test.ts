import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { roomInHour } from '../support/clock-windows';
import { giveCoupon, newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { call } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { quietStore } from '../support/quiet-store';

const place = (storeId: string, token: string, body: Record<string, unknown> = {}) =>
  call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    body: { mode: 'pickup', lines: [potstickers(1)], ...body },
  });

const act = (orderId: string, action: string, token: string, body?: unknown) =>
  call(`/v1/orders/${orderId}/${action}`, { method: 'POST', token, body });

/** Payment lands with the payments work; until then the system marks an order paid directly. */
const pay = (storeId: string, orderId: string) =>
  env.STORE.getByName(storeId).act({ orderId, action: 'pay', actor: 'system' });

async function stockOf(storeId: string, staff: string, itemId: string) {
  const res = await call(`/v1/stores/${storeId}/stock`, { token: staff });
  return res.json.items.find((i: { itemId: string }) => i.itemId === itemId)?.remaining;
}

describe('a guest checks a price before ordering', () => {
  it('a quote prices exactly like an order and takes nothing from stock', async () => {
    // Stock counts are the business day's (it starts 04:00 in Shanghai): a turnover mid-test would restock.
    await roomInHour();
    const { storeId, staff } = await openStore();
    await call(`/v1/stores/${storeId}/stock/itm_potstickers`, { method: 'PUT', token: staff, body: { count: 5 } });
    const guest = await newMember();
    const quote = await call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(3)] },
    });
    expect(quote.status, quote.text).toBe(200);
    expect(quote.json.itemsSubtotal).toBe(4800);
    expect(quote.json.packingFee).toBe(300);
    expect(quote.json.total).toBe(5100);
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(5);
    const placed = await place(storeId, guest.token, { lines: [potstickers(3)] });
    expect(placed.json.total).toBe(quote.json.total);
  });

  it('a line with a wrong spec or too many options is named in the error', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const res = await call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      token: guest.token,
      body: {
        mode: 'pickup',
        lines: [potstickers(1), { itemId: 'itm_milktea', specId: 'spc_nope', quantity: 1 }],
      },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('lines.1.specId');
  });
});

describe('an order from placement to pickup', () => {
  it('a pickup order gets a B ticket, waits for payment, and staff take it to completed', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token);
    expect(placed.status, placed.text).toBe(201);
    expect(placed.json).toMatchObject({ status: 'pending_payment', ticketNo: 'B001', mode: 'pickup', total: 1700 });
    expect(placed.json.expiresAt).toMatch(/\+08:00$/);
    const id = placed.json.id as string;

    const tooEarly = await act(id, 'complete', staff);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.json).toMatchObject({ code: 'order.illegal_transition', currentStatus: 'pending_payment' });

    await pay(storeId, id);
    for (const [action, status] of [
      ['accept', 'accepted'],
      ['start', 'preparing'],
      ['ready', 'ready'],
      ['pick-up', 'picked_up'],
      ['complete', 'completed'],
    ] as const) {
      const res = await act(id, action, staff);
      expect(res.status, `${action}: ${res.text}`).toBe(200);
      expect(res.json.status).toBe(status);
    }
    const seen = await call(`/v1/orders/${id}`, { token: guest.token });
    expect(seen.json.status).toBe('completed');
  });

  it("another guest cannot see or touch someone else's order", async () => {
    const { storeId } = await openStore();
    const owner = await newMember();
    const stranger = await newMember();
    const placed = await place(storeId, owner.token);
    expect((await call(`/v1/orders/${placed.json.id}`, { token: stranger.token })).status).toBe(404);
    expect((await act(placed.json.id, 'cancel', stranger.token)).status).toBe(404);
  });

  it('a guest cancels an unpaid order and the dish goes back on sale', async () => {
    // Stock counts are the business day's (it starts 04:00 in Shanghai): a turnover mid-test would restock.
    await roomInHour();
    const { storeId, staff } = await openStore();
    await call(`/v1/stores/${storeId}/stock/itm_potstickers`, { method: 'PUT', token: staff, body: { count: 1 } });
    const guest = await newMember();
    const placed = await place(storeId, guest.token);
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(0);
    const cancelled = await act(placed.json.id, 'cancel', guest.token);
    expect(cancelled.json.status).toBe('cancelled');
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(1);
  });

  it('cancelling a paid order needs the store: a rejection restores it, an approval cancels it', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token);
    await pay(storeId, placed.json.id);
    const asked = await act(placed.json.id, 'cancel', guest.token, { reason: 'wrong store' });
    expect(asked.json.status).toBe('cancel_requested');
    expect((await act(placed.json.id, 'reject-cancel', staff)).json.status).toBe('paid');
    await act(placed.json.id, 'cancel', guest.token);
    expect((await act(placed.json.id, 'approve-cancel', staff)).json.status).toBe('cancelled');
  });

  it('a hungry guest urges once; a second urge right after is politely refused', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token);
    expect((await act(placed.json.id, 'urge', guest.token)).status).toBe(409);
    await pay(storeId, placed.json.id);
    const urged = await act(placed.json.id, 'urge', guest.token);
    expect(urged.status, urged.text).toBe(200);
    expect(urged.json.lastUrgedAt).toBeTruthy();
    const again = await act(placed.json.id, 'urge', guest.token);
    expect(again.status).toBe(429);
    expect(again.json.code).toBe('order.urge_too_soon');
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('an unpaid order runs out of time', () => {
  it('the expiry alarm cancels it and returns its stock', async () => {
    // Stock counts are the business day's (it starts 04:00 in Shanghai): a turnover mid-test would restock.
    await roomInHour();
    const { storeId, staff } = await openStore();
    await call(`/v1/stores/${storeId}/stock/itm_potstickers`, { method: 'PUT', token: staff, body: { count: 1 } });
    const guest = await newMember();
    const placed = await place(storeId, guest.token);
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(0);
    const stub = env.STORE.getByName(storeId);
    await runInDurableObject(stub, (_instance: StoreDO, state) => {
      state.storage.sql.exec('UPDATE orders SET expires_at = 1 WHERE id = ?', placed.json.id);
      state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'sweep'");
    });
    await stub.flushOutbox();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await call(`/v1/orders/${placed.json.id}`, { token: guest.token });
    expect(after.json.status).toBe('cancelled');
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(1);
  });
});

describe('the expiry sweep at lunch rush', () => {
  it('a burst of unpaid orders expires in one alarm, oldest first, and a paid one in between is left alone', async () => {
    // Stock counts are the business day's (it starts 04:00 in Shanghai): a turnover mid-test would restock.
    await roomInHour();
    const { storeId, staff } = await openStore();
    await call(`/v1/stores/${storeId}/stock/itm_potstickers`, { method: 'PUT', token: staff, body: { count: 10 } });
    // Five guests: one guest may not keep five unpaid orders.
    const guests = await Promise.all(Array.from({ length: 5 }, () => newMember()));
    const orders = [];
    for (const g of guests) orders.push((await place(storeId, g.token)).json.id as string);
    await pay(storeId, orders[2]!);
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(5);
    const stub = env.STORE.getByName(storeId);
    // One sweep job stands for all five unpaid orders, not a job each.
    const jobs = await runInDurableObject(stub, (_i: StoreDO, state) =>
      state.storage.sql.exec<{ kind: string }>('SELECT kind FROM jobs ORDER BY kind').toArray(),
    );
    expect(jobs.map((j) => j.kind).filter((k) => k !== 'outbox' && k !== 'retention')).toEqual(['sweep']);
    await runInDurableObject(stub, (_i: StoreDO, state) => {
      state.storage.sql.exec('UPDATE orders SET expires_at = 1 WHERE expires_at IS NOT NULL');
      state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'sweep'");
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const statuses = await Promise.all(
      orders.map(async (id, i) => (await call(`/v1/orders/${id}`, { token: guests[i]!.token })).json.status),
    );
    expect(statuses).toEqual(['cancelled', 'cancelled', 'paid', 'cancelled', 'cancelled']);
    // The paid order keeps its potstickers; the four expired ones give theirs back.
    expect(await stockOf(storeId, staff, 'itm_potstickers')).toBe(9);
  });

  it('a new unpaid order after a sweep is swept in its turn', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const stub = env.STORE.getByName(storeId);
    const expireAll = async () => {
      await runInDurableObject(stub, (_i: StoreDO, state) => {
        state.storage.sql.exec('UPDATE orders SET expires_at = 1 WHERE expires_at IS NOT NULL');
        state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'sweep'");
      });
      await runDurableObjectAlarm(stub);
    };
    const first = (await place(storeId, guest.token)).json.id;
    await expireAll();
    const second = (await place(storeId, guest.token)).json.id;
    await expireAll();
    for (const id of [first, second]) {
      expect((await call(`/v1/orders/${id}`, { token: guest.token })).json.status).toBe('cancelled');
    }
  });
});

describe('two orders reach for one coupon', () => {
  it('only one of them gets it; the other is told clearly', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const couponId = await giveCoupon(guest.memberId, 300, 1000);
    const [a, b] = await Promise.all([
      place(storeId, guest.token, { couponIds: [couponId] }),
      place(storeId, guest.token, { couponIds: [couponId] }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const winner = a.status === 201 ? a : b;
    const loser = a.status === 201 ? b : a;
    expect(winner.json.couponIds).toEqual([couponId]);
    expect(winner.json.total).toBe(1700 - 300);
    expect(loser.json.code).toBe('coupon.unavailable');
    const row = await env.DB.prepare('SELECT status, order_id FROM member_coupons WHERE id = ?').bind(couponId).first();
    expect(row).toMatchObject({ status: 'locked', order_id: winner.json.id });
  });
});

describe('busy kitchens say so instead of timing out', () => {
  it('past the per-minute cap the guest gets 429 with Retry-After and a place in line', async () => {
    const { storeId } = await openStore({ maxOrdersPerMinute: 2 });
    // The cap counts orders the kitchen took: two paid orders fill it.
    for (const g of [await newMember(), await newMember()]) {
      const placed = await place(storeId, g.token);
      expect(placed.status).toBe(201);
      await pay(storeId, placed.json.id);
    }
    const guest = await newMember();
    const third = await place(storeId, guest.token);
    expect(third.status).toBe(429);
    expect(third.json).toMatchObject({ code: 'order.rate_limited', queuePosition: 1 });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('past the open-order cap the guest gets 503 with an estimated wait', async () => {
    const { storeId } = await openStore({ maxOpenOrders: 1 });
    const guest = await newMember();
    const first = await place(storeId, guest.token);
    await pay(storeId, first.json.id);
    const second = await place(storeId, guest.token);
    expect(second.status).toBe(503);
    expect(second.json).toMatchObject({ code: 'order.store_busy', queuePosition: 2 });
    expect(second.json.estimatedWaitSeconds).toBeGreaterThan(0);
    expect(second.headers.get('retry-after')).toBeTruthy();
  });
});

describe('order history reaches D1 through the outbox', () => {
  it('replayed and out-of-order events leave history exactly right', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token, { lines: [teaEgg(2)] });
    await pay(storeId, placed.json.id);
    await act(placed.json.id, 'accept', staff);
    const messages = await outboxMessages(storeId);
    expect(messages.map((m) => m.body.type)).toEqual(['order.placed', 'order.status_changed', 'order.status_changed']);
    // Newest first, then everything again: history must end at the newest state.
    for (const batch of [[...messages].reverse(), messages]) {
      expect((await deliver(batch)).retryMessages).toEqual([]);
    }
    const mine = await call('/v1/members/me/orders', { token: guest.token });
    expect(mine.status).toBe(200);
    expect(mine.json.items).toHaveLength(1);
    expect(mine.json.items[0]).toMatchObject({ id: placed.json.id, status: 'accepted' });
  });
});

/**
 * When the store's alarm will send what waits in its outbox; undefined once it has sent it (on
 * a loaded machine the test may look only after the flush fell due and the alarm ran).
 */
const flushDue = (storeId: string) =>
  runInDurableObject(env.STORE.getByName(storeId), async (_i: StoreDO, state) => {
    const waiting = state.storage.sql
      .exec<{ n: number }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')
      .one().n;
    return waiting > 0 ? ((await state.storage.getAlarm()) ?? undefined) : undefined;
  });

describe('a guest waiting on their points', () => {
  it('a completed order’s event leaves the store at once, not with the next half-second batch', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const id = (await place(storeId, guest.token)).json.id as string;
    await pay(storeId, id);
    for (const action of ['accept', 'start', 'ready', 'pick-up']) {
      expect((await call(`/v1/orders/${id}/${action}`, { method: 'POST', token: staff, body: {} })).status).toBe(200);
    }
    const completed = await call(`/v1/orders/${id}/complete`, { method: 'POST', token: staff, body: {} });
    expect(completed.status, completed.text).toBe(200);
    const answered = Date.now();
    // Due by the time the answer came back (or already sent by the alarm): the 'ready' before
    // it had left a flush due half a second later, and completion brought the alarm forward.
    const due = await flushDue(storeId);
    if (due !== undefined) expect(due).toBeLessThanOrEqual(answered);
  });
});

describe('a quiet store at lunch', () => {
  it('an unpaid order’s event waits for a few more to go with it, and its payment sends them within half a second', async () => {
    const { storeId, guest } = await quietStore();
    const before = Date.now();
    const id = (await place(storeId, guest.token)).json.id as string;
    // No one waits on it: the guest's own list has it already, the day's figures do not count it.
    // (A flush the alarm already ran was due by now, so now must be two seconds on too.)
    expect((await flushDue(storeId)) ?? Date.now()).toBeGreaterThanOrEqual(before + 2_000);
    const mine = await call('/v1/members/me/orders', { token: guest.token });
    expect(mine.json.items.map((o: { id: string }) => o.id)).toContain(id);
    await pay(storeId, id);
    const answered = Date.now();
    const due = await flushDue(storeId);
    if (due !== undefined) expect(due).toBeLessThanOrEqual(answered + 500);
  });
});
