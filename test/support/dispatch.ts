import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { overrideCarrierTransport } from '../../worker/delivery/carriers/registry';
import { forgetWechatTokens } from '../../worker/delivery/carriers/wechat.carrier';
import { newMember, openStore, potstickers } from './factories';
import { type FakeDada, fakeDada } from './fake-dada';
import { type FakeSf, fakeSf } from './fake-sf';
import { type FakeWechatDelivery, fakeWechatDelivery } from './fake-wechat-delivery';
import { call } from './http';

/** The carrier accounts the stories use, as the carriers issued them. */
export const DADA = {
  appKey: 'dada_app_key_t',
  appSecret: 'dada_secret_0123456789',
  sourceId: '73753',
  shopNo: '11047059',
  cityCode: '021',
};
export const SF = { devId: '1700000123', devKey: 'sf_dev_key_abcdef', shopId: '3243279847393' };
export const WECHAT = {
  shopId: 'wx_shop_appkey',
  appSecret: 'wx_delivery_secret',
  pushToken: 'wx_push_token',
  deliveryIds: ['SFTC', 'DADA'],
  shopNo: 'wx_shop_no_1',
  tokenAppId: 'wx_mini_app',
  tokenAppSecret: 'wx_mini_secret',
};

export interface Carriers {
  dada: FakeDada;
  sf: FakeSf;
  wechat: FakeWechatDelivery;
}

/**
 * The three fake carrier servers, wired in as the adapters' transport: Dada the cheapest
 * (¥9, ~1.1 km so ~20 min estimated), SF the fastest (¥12, 15 min promised), WeChat in
 * between (¥10.50 through SFTC, ¥11 through DADA).
 */
export function wireCarriers(timeoutMs?: number): Carriers {
  forgetWechatTokens();
  const c: Carriers = {
    dada: fakeDada({ ...DADA, fee: 900, distance: 1100 }),
    sf: fakeSf({ ...SF, fee: 1200, minutes: 15, distance: 1100 }),
    wechat: fakeWechatDelivery({
      appId: WECHAT.tokenAppId,
      appSecret: WECHAT.tokenAppSecret,
      shopId: WECHAT.shopId,
      deliveryAppSecret: WECHAT.appSecret,
      prices: { SFTC: { fee: 1050, distance: 1100 }, DADA: { fee: 1100, distance: 1100 } },
    }),
  };
  for (const name of ['dada', 'sf', 'wechat'] as const) {
    overrideCarrierTransport(name, { fetch: c[name].fetch, ...(timeoutMs ? { timeoutMs } : {}) });
  }
  return c;
}

export function unwireCarriers() {
  for (const name of ['dada', 'sf', 'wechat'] as const) overrideCarrierTransport(name, undefined);
}

/** Gives a store accounts with the given carriers through the admin API. */
export async function configureCarriers(admin: string, storeId: string, which: ('dada' | 'sf' | 'wechat')[]) {
  const bodies = {
    dada: { carrier: 'dada', ...DADA },
    sf: { carrier: 'sf', ...SF },
    wechat: {
      carrier: 'wechat',
      shopId: WECHAT.shopId,
      appSecret: WECHAT.appSecret,
      pushToken: WECHAT.pushToken,
      deliveryIds: WECHAT.deliveryIds,
      shopNo: WECHAT.shopNo,
      accessToken: { source: 'mini_program', appId: WECHAT.tokenAppId, appSecret: WECHAT.tokenAppSecret },
    },
  };
  for (const w of which) {
    const res = await call(`/v1/admin/stores/${storeId}/carriers`, { method: 'PUT', token: admin, body: bodies[w] });
    expect(res.status, res.text).toBe(200);
  }
}

export const address = {
  text: '上海市黄浦区南京东路 200 号 5 楼',
  lat: 31.2404,
  lng: 121.4737,
  contactName: '王先生',
  contactPhone: '13812345678',
};

/** A store with carriers, and a paid delivery order of a guest's there. */
export async function paidDeliveryOrder(
  carriers: ('dada' | 'sf' | 'wechat')[] = ['dada', 'sf', 'wechat'],
  settings: Record<string, unknown> = {},
) {
  const store = await openStore(settings);
  await configureCarriers(store.admin, store.storeId, carriers);
  const guest = await newMember();
  const placed = await call(`/v1/stores/${store.storeId}/orders`, {
    method: 'POST',
    token: guest.token,
    body: { mode: 'delivery', address, lines: [potstickers(2)] },
  });
  expect(placed.status, placed.text).toBe(201);
  const orderId = placed.json.id as string;
  await env.STORE.getByName(store.storeId).act({ orderId, action: 'pay', actor: 'system' });
  return { ...store, guest, orderId, ticketNo: placed.json.ticketNo as string };
}

/** Posts a carrier's callback as the carrier does. */
export const postCallback = (carrier: 'dada' | 'sf' | 'wechat', body: string, query = '') =>
  call(`/v1/delivery/callbacks/${carrier}${query ? `?${query}` : ''}`, {
    method: 'POST',
    raw: body,
    contentType: 'application/json',
  });

/** Refused callbacks counted so far, by `carrier reason`. */
export async function refusals(): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    "SELECT carrier || ' ' || reason AS k, SUM(count) AS n FROM delivery_callback_refusals GROUP BY k",
  ).all<{ k: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.k, r.n]));
}
