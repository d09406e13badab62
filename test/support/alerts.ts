import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { call } from './http';

/** A guest's pickup order, paid, so the kitchen has its tickets. */
export async function paidPickup(storeId: string, guestToken: string, lines: unknown[]) {
  const res = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: guestToken,
    body: { mode: 'pickup', lines },
  });
  expect(res.status, res.text).toBe(201);
  const paid = await env.STORE.getByName(storeId).act({ orderId: res.json.id, action: 'pay', actor: 'system' });
  expect(paid.ok).toBe(true);
  return res.json as { id: string; ticketNo: string; estimatedReadyAt: string };
}

/** A printer enrolled at the store that has polled once (CloudPRNT, HTTP basic auth). */
export async function pollingPrinter(storeId: string, admin: string) {
  const res = await call(`/v1/admin/stores/${storeId}/devices`, {
    method: 'POST',
    token: admin,
    body: { kind: 'printer', name: 'Kitchen printer', stations: ['kitchen', 'receipt'] },
  });
  expect(res.status, res.text).toBe(201);
  const auth = { Authorization: `Basic ${btoa(`${res.json.id}:${res.json.secret}`)}` };
  const poll = (statusCode = '200%20OK') =>
    call('/v1/devices/cloudprnt', {
      method: 'POST',
      headers: auth,
      body: { status: '23 86 00 00 00 00 00 00 00', printerMAC: '00:11:62:00:00:01', statusCode },
    });
  expect((await poll()).status).toBe(200);
  return { id: res.json.id as string, poll };
}

/** A store manager account (no sign-in needed: notifications go to the account). */
export async function managerOf(admin: string, storeIds: string[], role: 'manager' | 'clerk' = 'manager') {
  const res = await call('/v1/admin/staff', {
    method: 'POST',
    token: admin,
    body: { name: `Manager ${crypto.randomUUID().slice(0, 6)}`, role, storeIds },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}
