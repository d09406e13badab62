import { describe, expect, it } from 'vitest';
import { giveCoupon, newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { call } from '../support/http';
import { scan, tableOf } from '../support/tables';

const invoice = { title: '上海某某科技有限公司', taxNumber: '91310000MA1FL1234X', email: 'ana@example.com' };

/** Ana and Bo sit at one table; each orders a round with their own ticket from the QR code. */
async function twoDiners() {
  const { storeId, admin, staff } = await openStore({ payLaterAreas: ['hall'] });
  const table = await tableOf(storeId, admin, 'D1');
  const ana = await newMember();
  const bo = await newMember();
  const coupon = await giveCoupon(ana.memberId, 300);
  const anas = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: ana.token,
    body: {
      mode: 'dine_in',
      tableId: table.id,
      seatTicket: await scan(table.qr.token, ana.token),
      lines: [potstickers(2)],
      note: 'allergic to peanuts, room 1203',
      invoice,
    },
  });
  expect(anas.status, anas.text).toBe(201);
  expect(anas.json.couponIds).toEqual([coupon]);
  const bos = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: bo.token,
    body: {
      mode: 'dine_in',
      tableId: table.id,
      seatTicket: await scan(table.qr.token, bo.token),
      lines: [teaEgg(1)],
      note: 'no chilli, call 13800138000',
    },
  });
  expect(bos.status, bos.text).toBe(201);
  return { storeId, staff, table, ana, bo, coupon, anas: anas.json, bos: bos.json };
}

describe('diners at one table share the rounds, each keeping their own details', () => {
  it('two diners scanning one code add to one session, so the meal is one bill (Odoo #244393)', async () => {
    const { storeId, table, ana, bo, anas, bos } = await twoDiners();
    expect(anas.sessionId).toMatch(/^ses_/);
    expect(bos.sessionId).toBe(anas.sessionId);
    const tab = await call(`/v1/tables/${table.qr.token}/session`, { token: bo.token });
    expect(tab.json.id).toBe(anas.sessionId);
    expect(tab.json.rounds.map((r: { id: string }) => r.id)).toEqual([anas.id, bos.id]);
    expect(tab.json.total).toBe(anas.total + bos.total);

    // A dine-in round that forgets its table is refused, never quietly made a meal of its own.
    const lost = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: ana.token,
      body: { mode: 'dine_in', seatTicket: await scan(table.qr.token, ana.token), lines: [teaEgg(1)] },
    });
    expect(lost.status).toBe(422);
    expect(lost.json.errors).toMatchObject([{ path: 'tableId' }]);
    const after = await call(`/v1/tables/${table.qr.token}/session`, { token: ana.token });
    expect(after.json.rounds).toHaveLength(2);
  });

  it("each sees the other's round as dishes and status only: no note, invoice, coupon or identity", async () => {
    const { table, ana, bo, coupon, anas } = await twoDiners();
    const seenByBo = await call(`/v1/tables/${table.qr.token}/session`, { token: bo.token });
    expect(seenByBo.status).toBe(200);
    for (const secret of ['peanuts', '1203', invoice.title, invoice.taxNumber, invoice.email, ana.memberId, coupon]) {
      expect(seenByBo.text).not.toContain(secret);
    }
    const [hers, his] = seenByBo.json.rounds;
    expect(hers).toMatchObject({
      addedBy: 'diner:1',
      addedByLabel: 'Diner 1',
      memberId: null,
      note: null,
      invoice: null,
      couponIds: [],
      discounts: [],
      allowedActions: [],
      status: 'accepted',
      total: anas.total,
    });
    expect(hers.lines).toMatchObject([{ name: '煎锅贴', quantity: 2 }]);
    expect(his).toMatchObject({ addedBy: `member:${bo.memberId}`, note: 'no chilli, call 13800138000' });
    expect(seenByBo.json.diners).toEqual([
      { key: 'diner:1', label: 'Diner 1' },
      { key: `member:${bo.memberId}`, label: 'Diner 2' },
    ]);

    const seenByAna = await call(`/v1/tables/${table.qr.token}/session`, { token: ana.token });
    expect(seenByAna.text).not.toContain('13800138000');
    expect(seenByAna.text).not.toContain(bo.memberId);
    expect(seenByAna.json.rounds[0]).toMatchObject({
      note: 'allergic to peanuts, room 1203',
      invoice,
      couponIds: [coupon],
    });
    expect(seenByAna.json.rounds[0].discounts).toMatchObject([{ id: coupon, source: 'coupon', amount: 300 }]);
    expect(seenByAna.json.rounds[1]).toMatchObject({ note: null, memberId: null, addedByLabel: 'Diner 2' });
  });

  it("no diner reads, acts on, pays or reorders another's round, nor reads the staff's views (Odoo #232659)", async () => {
    const { storeId, staff, ana, bo, anas } = await twoDiners();
    const asBo = (path: string, method = 'GET', body?: unknown) => call(path, { method, token: bo.token, body });
    for (const res of [
      await asBo(`/v1/orders/${anas.id}`),
      await asBo(`/v1/orders/${anas.id}/payments`),
      await asBo(`/v1/orders/${anas.id}/reorder`, 'POST'),
      await asBo(`/v1/orders/${anas.id}/cancel`, 'POST', { reason: 'not mine' }),
      await asBo(`/v1/orders/${anas.id}/urge`, 'POST'),
    ]) {
      expect(res.status, res.text).toBe(404);
      expect(res.json.code).toBe('order.not_found');
      expect(res.text).not.toContain('peanuts');
    }
    const stillAnas = await call(`/v1/orders/${anas.id}`, { token: ana.token });
    expect(stillAnas.json).toMatchObject({ status: 'accepted', note: 'allergic to peanuts, room 1203' });

    // The store's orders, the session by id, the open sessions and the bill are the staff's.
    for (const path of [
      `/v1/stores/${storeId}/orders`,
      `/v1/stores/${storeId}/sessions`,
      `/v1/stores/${storeId}/sessions/${anas.sessionId}`,
      `/v1/stores/${storeId}/sessions/${anas.sessionId}/bill`,
    ]) {
      const res = await asBo(path);
      expect(res.status, path).toBe(403);
      expect(res.text).not.toContain('peanuts');
    }
    const forStaff = await call(`/v1/stores/${storeId}/sessions/${anas.sessionId}`, { token: staff });
    expect(forStaff.json.rounds[0]).toMatchObject({ note: 'allergic to peanuts, room 1203', invoice });
  });

  it('someone holding only the QR code, signed in but not at the table yet, sees rounds without details', async () => {
    const { table, ana } = await twoDiners();
    const newcomer = await newMember();
    const seen = await call(`/v1/tables/${table.qr.token}/session`, { token: newcomer.token });
    expect(seen.status).toBe(200);
    expect(seen.json.rounds.map((r: { addedByLabel: string }) => r.addedByLabel)).toEqual(['Diner 1', 'Diner 2']);
    for (const secret of ['peanuts', '13800138000', invoice.taxNumber, ana.memberId, 'member:']) {
      expect(seen.text).not.toContain(secret);
    }
    // Without a sign-in, nothing at all.
    expect((await call(`/v1/tables/${table.qr.token}/session`)).status).toBe(401);
  });
});
