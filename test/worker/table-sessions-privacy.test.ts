import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { call } from '../support/http';
import { scan, tableOf } from '../support/tables';

describe("a shared table keeps each diner's details their own", () => {
  it("two members at one table share the rounds and the bill, not each other's notes or invoices", async () => {
    const { storeId, admin, staff } = await openStore({ payLaterAreas: ['hall'] });
    const table = await tableOf(storeId, admin, 'P1');
    const ana = await newMember();
    const bo = await newMember();
    const invoice = { title: '上海某某科技有限公司', taxNumber: '91310000MA1FL1234X', email: 'ana@example.com' };
    const anas = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: ana.token,
      body: {
        mode: 'dine_in',
        tableId: table.id,
        seatTicket: await scan(table.qr.token, ana.token),
        lines: [potstickers(1)],
        note: 'allergic to peanuts, room 1203',
        invoice,
      },
    });
    expect(anas.status, anas.text).toBe(201);
    const bos = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: bo.token,
      body: {
        mode: 'dine_in',
        tableId: table.id,
        seatTicket: await scan(table.qr.token, bo.token),
        lines: [teaEgg(2)],
        note: 'no chilli',
      },
    });
    expect(bos.status, bos.text).toBe(201);

    const seenByBo = await call(`/v1/tables/${table.qr.token}/session`, { token: bo.token });
    expect(seenByBo.status, seenByBo.text).toBe(200);
    // The table's rounds, dishes, statuses and bill are shared.
    expect(seenByBo.json.rounds.map((r: { lines: { name: string; quantity: number }[] }) => r.lines[0])).toMatchObject([
      { name: '煎锅贴', quantity: 1 },
      { name: '茶叶蛋', quantity: 2 },
    ]);
    expect(seenByBo.json.rounds.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    expect(seenByBo.json.total).toBe(2200);
    // Ana's note, invoice and identity are not.
    for (const secret of ['peanuts', '1203', invoice.taxNumber, invoice.email, ana.memberId]) {
      expect(seenByBo.text).not.toContain(secret);
    }
    const [hers, his] = seenByBo.json.rounds;
    expect(hers).toMatchObject({ note: null, invoice: null, memberId: null, addedByLabel: 'Diner 1' });
    expect(his).toMatchObject({ note: 'no chilli', memberId: bo.memberId, addedBy: `member:${bo.memberId}` });

    const seenByAna = await call(`/v1/tables/${table.qr.token}/session`, { token: ana.token });
    expect(seenByAna.json.rounds[0]).toMatchObject({ note: 'allergic to peanuts, room 1203', invoice });
    expect(seenByAna.text).not.toContain('no chilli');

    // The store sees everything it needs to serve the table.
    const seenByStaff = await call(`/v1/stores/${storeId}/sessions/${anas.json.sessionId}`, { token: staff });
    expect(seenByStaff.json.rounds[0]).toMatchObject({ note: 'allergic to peanuts, room 1203', invoice });
    expect(seenByStaff.json.rounds[1].note).toBe('no chilli');
  });
});
