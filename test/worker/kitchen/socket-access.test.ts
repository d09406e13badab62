import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { closeSocketsOf } from '../../../worker/kitchen/socket-access.service';
import { sha256Hex } from '../../../worker/lib/ids';
import { newMember, openStore, potstickers } from '../../support/factories';
import { enrolledDevice } from '../../support/fixtures';
import { call, tokenFor } from '../../support/http';

/** Opens the kitchen socket with a query (`ticket=` or `token=`); the upgrade's response. */
const upgrade = (storeId: string, query: Record<string, string>) =>
  exports.default.fetch(
    new Request(`http://tiffin.test/v1/stores/${storeId}/kitchen?${new URLSearchParams(query)}`, {
      headers: { Upgrade: 'websocket' },
    }),
  );

/** An accepted socket that records its messages and how it closed. */
async function open(storeId: string, query: Record<string, string>) {
  const res = await upgrade(storeId, query);
  if (res.status !== 101) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  const ws = res.webSocket!;
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })),
  );
  ws.accept();
  ws.addEventListener('message', (e) => messages.push(JSON.parse(e.data as string)));
  await until(() => messages.some((m) => m.type === 'hello'));
  return { ws, messages, closed };
}

/** Waits for something that must happen; the limit only matters on a loaded CI machine, where 3 s can be too short. */
async function until(ok: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const closedWithin = <T>(p: Promise<T>, ms = 10_000) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not closed')), ms))]);

async function ticketFor(storeId: string, token: string) {
  const res = await call(`/v1/stores/${storeId}/kitchen/tickets`, { method: 'POST', token });
  expect(res.status, res.text).toBe(201);
  return res.json as { ticket: string; expiresAt: string };
}

async function paidOrder(storeId: string) {
  const guest = await newMember();
  const res = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: guest.token,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  expect(res.status, res.text).toBe(201);
  await env.STORE.getByName(storeId).act({ orderId: res.json.id, action: 'pay', actor: 'system' });
  return res.json as { id: string };
}

describe('kitchen sockets take a one-time ticket instead of a token in the address', () => {
  it('a ticket opens the socket once, lives a minute, and a second use is refused', async () => {
    const { storeId, staff } = await openStore();
    const { ticket, expiresAt } = await ticketFor(storeId, staff);
    expect(ticket).toMatch(/^kst_[0-9a-f]{48}$/);
    const life = Date.parse(expiresAt) - Date.now();
    expect(life).toBeGreaterThan(50_000);
    expect(life).toBeLessThanOrEqual(60_000);

    const display = await open(storeId, { station: 'kitchen', ticket });
    expect(display.messages[0]).toMatchObject({ type: 'hello', station: 'kitchen' });

    const replay = await upgrade(storeId, { station: 'kitchen', ticket });
    expect(replay.status).toBe(401);
    expect((await replay.json<any>()).code).toBe('auth.ticket_invalid');
  });

  it('a ticket past its minute is refused', async () => {
    const { storeId, staff } = await openStore();
    const { ticket } = await ticketFor(storeId, staff);
    const store = env.STORE.getByName(storeId);
    expect(await store.redeemSocketTicket(await sha256Hex(ticket), Date.now() + 61_000)).toBeNull();
    expect((await upgrade(storeId, { station: 'kitchen', ticket })).status).toBe(401);
  });

  it('a ticket of one store does not open another store, and staff get tickets only for their stores', async () => {
    const a = await openStore();
    const b = await openStore();
    const { ticket } = await ticketFor(a.storeId, a.staff);
    const elsewhere = await upgrade(b.storeId, { station: 'kitchen', ticket });
    expect(elsewhere.status).toBe(401);
    const refused = await call(`/v1/stores/${b.storeId}/kitchen/tickets`, { method: 'POST', token: a.staff });
    expect(refused.status).toBe(403);
    const guest = await newMember();
    expect((await call(`/v1/stores/${a.storeId}/kitchen/tickets`, { method: 'POST', token: guest.token })).status).toBe(
      403,
    );
  });

  it('a token in the address is refused on an ordinary route; the same token as a bearer header works', async () => {
    const { storeId } = await openStore();
    const order = await paidOrder(storeId);
    const staff = await tokenFor('staff', { storeId });
    const inQuery = await call(`/v1/orders/${order.id}?token=${staff}`);
    expect(inQuery.status).toBe(401);
    expect(inQuery.json.code).toBe('auth.token_in_query');
    expect((await call(`/v1/orders/${order.id}`, { token: staff })).status).toBe(200);
    // Older displays may still pass it to the socket itself.
    const legacy = await open(storeId, { station: 'kitchen', token: staff });
    legacy.ws.close();
  });
});

describe('sockets follow revocation', () => {
  it('revoking a display closes its open socket (4401 auth.token_revoked) and its token stops working', async () => {
    const { storeId, admin } = await openStore();
    const device = await enrolledDevice(admin, storeId, { stations: ['kitchen'] });
    const display = await open(storeId, {
      station: 'kitchen',
      ticket: (await ticketFor(storeId, device.token)).ticket,
    });
    expect((await call(`/v1/stores/${storeId}`, { token: device.token })).status).toBe(200);

    const revoke = await call(`/v1/admin/stores/${storeId}/devices/${device.id}`, { method: 'DELETE', token: admin });
    expect(revoke.status).toBe(204);

    expect(await closedWithin(display.closed)).toEqual({ code: 4401, reason: 'auth.token_revoked' });
    const after = await call(`/v1/stores/${storeId}`, { token: device.token });
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('auth.token_revoked');
    expect((await call(`/v1/stores/${storeId}/kitchen/tickets`, { method: 'POST', token: device.token })).status).toBe(
      401,
    );
    expect((await call('/v1/devices/token', { method: 'POST', token: device.token })).status).toBe(401);
    expect((await upgrade(storeId, { station: 'kitchen', token: device.token })).status).toBe(401);
  });

  it('a ticket issued before the revocation no longer opens a socket', async () => {
    const { storeId, admin } = await openStore();
    const device = await enrolledDevice(admin, storeId);
    const { ticket } = await ticketFor(storeId, device.token);
    await call(`/v1/admin/stores/${storeId}/devices/${device.id}`, { method: 'DELETE', token: admin });
    expect((await upgrade(storeId, { station: 'kitchen', ticket })).status).toBe(401);
  });

  it('signing a staff member out closes their sockets and no one else’s', async () => {
    const { storeId } = await openStore();
    const anna = await tokenFor('staff', { storeId, subject: 'stf_anna_socket' });
    const ben = await tokenFor('staff', { storeId, subject: 'stf_ben_socket' });
    const annas = await open(storeId, { station: 'kitchen', ticket: (await ticketFor(storeId, anna)).ticket });
    const bens = await open(storeId, { station: 'expo', ticket: (await ticketFor(storeId, ben)).ticket });
    const closed = await closeSocketsOf(env, {
      brandId: 'brd_demo',
      storeIds: [storeId],
      subject: { role: 'staff', subject: 'stf_anna_socket' },
    });
    expect(closed).toBe(1);
    expect(await closedWithin(annas.closed)).toEqual({ code: 4401, reason: 'auth.token_revoked' });
    await paidOrder(storeId);
    await until(() => bens.messages.some((m) => m.type === 'event'));
  });

  it('a socket does not outlive the token it was opened with', async () => {
    const { storeId } = await openStore();
    // A ticket standing for a staff token with one second left.
    const ticket = `kst_${'ab'.repeat(24)}`;
    const principal = {
      role: 'staff',
      subject: 'stf_expiring',
      brandId: 'brd_demo',
      storeIds: [storeId],
      expiresAt: Math.floor(Date.now() / 1000) + 1,
    };
    await env.STORE.getByName(storeId).issueSocketTicket(
      await sha256Hex(ticket),
      JSON.stringify(principal),
      Date.now() + 60_000,
    );
    const display = await open(storeId, { station: 'kitchen', ticket });
    await new Promise((r) => setTimeout(r, 1_100));
    await paidOrder(storeId);
    expect(await closedWithin(display.closed)).toEqual({ code: 4401, reason: 'auth.token_expired' });
    expect(display.messages.some((m) => m.type === 'event')).toBe(false);
  });

  it('a display renews its own token for 30 days while it is valid', async () => {
    const { storeId, admin } = await openStore();
    const device = await enrolledDevice(admin, storeId);
    const res = await call('/v1/devices/token', { method: 'POST', token: device.token });
    expect(res.status, res.text).toBe(200);
    const days = (Date.parse(res.json.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect((await call(`/v1/stores/${storeId}`, { token: res.json.token })).status).toBe(200);
    const staff = await tokenFor('staff', { storeId });
    expect((await call('/v1/devices/token', { method: 'POST', token: staff })).status).toBe(403);
  });
});
