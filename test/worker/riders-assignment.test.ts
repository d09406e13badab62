import { describe, expect, it } from 'vitest';
import { call } from '../support/http';
import { hireRider, paidDelivery, riderStore } from '../support/riders';

/*
 * Issue #19: a store's own riders. A manager keeps the roster and sends each rider a
 * sign-in link; staff give a paid delivery to a rider; the rider sees only their orders,
 * with the guest's phone, and taps through to delivered, which completes the order.
 */

describe('a manager keeps the rider roster', () => {
  it('adds, lists, edits and deactivates a rider; a clerk may list but not edit', async () => {
    const { storeId, manager, staff } = await riderStore();
    const rider = await hireRider(storeId, manager);
    expect(rider.link).toMatch(/\/rider\/#key=rdk_/);
    const list = await call(`/v1/stores/${storeId}/riders`, { token: staff });
    expect(list.status, list.text).toBe(200);
    expect(list.json.items).toEqual([
      expect.objectContaining({ id: rider.id, name: '王师傅', phone: '13900001111', active: true, canSignIn: true }),
    ]);
    expect(JSON.stringify(list.json)).not.toContain('rdk_');
    const byClerk = await call(`/v1/stores/${storeId}/riders`, {
      method: 'POST',
      token: staff,
      body: { name: '李师傅', phone: '13900002222' },
    });
    expect(byClerk.status).toBe(403);
    const renamed = await call(`/v1/stores/${storeId}/riders/${rider.id}`, {
      method: 'PATCH',
      token: manager,
      body: { name: '王大哥' },
    });
    expect(renamed.json).toMatchObject({ name: '王大哥', active: true });
    expect((await call('/v1/rider/me', { token: rider.key })).status).toBe(200);
    const off = await call(`/v1/stores/${storeId}/riders/${rider.id}`, {
      method: 'PATCH',
      token: manager,
      body: { active: false },
    });
    expect(off.json).toMatchObject({ active: false, canSignIn: false });
    expect((await call('/v1/rider/me', { token: rider.key })).status).toBe(401);
  });

  it('a bad phone or a stray field is a 422 naming it; another store’s rider is 404', async () => {
    const { storeId, manager } = await riderStore();
    const other = await riderStore();
    const bad = await call(`/v1/stores/${storeId}/riders`, {
      method: 'POST',
      token: manager,
      body: { name: '王师傅', phone: 'call me' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe('phone');
    const theirs = await hireRider(other.storeId, other.manager);
    const res = await call(`/v1/stores/${storeId}/riders/${theirs.id}`, {
      method: 'PATCH',
      token: manager,
      body: { name: 'x' },
    });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('rider.not_found');
  });
});

describe('a rider delivers an order', () => {
  it('staff assign, the rider sees the order with the guest’s phone and taps it to completed', async () => {
    const { storeId, manager, staff } = await riderStore();
    const rider = await hireRider(storeId, manager);
    const { id, guest } = await paidDelivery(storeId);

    const assigned = await call(`/v1/orders/${id}/rider`, {
      method: 'POST',
      token: staff,
      body: { riderId: rider.id },
    });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.json.delivery.tracking).toMatchObject({
      provider: 'own',
      status: 'rider_assigned',
      rider: { name: '王师傅', riderId: rider.id },
    });
    expect(assigned.json.delivery.tracking.trackingNo).toMatch(/^rda_/);
    expect(assigned.json.delivery.contactPhone).toBe('138****5678');

    const me = await call('/v1/rider/me', { token: rider.key });
    expect(me.status, me.text).toBe(200);
    expect(me.json.assignments).toHaveLength(1);
    expect(me.json.assignments[0].order).toMatchObject({ id, delivery: { contactPhone: '13812345678' } });

    // The key opens nothing else.
    expect((await call(`/v1/orders/${id}`, { token: rider.key })).status).toBe(401);

    for (const tap of ['arrived', 'picked-up', 'delivered']) {
      const res = await call(`/v1/rider/orders/${id}/${tap}`, {
        method: 'POST',
        token: rider.key,
        body: { position: { lat: 31.24, lng: 121.47 } },
      });
      expect(res.status, `${tap}: ${res.text}`).toBe(200);
    }
    const done = await call(`/v1/orders/${id}`, { token: guest.token });
    expect(done.json.status).toBe('completed');
    expect(done.json.delivery.tracking.status).toBe('delivered');
    expect(done.json.delivery.courier).toMatchObject({ kind: 'own', name: '王师傅' });
    expect((await call('/v1/rider/me', { token: rider.key })).json.assignments).toEqual([]);
  });

  it('reassigning cancels the first rider’s dispatch: their taps are 404 and the new rider carries it', async () => {
    const { storeId, manager, staff } = await riderStore();
    const first = await hireRider(storeId, manager, '王师傅', '13900001111');
    const second = await hireRider(storeId, manager, '李师傅', '13900002222');
    const { id } = await paidDelivery(storeId);
    const a = await call(`/v1/orders/${id}/rider`, { method: 'POST', token: staff, body: { riderId: first.id } });
    const b = await call(`/v1/orders/${id}/rider`, { method: 'POST', token: staff, body: { riderId: second.id } });
    expect(b.status, b.text).toBe(200);
    expect(b.json.delivery.tracking).toMatchObject({ status: 'rider_assigned', rider: { name: '李师傅' } });
    expect(b.json.delivery.tracking.trackingNo).not.toBe(a.json.delivery.tracking.trackingNo);
    const late = await call(`/v1/rider/orders/${id}/arrived`, { method: 'POST', token: first.key, body: {} });
    expect(late.status).toBe(404);
    expect(late.json.code).toBe('order.not_found');
    expect((await call('/v1/rider/me', { token: first.key })).json.assignments).toEqual([]);
    // No body at all: the position is optional.
    const ok = await call(`/v1/rider/orders/${id}/arrived`, { method: 'POST', token: second.key });
    expect(ok.json.delivery.tracking.status).toBe('at_store');

    const off = await call(`/v1/orders/${id}/rider`, { method: 'DELETE', token: staff });
    expect(off.status, off.text).toBe(200);
    expect(off.json.delivery.tracking.status).toBe('cancelled');
    const again = await call(`/v1/orders/${id}/rider`, { method: 'DELETE', token: staff });
    expect(again.json.code).toBe('rider.not_assigned');
  });

  it('an unpaid order or a deactivated rider cannot be assigned; a new key ends the old one', async () => {
    const { storeId, manager, staff } = await riderStore();
    const rider = await hireRider(storeId, manager);
    const { id } = await paidDelivery(storeId);
    await call(`/v1/stores/${storeId}/riders/${rider.id}`, {
      method: 'PATCH',
      token: manager,
      body: { active: false },
    });
    const inactive = await call(`/v1/orders/${id}/rider`, {
      method: 'POST',
      token: staff,
      body: { riderId: rider.id },
    });
    expect(inactive.json.code).toBe('rider.inactive');
    await call(`/v1/stores/${storeId}/riders/${rider.id}`, { method: 'PATCH', token: manager, body: { active: true } });
    const fresh = await call(`/v1/stores/${storeId}/riders/${rider.id}/sign-in-link`, {
      method: 'POST',
      token: manager,
    });
    expect((await call('/v1/rider/me', { token: rider.key })).status).toBe(401);
    expect((await call('/v1/rider/me', { token: fresh.json.key })).status).toBe(200);

    const guest = await import('../support/factories').then((f) => f.newMember());
    const unpaid = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: {
        mode: 'delivery',
        address: { text: '南京东路 1 号', lat: 31.2404, lng: 121.4737, contactName: '王', contactPhone: '13812345678' },
        lines: [{ itemId: 'itm_potstickers', quantity: 1 }],
      },
    });
    const res = await call(`/v1/orders/${unpaid.json.id}/rider`, {
      method: 'POST',
      token: staff,
      body: { riderId: rider.id },
    });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('rider.order_not_assignable');
  });
});

describe('an order that ends without the rider', () => {
  it('leaves the rider’s list once it is cancelled', async () => {
    const { storeId, manager, staff } = await riderStore();
    const rider = await hireRider(storeId, manager);
    const { id } = await paidDelivery(storeId);
    await call(`/v1/orders/${id}/rider`, { method: 'POST', token: staff, body: { riderId: rider.id } });
    expect((await call('/v1/rider/me', { token: rider.key })).json.assignments).toHaveLength(1);
    const cancelled = await call(`/v1/orders/${id}/cancel`, { method: 'POST', token: manager, body: {} });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect((await call('/v1/rider/me', { token: rider.key })).json.assignments).toEqual([]);
    const tap = await call(`/v1/rider/orders/${id}/arrived`, { method: 'POST', token: rider.key });
    expect(tap.status).toBe(404);
  });
});

describe('the store’s deliveries for its own riders', () => {
  it('lists paid deliveries waiting for a rider and those a rider carries, for any staff of the store', async () => {
    const { storeId, manager, staff } = await riderStore();
    const rider = await hireRider(storeId, manager);
    const first = await paidDelivery(storeId);
    const second = await paidDelivery(storeId);
    await call(`/v1/orders/${second.id}/rider`, { method: 'POST', token: staff, body: { riderId: rider.id } });

    const res = await call(`/v1/stores/${storeId}/rider-deliveries`, { token: staff });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.map((i: { order: { id: string } }) => i.order.id)).toEqual([first.id, second.id]);
    expect(res.json.items[0]).toMatchObject({ assignable: true, riderId: null });
    expect(res.json.items[1]).toMatchObject({ assignable: true, riderId: rider.id });
    expect(res.json.items[1].order.delivery.contactPhone).toBe('138****5678');

    // Picked up: still listed with its rider, no longer assignable; taken off: waiting again.
    await call(`/v1/rider/orders/${second.id}/picked-up`, { method: 'POST', token: rider.key });
    await call(`/v1/orders/${first.id}/rider`, { method: 'POST', token: staff, body: { riderId: rider.id } });
    await call(`/v1/orders/${first.id}/rider`, { method: 'DELETE', token: staff });
    const later = await call(`/v1/stores/${storeId}/rider-deliveries`, { token: manager });
    expect(later.json.items).toEqual([
      expect.objectContaining({ assignable: true, riderId: null }),
      expect.objectContaining({ assignable: false, riderId: rider.id }),
    ]);

    const other = await riderStore();
    expect((await call(`/v1/stores/${storeId}/rider-deliveries`, { token: other.staff })).status).toBe(403);
    const guest = await call(`/v1/stores/${storeId}/rider-deliveries`, { token: first.guest.token });
    expect(guest.status).toBe(403);
  });
});
