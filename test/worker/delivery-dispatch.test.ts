/*
 * Courier dispatch, told as the store lives it: the clerk prices a paid delivery with
 * every carrier at once (one is down), sends it to the one the store's rule picks, Dada's
 * rider calls back through pickup to delivery (the order follows, the guest sees the
 * rider and where they are), a replay and a forgery change nothing; then a cancel at the
 * carrier and the same order sent again with SF. The fakes check every signature we send.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  configureCarriers,
  paidDeliveryOrder,
  postCallback,
  refusals,
  SF,
  unwireCarriers,
  wireCarriers,
} from '../support/dispatch';
import { newMember, openStore, potstickers } from '../support/factories';
import { dadaCallback } from '../support/fake-dada';
import { sfCallback } from '../support/fake-sf';
import { call } from '../support/http';

afterEach(unwireCarriers);

describe('quoting every carrier at once', () => {
  it('answers each carrier’s fee and promise, reports the one that is down, and picks the cheapest', async () => {
    const carriers = wireCarriers();
    carriers.wechat.mode = 'down';
    const { orderId, staff } = await paidDeliveryOrder();

    const res = await call(`/v1/orders/${orderId}/delivery/quotes`, { method: 'POST', token: staff });
    expect(res.status, res.text).toBe(200);
    expect(res.json.rule).toBe('cheapest');
    expect(res.json.picked).toBe('dada');
    const byCarrier = Object.fromEntries(res.json.quotes.map((q: { carrier: string }) => [q.carrier, q]));
    expect(byCarrier.dada).toMatchObject({ ok: true, fee: 900, minutes: 20, distanceMetres: 1100 });
    expect(byCarrier.sf).toMatchObject({ ok: true, fee: 1200, minutes: 15 });
    expect(byCarrier.wechat).toMatchObject({ ok: false, error: { code: 'carrier.unavailable' } });
    // Every request reached its carrier signed as the carrier checks it.
    expect(carriers.dada.requests.map((r) => [r.path, r.signed])).toEqual([['/api/order/queryDeliverFee', true]]);
    expect(carriers.sf.requests.map((r) => [r.path, r.signed])).toEqual([['/open/api/external/precreateorder', true]]);
    // The guest's address and phone reached the carrier whole; nothing was placed.
    expect(carriers.sf.requests[0]!.body).toMatchObject({ user_address: '上海市黄浦区南京东路 200 号 5 楼' });
    expect(carriers.dada.requests[0]!.body).toMatchObject({ receiver_phone: '13812345678' });
    expect(carriers.sf.orders.size).toBe(0);
  });

  it('picks the fastest when the store says so, and a carrier that hangs times out without holding the others', async () => {
    const carriers = wireCarriers(300);
    carriers.dada.mode = 'hang';
    const { orderId, staff } = await paidDeliveryOrder(['dada', 'sf', 'wechat'], { dispatchPick: 'fastest' });

    const res = await call(`/v1/orders/${orderId}/delivery/quotes`, { method: 'POST', token: staff });
    expect(res.status, res.text).toBe(200);
    expect(res.json.rule).toBe('fastest');
    expect(res.json.picked).toBe('sf');
    const dada = res.json.quotes.find((q: { carrier: string }) => q.carrier === 'dada');
    expect(dada).toMatchObject({ ok: false, error: { code: 'carrier.unavailable' } });
    // WeChat priced with each carrier behind it and kept the one the rule picks (SFTC, cheaper at equal time).
    const wechat = res.json.quotes.find((q: { carrier: string }) => q.carrier === 'wechat');
    expect(wechat).toMatchObject({ ok: true, fee: 1050 });
    expect(carriers.wechat.requests.filter((r) => r.path.endsWith('pre_add')).every((r) => r.signed)).toBe(true);
  });
});

describe('sending a delivery to a carrier and following its rider', () => {
  it('places with the picked carrier, follows Dada’s callbacks to a completed order, and refuses forgeries', async () => {
    const carriers = wireCarriers();
    const { orderId, staff, guest, storeId, ticketNo } = await paidDeliveryOrder(['dada', 'sf']);

    const placed = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff, body: {} });
    expect(placed.status, placed.text).toBe(201);
    const dadaOrder = [...carriers.dada.orders.values()].find((o) => o.status === 'placed')!;
    expect(placed.json).toMatchObject({ carrier: 'dada', status: 'live', fee: 900, trackingNo: dadaOrder.deliveryNo });
    expect(placed.json.id).toBe(dadaOrder.originId);
    expect(dadaOrder.callback).toBe(`${env.PUBLIC_BASE_URL}/v1/delivery/callbacks/dada`);

    let order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.delivery.tracking).toMatchObject({
      provider: 'dada',
      status: 'awaiting_rider',
      trackingNo: dadaOrder.deliveryNo,
    });

    // A second tap answers the same dispatch; asking for another carrier meanwhile is a conflict.
    const again = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff });
    expect(again.status, again.text).toBe(200);
    expect(again.json.id).toBe(placed.json.id);
    const other = await call(`/v1/orders/${orderId}/delivery`, {
      method: 'POST',
      token: staff,
      body: { carrier: 'sf' },
    });
    expect(other.status).toBe(409);
    expect(other.json.code).toBe('dispatch.other_carrier');
    expect(carriers.dada.orders.size).toBe(1);

    const t0 = Math.floor(Date.now() / 1000);
    const rider = { name: '张师傅', phone: '13900001111' };
    for (const [status, dt] of [
      [2, 60],
      [100, 300],
      [3, 420],
    ] as const) {
      const res = await postCallback('dada', await dadaCallback(dadaOrder, status, { updateTime: t0 + dt, rider }));
      expect(res.status, res.text).toBe(200);
      expect(res.json).toMatchObject({ status: 'success', code: 0 });
    }
    order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.status).toBe('delivering');
    expect(order.delivery.tracking).toMatchObject({
      provider: 'dada',
      status: 'picked_up',
      rider: { name: '张师傅', phone: '13900001111' },
      position: { lat: 31.2351, lng: 121.4788 },
    });
    expect(order.delivery.tracking.history.map((h: { status: string }) => h.status)).toEqual([
      'awaiting_rider',
      'rider_assigned',
      'at_store',
      'picked_up',
    ]);

    // Dada sends the pickup again: answered success, nothing changes.
    const replay = await postCallback('dada', await dadaCallback(dadaOrder, 3, { updateTime: t0 + 420, rider }));
    expect(replay.status).toBe(200);
    expect(replay.json.code).toBe(0);
    const afterReplay = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(afterReplay.delivery.tracking).toEqual(order.delivery.tracking);
    expect(afterReplay.updatedAt).toBe(order.updatedAt);

    // A forged "delivered": refused in Dada's format, counted, nothing written.
    const before = await refusals();
    const forged = await postCallback(
      'dada',
      await dadaCallback(dadaOrder, 4, { updateTime: t0 + 900, signature: 'f'.repeat(32) }),
    );
    expect(forged.status).toBe(400);
    expect(forged.json).toMatchObject({ status: 'fail' });
    expect((await refusals())['dada signature_invalid']).toBe((before['dada signature_invalid'] ?? 0) + 1);
    expect((await call(`/v1/orders/${orderId}`, { token: guest.token })).json.status).toBe('delivering');

    // A callback for an order Dada never had from us.
    const unknown = await postCallback(
      'dada',
      await dadaCallback({ originId: 'dsp_nobody', deliveryNo: 'Dada0' }, 4, { updateTime: t0 }),
    );
    expect(unknown.status).toBe(400);
    expect((await refusals())['dada unknown_order']).toBe((before['dada unknown_order'] ?? 0) + 1);

    // The real "delivered" completes the order, and the dispatch ends.
    const done = await postCallback('dada', await dadaCallback(dadaOrder, 4, { updateTime: t0 + 1500, rider }));
    expect(done.status).toBe(200);
    order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.status).toBe('completed');
    expect(order.delivery.tracking.status).toBe('delivered');
    const list = await call(`/v1/orders/${orderId}/delivery/dispatches`, { token: staff });
    expect(list.json.items.map((d: { status: string }) => d.status)).toEqual(['delivered']);

    // The pickup board showed the rider while they came; once picked up they leave it.
    const board = await env.STORE.getByName(storeId).board();
    expect(board.deliveries?.find((d) => d.ticketNo === ticketNo)).toBeUndefined();

    // A late "delivery exception" after the delivery is stale: refused and counted, the order stays completed.
    const stale = await postCallback('dada', await dadaCallback(dadaOrder, 9, { updateTime: t0 + 1200 }));
    expect(stale.status).toBe(400);
    expect((await refusals())['dada stale']).toBe((before['dada stale'] ?? 0) + 1);
    expect((await call(`/v1/orders/${orderId}`, { token: guest.token })).json.delivery.tracking.status).toBe(
      'delivered',
    );
  });

  it('cancels at Dada, then sends the same order with SF, whose pushes are verified by their sign', async () => {
    const carriers = wireCarriers();
    const { orderId, staff, guest, storeId, ticketNo } = await paidDeliveryOrder(['dada', 'sf']);
    const key = { 'Idempotency-Key': 'dispatch-tap-0001' };
    const first = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff, headers: key });
    expect(first.status, first.text).toBe(201);
    const dadaOrder = carriers.dada.orders.get(first.json.id)!;
    await postCallback('dada', await dadaCallback(dadaOrder, 2, { rider: { name: '张师傅', phone: '139' } }));
    const board = await env.STORE.getByName(storeId).board();
    expect(board.deliveries).toContainEqual({
      ticketNo,
      status: 'rider_assigned',
      provider: 'dada',
      riderName: '张师傅',
    });

    const cancelled = await call(`/v1/orders/${orderId}/delivery`, { method: 'DELETE', token: staff });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({ carrier: 'dada', status: 'cancelled' });
    expect(dadaOrder.status).toBe('cancelled');
    expect(carriers.dada.requests.at(-1)).toMatchObject({ path: '/api/order/formalCancel', signed: true });
    let order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.delivery.tracking.status).toBe('cancelled');

    // A client retrying the first tap with its key is answered that dispatch, cancelled, not a new rider.
    const retried = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff, headers: key });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retried.json).toMatchObject({ id: first.json.id, status: 'cancelled' });
    expect(carriers.dada.orders.size).toBe(1);

    const second = await call(`/v1/orders/${orderId}/delivery`, {
      method: 'POST',
      token: staff,
      body: { carrier: 'sf' },
    });
    expect(second.status, second.text).toBe(201);
    const sfOrder = [...carriers.sf.orders.values()][0]!;
    expect(second.json).toMatchObject({ carrier: 'sf', trackingNo: sfOrder.sfOrderId, fee: 1200 });
    expect(sfOrder.shopOrderId).toBe(second.json.id);
    order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.delivery.tracking).toMatchObject({
      provider: 'sf',
      status: 'awaiting_rider',
      trackingNo: sfOrder.sfOrderId,
    });

    // Dada's late word about the cancelled dispatch is stale now.
    const late = await postCallback('dada', await dadaCallback(dadaOrder, 100));
    expect(late.status).toBe(400);

    // SF's rider accepts with a position in the push; answered in SF's format. Push times are
    // explicit: a position is replaced only by a later one, and a wall-clock second turning
    // over between two pushes must not decide what the guest sees.
    const acceptedAt = Math.floor(Date.now() / 1000);
    const accepted = await sfCallback(SF, sfOrder, 10, {
      operator_name: '李师傅',
      operator_phone: '13700002222',
      rider_lat: '31.2320',
      rider_lng: '121.4745',
      push_time: acceptedAt,
    });
    const res = await postCallback('sf', accepted.body, accepted.query);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ error_code: 0, error_msg: 'success' });
    order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.delivery.tracking.position).toMatchObject({ lat: 31.232, lng: 121.4745 });

    // A minute later the pickup push carries no position: SF's latest rider position is read.
    const picked = await sfCallback(SF, sfOrder, 15, {
      operator_name: '李师傅',
      operator_phone: '13700002222',
      push_time: acceptedAt + 60,
    });
    expect((await postCallback('sf', picked.body, picked.query)).status).toBe(200);
    order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.status).toBe('delivering');
    expect(order.delivery.tracking).toMatchObject({
      provider: 'sf',
      status: 'picked_up',
      rider: { name: '李师傅' },
      position: { lat: 31.233, lng: 121.475, at: (acceptedAt + 60) * 1000 },
    });
    expect(carriers.sf.requests.some((r) => r.path.includes('riderlatestposition'))).toBe(true);
    expect(order.delivery.tracking.history.map((h: { status: string }) => h.status)).toEqual([
      'awaiting_rider',
      'rider_assigned',
      'cancelled',
      'awaiting_rider',
      'rider_assigned',
      'picked_up',
    ]);

    // An SF push whose body was edited after signing.
    const before = await refusals();
    const edited = await sfCallback(SF, sfOrder, 17);
    const bad = await postCallback('sf', edited.body.replace('"order_status":17', '"order_status":2'), edited.query);
    expect(bad.status).toBe(400);
    expect(bad.json.error_code).not.toBe(0);
    expect((await refusals())['sf signature_invalid']).toBe((before['sf signature_invalid'] ?? 0) + 1);
    expect(carriers.sf.requests.every((r) => r.signed)).toBe(true);
  });
});

describe('what cannot be dispatched', () => {
  it('a pickup order, an unpaid order, a store without carriers, a guest', async () => {
    wireCarriers();
    const { storeId, staff, admin } = await openStore();
    await configureCarriers(admin, storeId, ['dada']);
    const guest = await newMember();
    const pickup = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    await env.STORE.getByName(storeId).act({ orderId: pickup.json.id, action: 'pay', actor: 'system' });
    const res = await call(`/v1/orders/${pickup.json.id}/delivery`, { method: 'POST', token: staff });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json.code).toBe('order.not_delivery');

    const unpaid = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: {
        mode: 'delivery',
        address: { text: '南京东路 1 号', lat: 31.2404, lng: 121.4737, contactName: 'W', contactPhone: '13812345678' },
        lines: [potstickers(1)],
      },
    });
    const early = await call(`/v1/orders/${unpaid.json.id}/delivery/quotes`, { method: 'POST', token: staff });
    expect(early.status).toBe(409);
    expect(early.json.code).toBe('dispatch.order_not_dispatchable');
    const byGuest = await call(`/v1/orders/${unpaid.json.id}/delivery`, { method: 'POST', token: guest.token });
    expect(byGuest.status).toBe(403);

    const bare = await paidDeliveryOrder([]);
    const none = await call(`/v1/orders/${bare.orderId}/delivery`, { method: 'POST', token: bare.staff });
    expect(none.status).toBe(409);
    expect(none.json.code).toBe('dispatch.no_carriers');
    const named = await call(`/v1/orders/${bare.orderId}/delivery`, {
      method: 'POST',
      token: bare.staff,
      body: { carrier: 'wechat' },
    });
    expect(named.status).toBe(422);
    expect(named.json.code).toBe('dispatch.carrier_not_configured');
    const nothingToCancel = await call(`/v1/orders/${bare.orderId}/delivery`, { method: 'DELETE', token: bare.staff });
    expect(nothingToCancel.status).toBe(404);
    expect(nothingToCancel.json.code).toBe('dispatch.not_found');
  });

  it('when no Dada rider takes it (expired), the order may go to another carrier', async () => {
    const carriers = wireCarriers();
    const { orderId, staff, guest } = await paidDeliveryOrder(['dada', 'sf']);
    const first = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff });
    const dadaOrder = carriers.dada.orders.get(first.json.id)!;
    const expired = await postCallback('dada', await dadaCallback(dadaOrder, 7, { cancelReason: '超时未接单' }));
    expect(expired.status).toBe(200);
    const order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.delivery.tracking.status).toBe('cancelled');
    expect(order.delivery.tracking.history.at(-1)).toMatchObject({ status: 'cancelled', reason: '超时未接单' });
    const second = await call(`/v1/orders/${orderId}/delivery`, {
      method: 'POST',
      token: staff,
      body: { carrier: 'sf' },
    });
    expect(second.status, second.text).toBe(201);
    expect(second.json.carrier).toBe('sf');
  });

  it('two clerks tapping dispatch at once call one rider', async () => {
    const carriers = wireCarriers();
    const { orderId, staff } = await paidDeliveryOrder(['dada']);
    const taps = await Promise.all(
      [1, 2].map(() => call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff })),
    );
    expect(taps.map((t) => t.status)).toContain(201);
    // The other tap answers the live dispatch, or (while it is being placed) asks to try again.
    const other = taps.find((t) => t.status !== 201)!;
    expect([200, 409]).toContain(other.status);
    if (other.status === 409) expect(other.json.code).toBe('dispatch.in_progress');
    expect([...carriers.dada.orders.values()].filter((o) => o.status === 'placed')).toHaveLength(1);
    const list = await call(`/v1/orders/${orderId}/delivery/dispatches`, { token: staff });
    expect(list.json.items).toHaveLength(1);
  });

  it('a carrier that refuses the placing leaves the order free to dispatch again', async () => {
    const carriers = wireCarriers();
    const { orderId, staff } = await paidDeliveryOrder(['sf']);
    carriers.sf.mode = 'down';
    const res = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff });
    expect(res.status).toBe(503);
    expect(res.json.code).toBe('dispatch.carrier_unavailable');
    carriers.sf.mode = 'ok';
    const retry = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff });
    expect(retry.status, retry.text).toBe(201);
  });
});
