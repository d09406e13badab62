import { describe, expect, it } from 'vitest';
import { newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';
import { deliveryAddress } from '../support/riders';

/*
 * Issue #19: a guest chooses a delivery slot (or as soon as possible) and sees the promised
 * arrival; a special-care note rides with the order to the rider.
 */

const place = (storeId: string, token: string, extra: Record<string, unknown>) =>
  call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token,
    body: { mode: 'delivery', address: deliveryAddress, lines: [potstickers(1)], ...extra },
  });

describe('delivery slots', () => {
  it('the store lists its next slots; a chosen slot is stored and shown with its promise', async () => {
    const { storeId } = await openStore();
    const slots = await call(`/v1/stores/${storeId}/delivery-slots`);
    expect(slots.status, slots.text).toBe(200);
    expect(slots.json.slotMinutes).toBe(30);
    expect(slots.json.items).toHaveLength(12);
    const [first, second] = slots.json.items;
    expect(Date.parse(first.start)).toBeGreaterThanOrEqual(Date.now() + 30 * 60_000 - 1000);
    expect(first.promisedBy).toBe(first.end);
    expect(second.start).toBe(first.end);
    expect(slots.json.careNoteSuggestions).toContain('易碎 / fragile');

    const guest = await newMember();
    const quote = await call(`/v1/stores/${storeId}/quote`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'delivery', address: deliveryAddress, lines: [potstickers(1)], deliverySlot: second.start },
    });
    expect(quote.status, quote.text).toBe(200);
    const placed = await place(storeId, guest.token, { deliverySlot: second.start, careNote: '易碎 / fragile' });
    expect(placed.status, placed.text).toBe(201);
    expect(placed.json.delivery).toMatchObject({
      slot: { start: second.start, end: second.end, promisedBy: second.end },
      promisedBy: second.end,
      careNote: '易碎 / fragile',
    });
    const read = await call(`/v1/orders/${placed.json.id}`, { token: guest.token });
    expect(read.json.delivery.slot.start).toBe(second.start);
  });

  it('a slot that is not one of the store’s, or a care note too long, is a 422 naming the field', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const { items } = (await call(`/v1/stores/${storeId}/delivery-slots`)).json;
    const offGrid = new Date(Date.parse(items[0].start) + 10 * 60_000).toISOString();
    const past = new Date(Date.now() - 3600_000).toISOString();
    for (const deliverySlot of [offGrid, past]) {
      const res = await place(storeId, guest.token, { deliverySlot });
      expect(res.status, deliverySlot).toBe(422);
      expect(res.json.errors[0].path).toBe('deliverySlot');
    }
    const long = await place(storeId, guest.token, { careNote: '易碎'.repeat(31) });
    expect(long.status).toBe(422);
    expect(long.json.errors[0].path).toBe('careNote');
    const pickup = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(1)], deliverySlot: items[0].start },
    });
    expect(pickup.status).toBe(422);
    expect(pickup.json.errors[0].path).toBe('deliverySlot');
  });

  it('a store sets its own slot length, lead time, preparation and rider speed', async () => {
    const { storeId } = await openStore({
      deliverySlotMinutes: 60,
      deliveryLeadMinutes: 120,
      deliveryPrepMinutes: 10,
      riderMetresPerMinute: 100,
    });
    const slots = (await call(`/v1/stores/${storeId}/delivery-slots`)).json;
    expect(slots.slotMinutes).toBe(60);
    expect(Date.parse(slots.items[0].start)).toBeGreaterThanOrEqual(Date.now() + 120 * 60_000 - 1000);
    expect(Date.parse(slots.items[0].end) - Date.parse(slots.items[0].start)).toBe(3600_000);
    const guest = await newMember();
    const placed = await place(storeId, guest.token, {});
    const minutes = (Date.parse(placed.json.delivery.promisedBy) - Date.parse(placed.json.createdAt)) / 60_000;
    expect(Math.round(minutes)).toBe(10 + Math.ceil(placed.json.delivery.distanceMetres / 100));
  });

  it('as soon as possible is promised by placement + 20 minutes of preparation + travel at 250 m a minute', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const placed = await place(storeId, guest.token, {});
    expect(placed.status, placed.text).toBe(201);
    expect(placed.json.delivery.slot).toBeNull();
    expect(placed.json.delivery.careNote).toBeNull();
    const minutes = (Date.parse(placed.json.delivery.promisedBy) - Date.parse(placed.json.createdAt)) / 60_000;
    const travel = Math.ceil(placed.json.delivery.distanceMetres / 250);
    expect(Math.round(minutes)).toBe(20 + travel);
  });
});
