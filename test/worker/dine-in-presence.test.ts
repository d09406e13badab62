import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { call } from '../support/http';
import { dineIn, scan, tableOf } from '../support/tables';

const rotate = (storeId: string, admin: string, tableId: string) =>
  call(`/v1/admin/stores/${storeId}/tables/${tableId}/rotate-qr`, { method: 'POST', token: admin });

describe('a guest orders to a table only from the table', () => {
  it('after the QR is rotated, a member who never scanned it cannot put a round on the tab', async () => {
    const { storeId, admin } = await openStore({ payLaterAreas: ['hall'] });
    const table = await tableOf(storeId, admin, 'R1');
    const diner = await newMember();
    const oldTicket = await scan(table.qr.token, diner.token);
    expect((await dineIn(storeId, diner.token, table.id, [potstickers(1)], oldTicket)).status).toBe(201);

    const rotated = await rotate(storeId, admin, table.id);
    expect(rotated.status, rotated.text).toBe(200);

    // The attack as reported: the table id alone, which never changes.
    const stranger = await newMember();
    const attack = await dineIn(storeId, stranger.token, table.id, [potstickers(20)]);
    expect(attack.status, attack.text).toBe(403);
    expect(attack.json).toMatchObject({ code: 'table.presence_required', reason: 'missing' });
    // Nor with the old printed code, nor with a ticket scanned from it.
    const withOldCode = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: stranger.token,
      body: { mode: 'dine_in', tableId: table.id, qrToken: table.qr.token, lines: [potstickers(1)] },
    });
    expect(withOldCode.status).toBe(403);
    expect((await call(`/v1/tables/${table.qr.token}`)).status).toBe(404);
    const stale = await dineIn(storeId, diner.token, table.id, [teaEgg(1)], oldTicket);
    expect(stale.json).toMatchObject({ code: 'table.presence_required', reason: 'qr_rotated' });

    const tab = await call(`/v1/tables/${rotated.json.qr.token}/session`, { token: diner.token });
    expect(tab.json.rounds).toHaveLength(1);
    // Whoever scans the new code orders as before.
    const fresh = await scan(rotated.json.qr.token, diner.token);
    expect((await dineIn(storeId, diner.token, table.id, [teaEgg(1)], fresh)).status).toBe(201);
  });

  it('a guessed table id, a ticket for another table or another member, or a forged ticket is refused', async () => {
    const { storeId, admin } = await openStore();
    const a = await tableOf(storeId, admin, 'G1');
    const b = await tableOf(storeId, admin, 'G2');
    const guest = await newMember();
    const guessed = await dineIn(storeId, guest.token, b.id, [potstickers(1)]);
    expect(guessed.status).toBe(403);
    expect(guessed.json.code).toBe('table.presence_required');

    const ticketA = await scan(a.qr.token, guest.token);
    const elsewhere = await dineIn(storeId, guest.token, b.id, [potstickers(1)], ticketA);
    expect(elsewhere.json).toMatchObject({ code: 'table.presence_required', reason: 'other_table' });

    const friend = await newMember();
    const borrowed = await dineIn(storeId, friend.token, a.id, [potstickers(1)], ticketA);
    expect(borrowed.json).toMatchObject({ code: 'table.presence_required', reason: 'other_member' });

    const [v, claims, mac] = ticketA.split('.');
    const edited = JSON.parse(atob(claims!.replace(/-/g, '+').replace(/_/g, '/')));
    const forgedClaims = btoa(JSON.stringify({ ...edited, tableId: b.id }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const forged = await dineIn(storeId, guest.token, b.id, [potstickers(1)], `${v}.${forgedClaims}.${mac}`);
    expect(forged.status).toBe(403);

    expect((await dineIn(storeId, guest.token, a.id, [potstickers(1)], ticketA)).status).toBe(201);
  });

  it("the table's current QR token is proof too; a quote and a waiter need none", async () => {
    const { storeId, admin, staff } = await openStore();
    const table = await tableOf(storeId, admin, 'Q1');
    const guest = await newMember();
    const body = { mode: 'dine_in', tableId: table.id, lines: [potstickers(1)] };
    const quote = await call(`/v1/stores/${storeId}/quote`, { method: 'POST', token: guest.token, body });
    expect(quote.status, quote.text).toBe(200);
    const withCode = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { ...body, qrToken: table.qr.token },
    });
    expect(withCode.status, withCode.text).toBe(201);
    expect((await dineIn(storeId, staff, table.id, [potstickers(1)])).status).toBe(201);
  });

  it('a seat ticket dies with the session it was scanned into', async () => {
    const { storeId, admin, staff } = await openStore({ payLaterAreas: ['hall'] });
    const table = await tableOf(storeId, admin, 'C1');
    const guest = await newMember();
    const ticket = await scan(table.qr.token, guest.token);
    const round = await dineIn(storeId, guest.token, table.id, [potstickers(1)], ticket);
    expect(round.status, round.text).toBe(201);
    await env.STORE.getByName(storeId).act({ orderId: round.json.id, action: 'pay', actor: 'system' });
    const sessionId = round.json.sessionId as string;
    const closed = await call(`/v1/stores/${storeId}/sessions/${sessionId}/close`, { method: 'POST', token: staff });
    expect(closed.json.status).toBe('closed');

    const afterLeaving = await dineIn(storeId, guest.token, table.id, [potstickers(1)], ticket);
    expect(afterLeaving.status).toBe(403);
    expect(afterLeaving.json).toMatchObject({ code: 'table.presence_required', reason: 'session_closed' });
    const back = await dineIn(
      storeId,
      guest.token,
      table.id,
      [potstickers(1)],
      await scan(table.qr.token, guest.token),
    );
    expect(back.status, back.text).toBe(201);
    expect(back.json.sessionId).not.toBe(sessionId);
  });
});

describe('a diner on an open tab', () => {
  it('has a bounded number of rounds not yet served or paid; serving or paying one frees a place', async () => {
    const { storeId, admin, staff } = await openStore({ payLaterAreas: ['hall'], maxUnservedRoundsPerDiner: 2 });
    const table = await tableOf(storeId, admin, 'L1');
    const guest = await newMember();
    const ticket = await scan(table.qr.token, guest.token);
    const round = () => dineIn(storeId, guest.token, table.id, [teaEgg(1)], ticket);
    const first = await round();
    expect(first.status, first.text).toBe(201);
    expect((await round()).status).toBe(201);
    const third = await round();
    expect(third.status).toBe(409);
    expect(third.json).toMatchObject({ code: 'session.rounds_limit', limit: 2, unservedRounds: 2 });

    // Another diner at the table and the waiter are not held back by it.
    const friend = await newMember();
    expect(
      (await dineIn(storeId, friend.token, table.id, [teaEgg(1)], await scan(table.qr.token, friend.token))).status,
    ).toBe(201);
    expect((await dineIn(storeId, staff, table.id, [teaEgg(1)])).status).toBe(201);

    for (const action of ['ready', 'serve']) {
      const res = await call(`/v1/orders/${first.json.id}/${action}`, { method: 'POST', token: staff });
      expect(res.status, res.text).toBe(200);
    }
    expect((await round()).status).toBe(201);
    expect((await round()).status).toBe(409);
  });
});
