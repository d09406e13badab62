import { describe, expect, it } from 'vitest';
import { createClient, type TiffinClient, wxTransport } from '../../client-sdk/src/index';
import { openStore, unique } from '../support/factories';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { BASE, fakeWx, fetchClient, type Sent } from './support';

/** The same guest journey over each transport: what a mini program or an H5 page does. */
const transports: { name: string; make: (token: () => string | undefined, sent: Sent[]) => TiffinClient }[] = [
  {
    name: 'fetch',
    make: (token, sent) => fetchClient({ token: () => token() }, sent),
  },
  {
    name: 'wx.request (fake wx)',
    make: (token, sent) =>
      createClient({ baseUrl: BASE, transport: wxTransport(fakeWx(sent).wx), token: () => token() }),
  },
];

describe.each(transports)('the SDK over $name: menu, quote, order, pay, status', ({ make }) => {
  it('a guest logs in, reads the menu, quotes, orders, pays in the sandbox and sees the order paid', async () => {
    const { storeId } = await openStore();
    const sent: Sent[] = [];
    let token: string | undefined;
    const client = make(() => token, sent);

    // Logging in sends no token (the provider may itself be what logs in).
    const subject = unique('mem');
    token = (await client.auth.dev({ body: { role: 'member', subject } })).token;
    expect(sent.at(-1)?.headers.authorization).toBeUndefined();

    const store = await client.stores.get({ storeId });
    expect(store.id).toBe(storeId);
    const stores = await client.stores.list({ lat: 31.23, lng: 121.47 });
    expect(stores.items.map((s) => s.id)).toContain(storeId);

    const menu = await client.menu.get({ storeId });
    const potstickers = menu.categories.flatMap((c) => c.items).find((i) => i.id === 'itm_potstickers');
    expect(potstickers).toMatchObject({ available: true, price: 1600 });

    const cart = { mode: 'pickup' as const, lines: [{ itemId: 'itm_potstickers', quantity: 2 }] };
    // The API documents Quote as nullable (schema/api/orders.ts `Quote.nullable()` re-registers the component).
    const quote = await client.orders.quote({ storeId, body: cart });
    expect(quote.total).toBeGreaterThan(0);

    const order = await client.orders.place({ storeId, body: cart });
    expect(order).toMatchObject({ storeId, total: quote.total, memberId: subject });
    const placed = sent.find((s) => s.method === 'POST' && s.url.endsWith(`/v1/stores/${storeId}/orders`));
    expect(placed?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(placed?.headers.authorization).toBe(`Bearer ${token}`);
    expect(placed?.headers['content-type']).toBe('application/json');

    const start = await client.payments.start({ orderId: order.id, body: { method: 'sandbox' } });
    const payment = start.payments[0]!;
    expect(payment).toMatchObject({ method: 'sandbox', amount: order.total, status: 'pending' });
    expect(payment.clientParams.completeUrl).toContain(`/v1/payments/sandbox/${payment.id}/complete`);

    const done = await client.payments.sandboxComplete({ paymentId: payment.id });
    expect(done.outcome).toBe('paid');

    const after = await client.orders.get({ orderId: order.id });
    expect(after).toMatchObject({ id: order.id, status: 'paid', paid: order.total });
    // Order history reaches D1 through the events queue: deliver the store's outbox as it would.
    await deliver(await outboxMessages(storeId));
    const mine = await client.orders.mine({ limit: 5 });
    expect(mine.items.map((o) => o.id)).toContain(order.id);
    expect(sent.find((s) => s.url.includes('/v1/members/me/orders'))?.url).toContain('?limit=5');

    // A guest cancel of a paid order asks the store: `orders.act` with the action as a path parameter.
    const cancel = await client.orders.act({
      orderId: order.id,
      action: 'cancel',
      body: { reason: 'changed my mind' },
    });
    expect(cancel.status).toBe('cancel_requested');
  });
});

describe('the wx transport speaks wx.request', () => {
  it('passes method, header, text data and timeout, and asks for the body as text', async () => {
    const { storeId } = await openStore();
    const { wx, calls } = fakeWx();
    const client = createClient({ baseUrl: BASE, transport: wxTransport(wx), timeoutMs: 7000 });
    const quote = await client.orders.quote({
      storeId,
      body: { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] },
    });
    expect(quote?.total).toBeGreaterThan(0);
    const req = calls.at(-1)!;
    expect(req).toMatchObject({
      url: `${BASE}/v1/stores/${storeId}/quote`,
      method: 'POST',
      timeout: 7000,
      dataType: 'text',
      responseType: 'text',
    });
    expect(req.header['content-type']).toBe('application/json');
    expect(JSON.parse(req.data!)).toMatchObject({ mode: 'pickup' });
  });
});
