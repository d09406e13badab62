import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers } from '../../support/factories';
import { enrolledDevice } from '../../support/fixtures';
import { call } from '../../support/http';

const drink = (quantity = 1) => ({ itemId: 'itm_plumjuice', quantity });

interface Display {
  ws: WebSocket;
  messages: any[];
  events: () => any[];
  next: (pred: (m: any) => boolean, ms?: number) => Promise<any>;
  send: (m: unknown) => void;
}

async function connect(storeId: string, token: string, station: string, since?: number): Promise<Display> {
  const qs = new URLSearchParams({ station, token, ...(since !== undefined ? { since: String(since) } : {}) });
  const res = await exports.default.fetch(
    new Request(`http://tiffin.test/v1/stores/${storeId}/kitchen?${qs}`, { headers: { Upgrade: 'websocket' } }),
  );
  if (res.status !== 101) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  const ws = res.webSocket!;
  const messages: any[] = [];
  const waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  ws.accept();
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(e.data as string);
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  // Every wait is for a message that must come: it resolves as soon as it does, so the limit
  // only matters on a loaded CI machine, where 3 s can be too short.
  const next = (pred: (m: any) => boolean, ms = 10_000) =>
    new Promise<any>((resolve, reject) => {
      const found = messages.find(pred);
      if (found) return resolve(found);
      waiters.push({ pred, resolve });
      setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(messages).slice(0, 500)}`)), ms);
    });
  await next((m) => m.type === 'hello');
  return {
    ws,
    messages,
    events: () => messages.filter((m) => m.type === 'event').map((m) => m.event),
    next,
    send: (m) => ws.send(JSON.stringify(m)),
  };
}

async function placeAndPay(storeId: string, token: string, lines: unknown[]) {
  const res = await call(`/v1/stores/${storeId}/orders`, { method: 'POST', token, body: { mode: 'pickup', lines } });
  expect(res.status, res.text).toBe(201);
  await env.STORE.getByName(storeId).act({ orderId: res.json.id, action: 'pay', actor: 'system' });
  return res.json as { id: string; ticketNo: string };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('kitchen displays', () => {
  it('a paid order reaches the wok and the bar at once, each with only its dishes; the expeditor sees it all', async () => {
    const { storeId, staff } = await openStore();
    const [kitchen, bar, expo] = await Promise.all([
      connect(storeId, staff, 'kitchen'),
      connect(storeId, staff, 'bar'),
      connect(storeId, staff, 'expo'),
    ]);
    const guest = await newMember();
    const order = await placeAndPay(storeId, guest.token, [potstickers(2), drink(1)]);
    const k = await kitchen.next((m) => m.type === 'event' && m.event.type === 'ticket.created');
    const b = await bar.next((m) => m.type === 'event' && m.event.type === 'ticket.created');
    const e = await expo.next(
      (m) => m.type === 'event' && m.event.type === 'ticket.created' && m.event.station === 'expo',
    );
    expect(k.event.ticket.items.map((i: any) => i.name)).toEqual(['煎锅贴']);
    expect(b.event.ticket.items.map((i: any) => i.name)).toEqual(['老上海酸梅汤']);
    expect(e.event.ticket.items).toHaveLength(2);
    expect(k.event.ticket.ticketNo).toBe(order.ticketNo);
  });

  it('starting a dish starts the order; bumping the last station makes it ready for the guest', async () => {
    const { storeId, staff } = await openStore();
    const kitchen = await connect(storeId, staff, 'kitchen');
    const bar = await connect(storeId, staff, 'bar');
    const guest = await newMember();
    const order = await placeAndPay(storeId, guest.token, [potstickers(1), drink(1)]);
    await kitchen.next((m) => m.event?.type === 'ticket.created');
    kitchen.send({ type: 'command', requestId: 'r1', cmd: 'start', orderId: order.id });
    const ack = await kitchen.next((m) => m.type === 'ack' && m.requestId === 'r1');
    expect(ack.seq).toBeGreaterThan(0);
    await settle();
    expect((await call(`/v1/orders/${order.id}`, { token: guest.token })).json.status).toBe('preparing');
    kitchen.send({ type: 'command', requestId: 'r2', cmd: 'bump', orderId: order.id });
    await kitchen.next((m) => m.requestId === 'r2');
    await settle();
    expect((await call(`/v1/orders/${order.id}`, { token: guest.token })).json.status).toBe('preparing');
    bar.send({ type: 'command', requestId: 'r3', cmd: 'bump', orderId: order.id });
    await bar.next((m) => m.requestId === 'r3');
    await settle();
    expect((await call(`/v1/orders/${order.id}`, { token: guest.token })).json.status).toBe('ready');
    const board = await call(`/v1/stores/${storeId}/pickup-board`);
    expect(board.json.ready).toContain(order.ticketNo);

    kitchen.send({ type: 'command', requestId: 'r4', cmd: 'recall' });
    const recalled = await kitchen.next((m) => m.event?.type === 'ticket.recalled');
    expect(recalled.event.orderId).toBe(order.id);
    kitchen.send({ type: 'command', requestId: 'bad', cmd: 'explode' });
    const err = await kitchen.next((m) => m.type === 'error' && m.requestId === undefined);
    expect(err.code).toBe('kitchen.bad_command');
  });

  it('a display that lost Wi-Fi reconnects with since and gets exactly the events it missed', async () => {
    const { storeId, staff } = await openStore();
    const first = await connect(storeId, staff, 'kitchen');
    const guest = await newMember();
    await placeAndPay(storeId, guest.token, [potstickers(1)]);
    const seen = await first.next((m) => m.event?.type === 'ticket.created');
    first.ws.close();
    const missed = [];
    for (let i = 0; i < 3; i++) missed.push(await placeAndPay(storeId, guest.token, [potstickers(1)]));
    const again = await connect(storeId, staff, 'kitchen', seen.event.seq);
    await again.next(() => again.events().length >= 3);
    expect(again.messages[0]).toMatchObject({ type: 'hello', mode: 'catchup' });
    expect(again.events().map((e) => e.orderId)).toEqual(missed.map((o) => o.id));
    const fresh = await connect(storeId, staff, 'kitchen', 999_999);
    expect(fresh.messages[0]).toMatchObject({ type: 'hello', mode: 'snapshot' });
    const snap = await fresh.next((m) => m.type === 'snapshot');
    expect(snap.tickets).toHaveLength(4);
  });

  it('20 displays and 200 orders: every display of a station gets every ticket exactly once, in order', async () => {
    const { storeId, staff } = await openStore({ maxOrdersPerMinute: 10_000 });
    const displays = await Promise.all(
      Array.from({ length: 20 }, (_, i) => connect(storeId, staff, i % 2 === 0 ? 'kitchen' : 'bar')),
    );
    const guest = await newMember();
    const orders = [];
    for (let i = 0; i < 200; i++)
      orders.push(await placeAndPay(storeId, guest.token, [i % 2 === 0 ? potstickers(1) : drink(1)]));
    await settle();
    for (const [i, d] of displays.entries()) {
      const station = i % 2 === 0 ? 'kitchen' : 'bar';
      const wanted = orders.filter((_, n) => (n % 2 === 0) === (station === 'kitchen')).map((o) => o.id);
      await d.next(() => d.events().filter((e) => e.type === 'ticket.created').length >= wanted.length, 10_000);
      const got = d.events().filter((e) => e.type === 'ticket.created');
      expect(got.map((e) => e.orderId)).toEqual(wanted);
      const seqs = got.map((e) => e.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    }
  });

  it('an urge reaches the kitchen as an event', async () => {
    const { storeId, staff } = await openStore();
    const kitchen = await connect(storeId, staff, 'kitchen');
    const guest = await newMember();
    const order = await placeAndPay(storeId, guest.token, [potstickers(1)]);
    await call(`/v1/orders/${order.id}/urge`, { method: 'POST', token: guest.token });
    const urged = await kitchen.next((m) => m.event?.type === 'ticket.urged');
    expect(urged.event.ticket.urgedAt).toBeGreaterThan(0);
  });

  it('only displays of this store, at their own stations, may connect; a plain GET is told to upgrade', async () => {
    const { storeId, admin } = await openStore();
    const device = await call(`/v1/admin/stores/${storeId}/devices`, {
      method: 'POST',
      token: admin,
      body: { kind: 'display', name: 'Bar screen', stations: ['bar'] },
    });
    const provisioned = await call('/v1/devices/provision', {
      method: 'POST',
      body: { code: device.json.provisioningCode },
    });
    const token = provisioned.json.token as string;
    await connect(storeId, token, 'bar');
    const wrong = await exports.default.fetch(
      new Request(`http://tiffin.test/v1/stores/${storeId}/kitchen?station=kitchen&token=${token}`, {
        headers: { Upgrade: 'websocket' },
      }),
    );
    expect(wrong.status).toBe(403);
    const { token: other } = await enrolledDevice(admin, 'sto_demo_jingan');
    const otherStore = await exports.default.fetch(
      new Request(`http://tiffin.test/v1/stores/${storeId}/kitchen?station=bar&token=${other}`, {
        headers: { Upgrade: 'websocket' },
      }),
    );
    expect(otherStore.status).toBe(403);
    const plain = await call(`/v1/stores/${storeId}/kitchen?station=bar&token=${token}`);
    expect(plain.status).toBe(426);
    await call(`/v1/admin/stores/${storeId}/devices/${device.json.id}`, { method: 'DELETE', token: admin });
    const revoked = await exports.default.fetch(
      new Request(`http://tiffin.test/v1/stores/${storeId}/kitchen?station=bar&token=${token}`, {
        headers: { Upgrade: 'websocket' },
      }),
    );
    expect(revoked.status).toBe(401);
  });
});
