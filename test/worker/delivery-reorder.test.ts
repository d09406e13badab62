import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { roomInHour } from '../support/clock-windows';
import { newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { call } from '../support/http';

const address = (lat: number, lng: number) => ({
  text: '上海市黄浦区南京东路 200 号 5 楼',
  lat,
  lng,
  contactName: '王先生',
  contactPhone: '13812345678',
});

describe('delivery', () => {
  it('the fee follows the distance band, the address is sealed, and staff see a masked phone until dispatch', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    // ~1.1 km from the store at 31.2304,121.4737: first band.
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'delivery', address: address(31.2404, 121.4737), lines: [potstickers(1)] },
    });
    expect(placed.status, placed.text).toBe(201);
    expect(placed.json.deliveryFee).toBe(300);
    expect(placed.json.delivery).toMatchObject({ contactPhone: '138****5678', address: address(0, 0).text });
    const stored = await env.DB.prepare('SELECT 1').first();
    expect(stored).toBeTruthy();
    const raw = await (await import('cloudflare:test')).runInDurableObject(
      env.STORE.getByName(storeId),
      (_i, state) => state.storage.sql.exec<{ body: string }>('SELECT body FROM orders').one().body,
    );
    expect(raw).not.toContain('13812345678');
    expect(raw).not.toContain('南京东路');

    const id = placed.json.id as string;
    await env.STORE.getByName(storeId).act({ orderId: id, action: 'pay', actor: 'system' });
    for (const a of ['accept', 'ready']) await call(`/v1/orders/${id}/${a}`, { method: 'POST', token: staff });
    const noCourier = await call(`/v1/orders/${id}/dispatch`, { method: 'POST', token: staff });
    expect(noCourier.status).toBe(422);
    const dispatched = await call(`/v1/orders/${id}/dispatch`, {
      method: 'POST',
      token: staff,
      body: { courier: { kind: 'third_party', name: '美团配送', trackingNo: 'MT123' } },
    });
    expect(dispatched.status, dispatched.text).toBe(200);
    expect(dispatched.json.status).toBe('delivering');
    expect(dispatched.json.delivery.contactPhone).toBe('13812345678');
    expect(dispatched.json.delivery.courier).toMatchObject({ name: '美团配送' });
    const later = await call(`/v1/orders/${id}`, { token: staff });
    expect(later.json.delivery.contactPhone).toBe('138****5678');
  });

  it('an address beyond the last band is refused with the distance', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const res = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'delivery', address: address(31.4, 121.9), lines: [potstickers(1)] },
    });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('order.out_of_delivery_range');
  });

  it('dine-in needs a table and delivery needs an address: the field is named', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const res = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'dine_in', lines: [potstickers(1)] },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors[0].path).toBe('tableId');
  });
});

describe('one-tap reorder', () => {
  it('re-prices a past order against today and says what changed', async () => {
    // Tea eggs are sold out for the business day: a turnover before the reorder would restock them.
    await roomInHour();
    const { storeId, staff, admin } = await openStore();
    const guest = await newMember();
    const past = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(2), teaEgg(1)] },
    });
    expect(past.status).toBe(201);
    // Tea eggs sell out; potstickers get dearer.
    await call(`/v1/stores/${storeId}/stock/itm_teaegg`, { method: 'PUT', token: staff, body: { count: 0 } });
    await call(`/v1/admin/stores/${storeId}/items/itm_potstickers`, {
      method: 'PUT',
      token: admin,
      body: { price: 1800 },
    });
    await call('/v1/admin/menu/publish', { method: 'POST', token: admin, body: { storeIds: [storeId] } });

    const again = await call(`/v1/orders/${past.json.id}/reorder`, { method: 'POST', token: guest.token });
    expect(again.status, again.text).toBe(200);
    expect(again.json.cart.lines).toEqual([{ itemId: 'itm_potstickers', optionIds: [], quantity: 2 }]);
    expect(again.json.changes.map((c: { kind: string }) => c.kind).sort()).toEqual(['price_changed', 'sold_out']);
    expect(again.json.quote.itemsSubtotal).toBe(3600);
  });
});
