import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { DeliveryUpdate } from '../../domain/delivery/tracking';
import { webhookEventsOf } from '../../domain/webhooks/events';
import { recordDeliveryUpdate } from '../../worker/delivery/tracking.service';
import { newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';
import { outboxMessages } from '../support/outbox-delivery';

const address = {
  text: '上海市黄浦区南京东路 200 号 5 楼',
  lat: 31.2404,
  lng: 121.4737,
  contactName: '王先生',
  contactPhone: '13812345678',
};

/** A paid delivery order the kitchen is cooking. */
async function cookingDelivery() {
  const { storeId, staff } = await openStore();
  const guest = await newMember();
  const placed = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: guest.token,
    body: { mode: 'delivery', address, lines: [potstickers(1)] },
  });
  expect(placed.status, placed.text).toBe(201);
  const id = placed.json.id as string;
  await env.STORE.getByName(storeId).act({ orderId: id, action: 'pay', actor: 'system' });
  await call(`/v1/orders/${id}/accept`, { method: 'POST', token: staff });
  return { storeId, staff, guest, id };
}

const t0 = Date.now();
const dada = (status: DeliveryUpdate['status'], dt: number, over: Partial<DeliveryUpdate> = {}): DeliveryUpdate => ({
  provider: 'dada',
  status,
  at: t0 + dt,
  trackingNo: 'DD-77',
  ...over,
});

describe('a delivery followed from rider to door', () => {
  it('the rider arrives, picks up and delivers: the order moves with them and the guest sees where the food is', async () => {
    const { storeId, guest, id } = await cookingDelivery();
    await recordDeliveryUpdate(env, id, dada('rider_assigned', 0, { rider: { name: '李师傅', phone: '13900000002' } }));
    const arrived = await recordDeliveryUpdate(env, id, dada('at_store', 60_000));
    expect(arrived.changed).toBe(true);
    expect(arrived.order.status).toBe('accepted');

    const board = await env.STORE.getByName(storeId).board();
    expect(board.deliveries).toContainEqual(
      expect.objectContaining({ status: 'at_store', provider: 'dada', riderName: '李师傅' }),
    );

    const picked = await recordDeliveryUpdate(
      env,
      id,
      dada('picked_up', 120_000, { position: { lat: 31.24, lng: 121.48 } }),
    );
    expect(picked.order.status).toBe('delivering');
    expect(picked.order.delivery?.courier).toMatchObject({ kind: 'third_party', name: '李师傅', trackingNo: 'DD-77' });

    const seen = await call(`/v1/orders/${id}`, { token: guest.token });
    expect(seen.json.delivery.tracking).toMatchObject({
      provider: 'dada',
      status: 'picked_up',
      rider: { name: '李师傅' },
      position: { lat: 31.24, lng: 121.48 },
    });
    expect((await env.STORE.getByName(storeId).board()).deliveries).toEqual([]);

    const delivered = await recordDeliveryUpdate(env, id, dada('delivered', 900_000));
    expect(delivered.order.status).toBe('completed');
  });

  it('a callback sent twice, or one arriving late, changes nothing', async () => {
    const { id } = await cookingDelivery();
    await recordDeliveryUpdate(env, id, dada('picked_up', 120_000));
    const again = await recordDeliveryUpdate(env, id, dada('picked_up', 120_000));
    const late = await recordDeliveryUpdate(env, id, dada('at_store', 60_000));
    expect([again.changed, late.changed]).toEqual([false, false]);
    expect(late.order.status).toBe('delivering');
  });

  it('partners subscribed to order.delivery_updated hear each step, ordered by the store sequence', async () => {
    const { storeId, id } = await cookingDelivery();
    await recordDeliveryUpdate(env, id, dada('rider_assigned', 0, { rider: { name: '李师傅' } }));
    await recordDeliveryUpdate(env, id, dada('picked_up', 60_000));
    const hooks = (await outboxMessages(storeId)).flatMap((m) =>
      webhookEventsOf(m.body as Parameters<typeof webhookEventsOf>[0], 'Asia/Shanghai'),
    );
    const tracked = hooks.filter((h) => h.type === 'order.delivery_updated');
    expect(
      tracked.map((h) => (h.data.order as { delivery: { tracking: { status: string } } }).delivery.tracking.status),
    ).toEqual(['rider_assigned', 'picked_up']);
    const seqs = tracked.map((h) => h.data.storeSeq as number);
    expect(seqs[1]).toBeGreaterThan(seqs[0]!);
    expect(
      hooks.some(
        (h) => h.type === 'order.status_changed' && (h.data.order as { status: string }).status === 'delivering',
      ),
    ).toBe(true);
  });

  it('a pickup order has no delivery to track: a clear 409', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    await expect(recordDeliveryUpdate(env, placed.json.id, dada('at_store', 0))).rejects.toMatchObject({
      status: 409,
      code: 'order.not_delivery',
    });
  });
});
