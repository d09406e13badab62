import { env } from 'cloudflare:workers';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  browserSocket,
  fetchTransport,
  type KitchenEvent,
  type KitchenHello,
  type KitchenSnapshot,
  KitchenSocket,
  type KitchenSocketEvents,
  type KitchenTicket,
  TiffinError,
  wxSocket,
} from '../../client-sdk/src/index';
import type {
  KitchenEvent as ServerKitchenEvent,
  KitchenTicket as ServerKitchenTicket,
} from '../../durable-objects/store/kitchen/kitchen';
import { newMember, openStore, potstickers } from '../support/factories';
import { eventually, fetchClient, workerFetch, workerSockets } from './support';

/** What a display saw, in order. */
function record(kds: KitchenSocket) {
  const log = {
    hellos: [] as KitchenHello[],
    snapshots: [] as KitchenSnapshot[],
    events: [] as KitchenEvent[],
    states: [] as KitchenSocketEvents['state'][],
    closes: [] as KitchenSocketEvents['close'][],
  };
  kds.on('hello', (h) => log.hellos.push(h));
  kds.on('snapshot', (s) => log.snapshots.push(s));
  kds.on('event', (e) => log.events.push(e));
  kds.on('state', (s) => log.states.push(s));
  kds.on('close', (c) => log.closes.push(c));
  return log;
}

/** A guest order, paid, so its ticket reaches the kitchen. */
async function placeAndPay(storeId: string, token: string) {
  const order = await fetchClient({ token }).orders.place({
    storeId,
    body: { mode: 'pickup', lines: [potstickers(1)] },
  });
  await env.STORE.getByName(storeId).act({ orderId: order.id, action: 'pay', actor: 'system' });
  return order;
}

const created = (log: ReturnType<typeof record>) => log.events.filter((e) => e.type === 'ticket.created');

