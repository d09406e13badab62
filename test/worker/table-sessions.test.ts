import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { call } from '../support/http';
import { scanAndOrder as dineIn, dineIn as order, tableOf } from '../support/tables';

describe('friends share a table', () => {
  it('two diners scan the same QR code and add to one session, each seeing who added what', async () => {
    const { storeId, admin } = await openStore({ payLaterAreas: ['hall'] });
    const table = await tableOf(storeId, admin, 'H1');
    const ana = await newMember();
    const bo = await newMember();
    const first = await dineIn(storeId, ana.token, table, [potstickers(1)]);
    expect(first.status, first.text).toBe(201);
    // Pay-after-meal area: the kitchen gets it at once, no payment wait.
    expect(first.json).toMatchObject({ status: 'accepted', payLater: true, ticketNo: 'A001' });
    const second = await dineIn(storeId, bo.token, table, [teaEgg(2)]);
    expect(second.json.sessionId).toBe(first.json.sessionId);

    const seen = await call(`/v1/tables/${table.qr.token}/session`, { token: bo.token });
    expect(seen.status, seen.text).toBe(200);
    expect(seen.json.diners.map((d: { label: string }) => d.label)).toEqual(['Diner 1', 'Diner 2']);
    expect(
      seen.json.rounds.map((r: { addedByLabel: string; lines: { name: string }[] }) => [
        r.addedByLabel,
        r.lines[0]!.name,
      ]),
    ).toEqual([
      ['Diner 1', '煎锅贴'],
      ['Diner 2', '茶叶蛋'],
    ]);
    // Dine-in carries no packing fee: 1600 + 2 × 300.
    expect(seen.json.total).toBe(2200);
    expect(seen.json.unpaid).toBe(2200);
  });

  it('the bill splits by diner or by line and always adds up; the table closes only when paid', async () => {
    const { storeId, admin, staff } = await openStore({ payLaterAreas: ['hall'] });
    const table = await tableOf(storeId, admin, 'H2');
    const ana = await newMember();
    const bo = await newMember();
    const a = await dineIn(storeId, ana.token, table, [potstickers(1), teaEgg(1)]);
    const b = await dineIn(storeId, bo.token, table, [teaEgg(3)]);
    const sessionId = a.json.sessionId as string;
    const byDiner = await call(`/v1/stores/${storeId}/sessions/${sessionId}/bill?split=diner`, { token: staff });
    expect(byDiner.status, byDiner.text).toBe(200);
    expect(byDiner.json.parts.map((p: { amount: number }) => p.amount)).toEqual([1900, 900]);
    const byLine = await call(`/v1/stores/${storeId}/sessions/${sessionId}/bill?split=line`, { token: staff });
    expect(byLine.json.parts).toHaveLength(3);
    const sum = (parts: { amount: number }[]) => parts.reduce((s, p) => s + p.amount, 0);
    expect(sum(byLine.json.parts)).toBe(byLine.json.total);
    expect(sum(byDiner.json.parts)).toBe(byDiner.json.total);

    const early = await call(`/v1/stores/${storeId}/sessions/${sessionId}/close`, { method: 'POST', token: staff });
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ code: 'session.unpaid', unpaid: 2800 });
    for (const o of [a, b])
      await env.STORE.getByName(storeId).act({ orderId: o.json.id, action: 'pay', actor: 'system' });
    const closed = await call(`/v1/stores/${storeId}/sessions/${sessionId}/close`, { method: 'POST', token: staff });
    expect(closed.json.status).toBe('closed');
  });

  it('staff move a party and merge two tables without sending anything to the kitchen again', async () => {
    const { storeId, admin, staff } = await openStore({ payLaterAreas: ['hall'] });
    const t1 = await tableOf(storeId, admin, 'M1');
    const t2 = await tableOf(storeId, admin, 'M2');
    const t3 = await tableOf(storeId, admin, 'M3');
    const guest = await newMember();
    const a = await dineIn(storeId, guest.token, t1, [potstickers(1)]);
    const b = await dineIn(storeId, guest.token, t2, [teaEgg(1)]);
    const outboxRows = () =>
      runInDurableObject(
        env.STORE.getByName(storeId),
        (_i, state) => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox').one().n,
      );
    const before = await outboxRows();

    const moved = await call(`/v1/stores/${storeId}/sessions/${a.json.sessionId}/move`, {
      method: 'POST',
      token: staff,
      body: { tableId: t3.id },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json.table.name).toBe('M3');
    const occupied = await call(`/v1/stores/${storeId}/sessions/${b.json.sessionId}/move`, {
      method: 'POST',
      token: staff,
      body: { tableId: t3.id },
    });
    expect(occupied.json.code).toBe('table.occupied');

    const merged = await call(`/v1/stores/${storeId}/sessions/${a.json.sessionId}/merge`, {
      method: 'POST',
      token: staff,
      body: { sessionId: b.json.sessionId },
    });
    expect(merged.status, merged.text).toBe(200);
    expect(merged.json.rounds).toHaveLength(2);
    expect(merged.json.total).toBe(1900);
    // No new kitchen work: no order was created or changed by moving or merging.
    expect(await outboxRows()).toBe(before);
  });

  it('a waiter takes an order for the table through the same API', async () => {
    const { storeId, admin, staff } = await openStore();
    const table = await tableOf(storeId, admin, 'W1');
    const res = await order(storeId, staff, table.id, [potstickers(2)]);
    expect(res.status, res.text).toBe(201);
    expect(res.json.addedBy).toMatch(/^staff:/);
    expect(res.json.memberId).toBeNull();
  });
});
