/*
 * A brand admin sets up a store's carriers (secrets go in and never come out), and a
 * store on WeChat instant delivery dispatches through it and follows its pushes.
 */
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { roomInHour } from '../support/clock-windows';
import {
  configureCarriers,
  paidDeliveryOrder,
  postCallback,
  refusals,
  unwireCarriers,
  WECHAT,
  wireCarriers,
} from '../support/dispatch';
import { openStore } from '../support/factories';
import { wechatDeliveryPush } from '../support/fake-wechat-delivery';
import { call, tokenFor } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';

afterEach(unwireCarriers);

describe('carrier accounts', () => {
  it('keeps secrets write-only and sealed, lists, reads, updates without re-sending secrets, and deletes', async () => {
    const { storeId, admin } = await openStore();
    await configureCarriers(admin, storeId, ['dada', 'sf', 'wechat']);

    const list = await call(`/v1/admin/stores/${storeId}/carriers`, { token: admin });
    expect(list.status).toBe(200);
    expect(list.json.items.map((a: { carrier: string }) => a.carrier)).toEqual(['dada', 'sf', 'wechat']);
    expect(list.text).not.toContain('dada_secret_0123456789');
    expect(list.text).not.toContain('sf_dev_key_abcdef');
    expect(list.text).not.toContain(WECHAT.pushToken);
    expect(list.text).not.toContain(WECHAT.tokenAppSecret);
    const wechat = list.json.items[2];
    expect(wechat.secretsSet).toEqual(['appSecret', 'pushToken', 'tokenAppSecret']);
    expect(wechat.settings).toMatchObject({
      shopId: WECHAT.shopId,
      accessToken: { source: 'mini_program', appId: WECHAT.tokenAppId },
    });
    expect(wechat.callbackUrl).toBe(`${env.PUBLIC_BASE_URL}/v1/delivery/callbacks/wechat`);

    const raw = await env.DB.prepare('SELECT settings, secrets_sealed FROM carrier_accounts WHERE store_id = ?')
      .bind(storeId)
      .all<{ settings: string; secrets_sealed: string }>();
    for (const r of raw.results) {
      expect(`${r.settings}${r.secrets_sealed}`).not.toMatch(/dada_secret|sf_dev_key|wx_push_token|wx_mini_secret/);
    }

    // Turning Dada off keeps its secret; a new account without its secret is refused, naming the field.
    const off = await call(`/v1/admin/stores/${storeId}/carriers`, {
      method: 'PUT',
      token: admin,
      body: { carrier: 'dada', enabled: false, appKey: 'k2', sourceId: '73753', shopNo: '1', cityCode: '021' },
    });
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ enabled: false, secretsSet: ['appSecret'], settings: { appKey: 'k2' } });
    const other = await openStore();
    const missing = await call(`/v1/admin/stores/${other.storeId}/carriers`, {
      method: 'PUT',
      token: admin,
      body: { carrier: 'sf', devId: '1', shopId: 's' },
    });
    expect(missing.status).toBe(422);
    expect(missing.json.errors).toEqual([{ path: 'devKey', message: 'required' }]);

    const one = await call(`/v1/admin/stores/${storeId}/carriers/sf`, { token: admin });
    expect(one.json).toMatchObject({ carrier: 'sf', settings: { devId: '1700000123' }, secretsSet: ['devKey'] });
    expect((await call(`/v1/admin/stores/${storeId}/carriers/sf`, { method: 'DELETE', token: admin })).status).toBe(
      204,
    );
    const gone = await call(`/v1/admin/stores/${storeId}/carriers/sf`, { token: admin });
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe('carrier.not_found');

    // Staff cannot read them; another brand's admin does not see the store.
    const staff = await tokenFor('staff', { storeId });
    expect((await call(`/v1/admin/stores/${storeId}/carriers`, { token: staff })).status).toBe(403);
    const stranger = await tokenFor('admin', { brandId: 'brd_other', subject: 'adm_other' });
    expect((await call(`/v1/admin/stores/${storeId}/carriers`, { token: stranger })).status).toBe(404);
  });

  it('sets the store’s pick rule as a store setting', async () => {
    const { storeId, admin } = await openStore();
    const res = await call(`/v1/admin/stores/${storeId}`, {
      method: 'PATCH',
      token: admin,
      body: { settings: { dispatchPick: 'fastest' } },
    });
    expect(res.status, res.text).toBe(200);
    const bad = await call(`/v1/admin/stores/${storeId}`, {
      method: 'PATCH',
      token: admin,
      body: { settings: { dispatchPick: 'random' } },
    });
    expect(bad.status).toBe(422);
  });
});