describe('KitchenSocket', () => {
  it('receives a paid order as a ticket (browser WebSocket)', async () => {
    const { storeId, staff } = await openStore();
    const sockets = workerSockets();
    const kds = new KitchenSocket({
      client: fetchClient({ token: staff }),
      storeId,
      station: 'kitchen',
      socket: browserSocket(sockets.BrowserWebSocket),
    });
    const log = record(kds);
    await eventually(() => expect(log.snapshots).toHaveLength(1));
    expect(log.hellos[0]).toMatchObject({ type: 'hello', station: 'kitchen', mode: 'snapshot' });
    expect(kds.state).toBe('open');
    // A one-time ticket in the address, never the token.
    expect(sockets.urls[0]).toMatch(
      new RegExp(`^ws://tiffin\\.test/v1/stores/${storeId}/kitchen\\?station=kitchen&ticket=kst_[0-9a-f]{48}$`),
    );
    expect(sockets.urls[0]).not.toContain(staff);

    const guest = await newMember();
    const order = await placeAndPay(storeId, guest.token);
    const [event] = await eventually(() => {
      expect(created(log)).toHaveLength(1);
      return created(log);
    });
    expect(event).toMatchObject({ orderId: order.id, station: 'kitchen', ticket: { ticketNo: order.ticketNo } });
    expect(event!.ticket!.items.map((i) => i.name)).toEqual(['煎锅贴']);
    expect(kds.seq).toBe(event!.seq);
    kds.close();
    expect(kds.state).toBe('closed');
  });

  it('reconnects after the connection drops and catches up with exactly the missed events (wx.connectSocket)', async () => {
    const { storeId, staff } = await openStore();
    const sockets = workerSockets();
    const kds = new KitchenSocket({
      client: fetchClient({ token: staff }),
      storeId,
      station: 'kitchen',
      socket: wxSocket(sockets.wx),
      backoff: { initialMs: 10, maxMs: 50 },
    });
    const log = record(kds);
    const guest = await newMember();
    await eventually(() => expect(kds.state).toBe('open'));
    const first = await placeAndPay(storeId, guest.token);
    await eventually(() => expect(created(log)).toHaveLength(1));
    const seenSeq = kds.seq!;

    // Wi-Fi drops; while the display is away three orders are paid.
    sockets.pause();
    sockets.cutAll();
    await eventually(() => expect(kds.state).toBe('reconnecting'));
    expect(log.closes[0]).toMatchObject({ code: 1006 });
    expect(log.closes[0]!.reconnectInMs).toBeGreaterThanOrEqual(0);
    const missed = [];
    for (let i = 0; i < 3; i++) missed.push(await placeAndPay(storeId, guest.token));
    sockets.resume();

    await eventually(() => expect(created(log)).toHaveLength(4));
    expect(sockets.urls).toHaveLength(2);
    expect(sockets.urls[1]).toContain(`since=${seenSeq}`);
    expect(log.hellos.map((h) => h.mode)).toEqual(['snapshot', 'catchup']);
    expect(log.snapshots).toHaveLength(1); // caught up, not re-snapshotted
    expect(created(log).map((e) => e.orderId)).toEqual([first.id, ...missed.map((o) => o.id)]);
    const seqs = log.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(log.states).toEqual(['open', 'reconnecting', 'open']);

    // Live again: the next order arrives without a reconnect.
    const next = await placeAndPay(storeId, guest.token);
    await eventually(() => expect(created(log).at(-1)?.orderId).toBe(next.id));
    kds.close();
  });

  it('sends commands and resolves their acks; refusals reject with the server code', async () => {
    const { storeId, staff } = await openStore();
    const sockets = workerSockets();
    const kds = new KitchenSocket({
      client: fetchClient({ token: staff }),
      storeId,
      station: 'kitchen',
      socket: browserSocket(sockets.BrowserWebSocket),
    });
    const log = record(kds);
    await expect(kds.bump('ord_early')).rejects.toMatchObject({ code: 'kitchen.offline' });
    await eventually(() => expect(kds.state).toBe('open'));
    const guest = await newMember();
    const order = await placeAndPay(storeId, guest.token);
    await eventually(() => expect(created(log)).toHaveLength(1));

    const started = await kds.start(order.id);
    expect(started).toMatchObject({ type: 'ack' });
    const ack = await kds.bump(order.id);
    expect(ack.seq).toBeGreaterThan(started.seq);
    await eventually(() => expect(log.events.map((e) => e.type)).toContain('ticket.bumped'));
    const bumped = log.events.find((e) => e.type === 'ticket.bumped')!;
    expect(bumped).toMatchObject({ seq: ack.seq, orderId: order.id });
    await eventually(async () =>
      expect((await fetchClient({ token: guest.token }).orders.get({ orderId: order.id })).status).toBe('ready'),
    );

    const e = await kds.bump('ord_000000000000_missing').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TiffinError);
    expect(e).toMatchObject({ code: 'kitchen.ticket_not_found' });
    const recalled = await kds.recall();
    expect(recalled.seq).toBeGreaterThan(ack.seq);
    kds.close();
  });

  it('asks for a fresh token when a connection is refused before the hello', async () => {
    const { storeId, staff } = await openStore();
    const sockets = workerSockets();
    const asked: boolean[] = [];
    const kds = new KitchenSocket({
      baseUrl: 'http://tiffin.test',
      token: ({ refresh }) => {
        asked.push(refresh);
        return refresh ? staff : 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.ZXhwaXJlZA';
      },
      transport: fetchTransport({ fetch: workerFetch().fetch }),
      storeId,
      station: 'bar',
      socket: browserSocket(sockets.BrowserWebSocket),
      backoff: { initialMs: 5, maxMs: 20 },
    });
    await eventually(() => expect(kds.state).toBe('open'));
    expect(asked).toEqual([false, true]);
    kds.close();
  });

  it('pings to keep the link alive, and reconnects when the line goes silent', async () => {
    const opened: { sent: string[]; closed: boolean }[] = [];
    const kds = new KitchenSocket({
      baseUrl: 'https://api.example.com',
      token: 'tok',
      // The ticket request, answered without a server.
      transport: async () => ({
        status: 201,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ticket: 'kst_1', expiresAt: '2030-01-01T00:00:00Z' }),
      }),
      storeId: 'sto_1',
      heartbeatMs: 20,
      backoff: { initialMs: 5, maxMs: 10 },
      // A server that greets, then never says anything again (a half-open TCP connection).
      socket: (url, h) => {
        const conn = { sent: [] as string[], closed: false };
        opened.push(conn);
        expect(url).toBe('wss://api.example.com/v1/stores/sto_1/kitchen?station=expo&ticket=kst_1');
        setTimeout(() => {
          h.open();
          h.message(JSON.stringify({ type: 'hello', station: 'expo', seq: 0, mode: 'snapshot', thresholds: {} }));
        }, 1);
        return { send: (d) => conn.sent.push(d), close: () => (conn.closed = true) };
      },
    });
    await eventually(() => expect(opened.length).toBeGreaterThanOrEqual(2));
    expect(opened[0]!.sent).toContain('ping');
    expect(opened[0]!.closed).toBe(true);
    kds.close();
  });

  it('speaks the same protocol types as the store', () => {
    expectTypeOf<KitchenEvent>().toEqualTypeOf<ServerKitchenEvent>();
    expectTypeOf<KitchenTicket>().toEqualTypeOf<ServerKitchenTicket>();
  });
});
