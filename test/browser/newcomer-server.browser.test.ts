import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomInHour, roomInWindow } from '../support/clock-windows';
import { type Api, apiAt } from './support/guest';
import { rawGet } from './support/raw-http.mjs';
import { startTiffin } from './support/server.mjs';

// The newcomer's first minutes against the real `npm start` on a port that is not 8787.
let server: Awaited<ReturnType<typeof startTiffin>>;
beforeAll(async () => {
  server = await startTiffin();
});
afterAll(async () => {
  await server?.stop();
});

describe('npm start on another PORT', () => {
  it('the OpenAPI document names the port actually served', async () => {
    expect(server.base).not.toContain(':8787');
    const doc = (await (await fetch(`${server.base}/openapi.json`)).json()) as { servers: { url: string }[] };
    expect(doc.servers[0]?.url).toBe(server.base);
  });

  it('curl without Accept-Encoding, or asking for identity, reads the menu as plain JSON', async () => {
    for (const headers of [{}, { 'Accept-Encoding': 'identity' }] as Record<string, string>[]) {
      const res = await rawGet(`${server.base}/v1/stores/sto_demo_peoplesq/menu`, headers);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(res.text).categories.length).toBeGreaterThan(0);
    }
    const gz = await rawGet(`${server.base}/v1/stores/sto_demo_peoplesq/menu`, { 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
  });
});

// README.md "A 60-second tour", request by request, as a newcomer pastes it with API set to
// whatever port `npm start` took. The store id, item ids and bodies are the README's own.
describe("the README's 60-second tour runs as written", () => {
  const STORE = 'sto_demo_peoplesq';
  const CART = {
    mode: 'pickup',
    lines: [
      { itemId: 'itm_potstickers', quantity: 2 },
      {
        itemId: 'itm_milktea',
        specId: 'spc_milktea_l',
        optionIds: ['opt_milktea_sugar_half', 'opt_milktea_ice_less', 'opt_milktea_toppings_pearls'],
        quantity: 1,
      },
    ],
  };
  let api: Api;
  let admin: string;

  /** What the README's `sed` keeps of a sign-in answer: the value after the last `"token":"`. */
  const tokenOf = (text: string) => text.replace(/.*"token":"([^"]*)".*/, '$1');
  const signIn = async (path: string, body: unknown) => {
    const res = await fetch(`${server.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const token = tokenOf(await res.text());
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    return token;
  };
  const menu = (headers: Record<string, string> = {}) => fetch(`${server.base}/v1/stores/${STORE}/menu`, { headers });

  beforeAll(() => {
    api = apiAt(server.base);
  });

  it('finds the stores, reads the menu with its ETag, signs in and runs the catalog and a display', async () => {
    const near = await api<{ items: { id: string; distanceMetres: number; openNow: boolean }[] }>(
      '/v1/stores?lat=31.2304&lng=121.4737',
    );
    expect(near.items[0]?.id).toBe(STORE);
    const distances = near.items.map((s) => s.distanceMetres);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    for (const s of near.items) expect(typeof s.openNow).toBe('boolean');
    expect((await api<{ id: string; name: string }>(`/v1/stores/${STORE}`)).id).toBe(STORE);

    // The ETag moves when a dish's availability window opens or closes (on a whole minute): the
    // read and its 304 must fall in one minute.
    await roomInWindow(10_000);
    const first = await menu();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"m\d+-/);
    const before = (await first.json()) as { version: number };
    expect((await menu({ 'If-None-Match': etag })).status).toBe(304);

    admin = await signIn('/v1/auth/login', { login: 'owner@demo', password: 'tiffin-demo-2026' });

    const tables = await api<{ items: { id: string; qr: { token: string } }[] }>(`/v1/admin/stores/${STORE}/tables`, {
      token: admin,
    });
    const table = tables.items[0]!;
    const scanned = await api<{ store: { id: string }; table: { id: string }; seatTicket: unknown }>(
      `/v1/tables/${table.qr.token}`,
    );
    expect(scanned.store.id).toBe(STORE);
    expect(scanned.table.id).toBe(table.id);
    expect(scanned.seatTicket).toBeTruthy();

    const item = await api<{ price: number }>('/v1/admin/items/itm_milktea', {
      method: 'PATCH',
      token: admin,
      body: { price: 1600 },
    });
    expect(item.price).toBe(1600);
    // The README's publish sends no body at all.
    const published = await fetch(`${server.base}/v1/admin/menu/publish`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}` },
    });
    expect(published.status).toBe(200);
    const { version } = (await published.json()) as { version: number };
    expect(version).toBeGreaterThan(before.version);
    const moved = await menu({ 'If-None-Match': etag });
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { version: number }).version).toBe(version);

    const exported = await fetch(`${server.base}/v1/admin/menu/export?format=csv`, {
      headers: { Authorization: `Bearer ${admin}` },
    });
    expect(exported.headers.get('content-type')).toMatch(/^text\/csv/);
    const csv = await exported.text();
    const dryRun = await fetch(`${server.base}/v1/admin/menu/import?dryRun=true`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(dryRun.status).toBe(200);
    // The file just exported, sent back untouched, changes nothing.
    const imported = (await dryRun.json()) as { dryRun: boolean; items: number; created: number; updated: number };
    expect(imported).toMatchObject({ dryRun: true, created: 0, updated: 0, unchanged: imported.items });
    expect(imported.items).toBeGreaterThan(0);

    const device = await api<{ id: string; provisioningCode: string }>(`/v1/admin/stores/${STORE}/devices`, {
      method: 'POST',
      token: admin,
      body: { kind: 'display', name: 'Wok screen', stations: ['wok'] },
    });
    const enrolled = await api<{ device: { id: string; provisioned: boolean }; token: string }>(
      '/v1/devices/provision',
      { method: 'POST', body: { code: device.provisioningCode } },
    );
    expect(enrolled.device).toMatchObject({ id: device.id, provisioned: true });
    expect(enrolled.token).toBeTruthy();

    const missing = await fetch(`${server.base}/v1/stores/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await missing.json()) as { code: string }).code).toMatch(/\.not_found$/);
  });

  it('orders, pays in the sandbox on this port, and the kitchen moves it along until stock runs out', async () => {
    const guest = await signIn('/v1/auth/dev', { role: 'member', subject: 'mem_tour' });
    const staff = await signIn('/v1/auth/login', { login: 'manager@demo', password: 'tiffin-demo-2026' });

    const quote = await api<{ lines: { itemId: string }[]; total: number }>(`/v1/stores/${STORE}/quote`, {
      method: 'POST',
      token: guest,
      body: CART,
    });
    expect(quote.lines.map((l) => l.itemId)).toEqual(['itm_potstickers', 'itm_milktea']);
    // The demo store may be closed at night in Shanghai: the README's next step opens it around the clock.
    await api(`/v1/admin/stores/${STORE}`, { method: 'PATCH', token: admin, body: { openingHours: [] } });

    const place = () =>
      fetch(`${server.base}/v1/stores/${STORE}/orders`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${guest}`,
          'Idempotency-Key': 'tour-0001',
          'content-type': 'application/json',
        },
        body: JSON.stringify(CART),
      });
    const placed = await place();
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as { id: string; total: number };
    expect(order.total).toBe(quote.total);
    const replay = await place();
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { id: string }).id).toBe(order.id);

    const pay = await api<{ payments: { id: string; method: string; clientParams: { completeUrl?: string } }[] }>(
      `/v1/orders/${order.id}/payments`,
      { method: 'POST', token: guest, body: { method: 'sandbox' } },
    );
    const payment = pay.payments.find((p) => p.method === 'sandbox')!;
    // The URL the answer hands out is this server's, not 8787's.
    expect(payment.clientParams.completeUrl).toBe(`${server.base}/v1/payments/sandbox/${payment.id}/complete`);
    const completed = await fetch(payment.clientParams.completeUrl!, { method: 'POST' });
    expect(completed.status).toBe(200);
    expect((await api<{ status: string }>(`/v1/orders/${order.id}`, { token: guest })).status).toBe('paid');

    expect(
      (await api<{ status: string }>(`/v1/orders/${order.id}/accept`, { method: 'POST', token: staff })).status,
    ).toBe('accepted');
    expect(
      (await api<{ status: string }>(`/v1/orders/${order.id}/ready`, { method: 'POST', token: staff })).status,
    ).toBe('ready');
    expect((await api<{ status: string }>(`/v1/orders/${order.id}`, { token: guest })).status).toBe('ready');

    // The 3 bowls are the business day's count (04:00 in Shanghai): a turnover before the fourth would restock.
    await roomInHour();
    const stock = await api<{ itemId: string; remaining: number }>(`/v1/stores/${STORE}/stock/itm_beefnoodle`, {
      method: 'PUT',
      token: staff,
      body: { count: 3 },
    });
    expect(stock).toMatchObject({ itemId: 'itm_beefnoodle', remaining: 3 });
    const bowls = (quantity: number) => ({
      mode: 'pickup',
      lines: [
        {
          itemId: 'itm_beefnoodle',
          specId: 'spc_beefnoodle_small',
          optionIds: ['opt_beefnoodle_spice_mild'],
          quantity,
        },
      ],
    });
    await api(`/v1/stores/${STORE}/orders`, { method: 'POST', token: guest, body: bowls(3) });
    const fourth = await fetch(`${server.base}/v1/stores/${STORE}/orders`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${guest}`, 'content-type': 'application/json' },
      body: JSON.stringify(bowls(1)),
    });
    expect(fourth.status).toBe(409);
    expect(((await fourth.json()) as { code: string }).code).toBe('order.sold_out');
  });
});