describe('WeChat instant delivery', () => {
  it('prices with each carrier behind it, places with the delivery_token, and follows signed pushes', async () => {
    // The refusal is counted on its Shanghai day; the admin reads the last day's.
    await roomInHour();
    const carriers = wireCarriers();
    const { orderId, staff, guest } = await paidDeliveryOrder(['wechat']);

    const placed = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff });
    expect(placed.status, placed.text).toBe(201);
    const waybill = [...carriers.wechat.waybills.values()][0]!;
    expect(placed.json).toMatchObject({
      carrier: 'wechat',
      subCarrier: 'SFTC',
      fee: 1050,
      trackingNo: waybill.waybillId,
    });
    expect(carriers.wechat.requests.every((r) => r.signed)).toBe(true);
    expect(carriers.wechat.requests.map((r) => r.path.split('/').slice(-2).join('/'))).toEqual([
      'cgi-bin/stable_token',
      'order/pre_add',
      'order/pre_add',
      'order/add',
    ]);

    const accepted = await wechatDeliveryPush(WECHAT, waybill, 102, {
      agent: { name: '赵师傅', phone: '13600003333' },
    });
    const res = await postCallback('wechat', accepted.body, accepted.query);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ resultcode: 0, resultmsg: 'ok' });
    const delivering = await wechatDeliveryPush(WECHAT, waybill, 301);
    expect((await postCallback('wechat', delivering.body, delivering.query)).status).toBe(200);
    const order = (await call(`/v1/orders/${orderId}`, { token: guest.token })).json;
    expect(order.status).toBe('delivering');
    expect(order.delivery.tracking).toMatchObject({
      provider: 'wechat',
      status: 'picked_up',
      rider: { name: '赵师傅' },
    });

    // A push signed with another token is refused in WeChat's format and counted.
    const before = await refusals();
    const forged = await wechatDeliveryPush({ ...WECHAT, pushToken: 'guessed' }, waybill, 302);
    const refused = await postCallback('wechat', forged.body, forged.query);
    expect(refused.status).toBe(400);
    expect(refused.json.resultcode).not.toBe(0);
    expect((await refusals())['wechat signature_invalid']).toBe((before['wechat signature_invalid'] ?? 0) + 1);
    const admin = await tokenFor('admin');
    const counted = await call('/v1/admin/delivery/callback-refusals?days=1', { token: admin });
    expect(counted.status, counted.text).toBe(200);
    expect(counted.json.items).toContainEqual(
      expect.objectContaining({ carrier: 'wechat', reason: 'signature_invalid', count: expect.any(Number) }),
    );
    expect(counted.text).not.toContain(forged.body);
    expect((await call(`/v1/orders/${orderId}`, { token: guest.token })).json.status).toBe('delivering');

    // WeChat checks the push URL when it is registered: the echo comes back only when signed with the Token.
    const check = new URLSearchParams(accepted.query);
    check.set('echostr', 'echo123');
    const echoed = await call(`/v1/delivery/callbacks/wechat?${check}`);
    expect(echoed.status).toBe(200);
    expect(echoed.text).toBe('echo123');
    check.set('signature', '0'.repeat(40));
    expect((await call(`/v1/delivery/callbacks/wechat?${check}`)).status).toBe(403);

    // Cancelled at WeChat with the waybill it gave.
    const cancelled = await call(`/v1/orders/${orderId}/delivery`, { method: 'DELETE', token: staff });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(waybill.status).toBe('cancelled');
  });
});

describe('what the order’s own changes tell the carrier', () => {
  it('tells SF the food is ready, signed, once the order turns ready', async () => {
    const carriers = wireCarriers();
    const { orderId, staff, storeId } = await paidDeliveryOrder(['sf']);
    expect((await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff })).status).toBe(201);
    for (const a of ['accept', 'ready']) {
      const res = await call(`/v1/orders/${orderId}/${a}`, { method: 'POST', token: staff });
      expect(res.status, res.text).toBe(200);
    }
    const result = await deliver(await outboxMessages(storeId));
    expect(result.retryMessages).toEqual([]);
    const sfOrder = [...carriers.sf.orders.values()][0]!;
    expect(sfOrder.productReady).toBe(true);
    expect(carriers.sf.requests.at(-1)).toMatchObject({ path: '/open/api/external/notifyproductready', signed: true });
  });

  it('cancels the rider at the carrier when the order itself is cancelled', async () => {
    const carriers = wireCarriers();
    const { orderId, staff, storeId } = await paidDeliveryOrder(['dada']);
    const placed = await call(`/v1/orders/${orderId}/delivery`, { method: 'POST', token: staff });
    expect(placed.status).toBe(201);
    const cancel = await call(`/v1/orders/${orderId}/cancel`, {
      method: 'POST',
      token: staff,
      body: { reason: 'out of potstickers' },
    });
    expect(cancel.status, cancel.text).toBe(200);
    const result = await deliver(await outboxMessages(storeId));
    expect(result.retryMessages).toEqual([]);
    expect(carriers.dada.orders.get(placed.json.id)?.status).toBe('cancelled');
    const list = await call(`/v1/orders/${orderId}/delivery/dispatches`, { token: staff });
    expect(list.json.items.map((d: { status: string }) => d.status)).toEqual(['cancelled']);
    // A replayed event finds nothing live to cancel.
    expect((await deliver(await outboxMessages(storeId))).retryMessages).toEqual([]);
    expect(carriers.dada.requests.filter((r) => r.path === '/api/order/formalCancel')).toHaveLength(1);
  });
});
