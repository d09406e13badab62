import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';

// Here the events queue is never consumed on its own (tests deliver it by hand), so a list
// that shows the order before `deliver` proves the guest's own write did not wait for it.
const place = (storeId: string, token: string, key?: string) =>
  call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    headers: key ? { 'Idempotency-Key': key } : undefined,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
const mine = async (token: string) =>
  (await call('/v1/members/me/orders', { token })).json.items as Record<string, unknown>[];

describe('a guest who just ordered sees the order in their list at once', () => {
  it('placed, then listed straight away: there, with its current status', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token);
    expect(placed.status, placed.text).toBe(201);
    expect(placed.json.eventSeq).toBeUndefined();
    const list = await mine(guest.token);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: placed.json.id, status: placed.json.status, total: placed.json.total });
  });

  it('cancelled by the guest, then listed straight away: cancelled', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token);
    const cancel = await call(`/v1/orders/${placed.json.id}/cancel`, { method: 'POST', token: guest.token, body: {} });
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.json.status).toBe('cancelled');
    expect((await mine(guest.token))[0]).toMatchObject({ id: placed.json.id, status: 'cancelled' });
  });

  it('the queue delivering the same events later (twice, out of order) leaves the list as it was', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token, `ryw-${crypto.randomUUID()}`);
    await call(`/v1/orders/${placed.json.id}/cancel`, { method: 'POST', token: guest.token, body: {} });
    const before = await mine(guest.token);
    const messages = await outboxMessages(storeId);
    for (const batch of [[...messages].reverse(), messages]) expect((await deliver(batch)).retryMessages).toEqual([]);
    expect(await mine(guest.token)).toEqual(before);
    const row = await env.DB.prepare('SELECT status, last_seq FROM order_history WHERE id = ?')
      .bind(placed.json.id)
      .first<{ status: string; last_seq: number }>();
    expect(row).toEqual({ status: 'cancelled', last_seq: messages.at(-1)!.body.seq });
  });

  it('a replayed placement (same Idempotency-Key) is still one order in the list', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const key = `ryw-${crypto.randomUUID()}`;
    const first = await place(storeId, guest.token, key);
    const again = await place(storeId, guest.token, key);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect((await mine(guest.token)).map((o) => o.id)).toEqual([first.json.id]);
  });

  it('forty guests order at one store at once: each sees their own order, and only theirs, at once', async () => {
    const { storeId } = await openStore();
    const guests = await Promise.all(Array.from({ length: 40 }, () => newMember()));
    const placed = await Promise.all(guests.map((g) => place(storeId, g.token)));
    expect(placed.map((p) => p.status)).toEqual(guests.map(() => 201));
    const lists = await Promise.all(guests.map((g) => mine(g.token)));
    expect(lists.map((l) => l.map((o) => o.id))).toEqual(placed.map((p) => [p.json.id]));
  });
});

describe('where a placement spends its time', () => {
  it('the answer carries Server-Timing: auth, the store, the input, the RPC and the steps inside the store object', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token);
    const timing = placed.headers.get('server-timing') ?? '';
    const steps = Object.fromEntries(
      timing.split(', ').map((part) => {
        const [name, dur] = part.split(';dur=');
        return [name, Number(dur)];
      }),
    );
    for (const step of ['auth', 'store', 'input', 'rpc', 'do.member', 'do.price', 'do.write', 'answer', 'total']) {
      expect(steps[step], `${step} in ${timing}`).toBeGreaterThanOrEqual(0);
    }
    expect(steps.total).toBeGreaterThanOrEqual(steps.rpc);
    // Durations only: nothing about the guest or the order rides in it.
    expect(timing).not.toContain(guest.memberId);
  });
});
