import { expect } from 'vitest';
import { call } from './http';

/** A new table in a store, with its printed QR code. */
export async function tableOf(storeId: string, admin: string, name: string, area = 'hall') {
  const res = await call(`/v1/admin/stores/${storeId}/tables`, { method: 'POST', token: admin, body: { name, area } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; qr: { token: string } };
}

/** A guest scans a table's QR code: the seat ticket their dine-in orders carry. */
export async function scan(qrToken: string, token?: string): Promise<string> {
  const res = await call(`/v1/tables/${qrToken}`, { token });
  expect(res.status, res.text).toBe(200);
  return res.json.seatTicket.ticket as string;
}

/** A dine-in round for a table, with the seat ticket (if any) from scanning its code. */
export const dineIn = (storeId: string, token: string, tableId: string, lines: unknown[], seatTicket?: string) =>
  call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    body: { mode: 'dine_in', tableId, lines, ...(seatTicket ? { seatTicket } : {}) },
  });

/** Scans the table's code as this guest, then orders a round to it. */
export async function scanAndOrder(
  storeId: string,
  guest: string,
  table: { id: string; qr: { token: string } },
  lines: unknown[],
) {
  return dineIn(storeId, guest, table.id, lines, await scan(table.qr.token, guest));
}
