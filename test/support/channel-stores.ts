import { env } from 'cloudflare:workers';
import { bind } from './channels';
import { roomInHour } from './clock-windows';
import { openStore, unique } from './factories';
import { elemePushBody } from './fake-eleme';
import { meituanPushBody } from './fake-meituan';
import { call, tokenFor } from './http';

/*
 * Stores bound to a fake Meituan or Ele.me shop, and pushes to them signed as each platform
 * signs them, for the stories after the first order came in (refunds, urges, refusals, polls).
 *
 * The stories read the platform's orders back from the staff list (`channelOrders`), which
 * holds only today's orders, and take and give back today's stock: a business day turning
 * over mid-story (04:00 in Shanghai, on an hour) would hide the order. So a bound store is
 * opened with room left in the hour, as the first step of every story.
 */

export const MEITUAN_SECRET = 'mt-secret-5c1f';
export const ELEME_SECRET = 'ele-secret-91ab';
export const nowSeconds = () => String(Math.floor(Date.now() / 1000));

export async function meituanStore(appId: string, autoAccept = false) {
  await roomInHour();
  const s = await openStore();
  const shop = unique('poi');
  await bind(s.admin, {
    storeId: s.storeId,
    channel: 'meituan',
    appId,
    secret: MEITUAN_SECRET,
    platformShopId: shop,
    autoAccept,
  });
  const manager = await tokenFor('staff', { storeId: s.storeId, subject: unique('mgr'), staffRole: 'manager' });
  return { ...s, shop, manager };
}

/** A Meituan new order: two potstickers (our dish) and a cola (the platform's own), 35.50 paid. */
export function meituanOrderParams(appId: string, shop: string, orderId: string, extra: Record<string, string> = {}) {
  return {
    app_id: appId,
    timestamp: nowSeconds(),
    app_poi_code: shop,
    order_id: orderId,
    day_seq: '7',
    total: '35.5',
    shipping_fee: '5',
    detail: JSON.stringify([
      { app_food_code: 'itm_potstickers', food_name: '锅贴(美团)', quantity: 2, price: 16, box_num: 1, box_price: 1 },
      { app_food_code: 'mt_cola', food_name: '可乐', quantity: 1, price: 3, box_num: 0, box_price: 0 },
    ]),
    recipient_name: '张先生',
    recipient_phone: '13812345678',
    recipient_address: '人民广场1号',
    latitude: '31.2304',
    longitude: '121.4737',
    ...extra,
  };
}

export async function meituanPush(type: string, params: Record<string, string>, secret = MEITUAN_SECRET) {
  const url = `${env.PUBLIC_BASE_URL}/v1/channels/meituan/${type}`;
  return call(`/v1/channels/meituan/${type}`, {
    method: 'POST',
    raw: await meituanPushBody(url, params, secret),
    contentType: 'application/x-www-form-urlencoded',
  });
}

export async function elemeStore(appId: number, autoAccept = true) {
  await roomInHour();
  const s = await openStore();
  const shop = 100_000 + Math.floor(Math.random() * 900_000_000);
  await bind(s.admin, {
    storeId: s.storeId,
    channel: 'eleme',
    appId: String(appId),
    secret: ELEME_SECRET,
    platformShopId: String(shop),
    autoAccept,
  });
  return { ...s, shop };
}

/** An Ele.me order message: two potstickers and a plum drink, 35.50 paid. */
export const elemeOrderMessage = (id: string) =>
  JSON.stringify({
    id,
    daySn: 12,
    totalPrice: 35.5,
    deliverFee: 5,
    packageFee: 1,
    groups: [
      {
        items: [
          { name: '锅贴', quantity: 2, price: 16, extendCode: 'itm_potstickers' },
          { name: '酸梅汤', quantity: 1, price: 3, extendCode: '' },
        ],
      },
    ],
    consignee: '李女士',
    phoneList: ['13912345678'],
    deliveryPoiAddress: '南京东路1号',
    deliveryGeo: '121.4737,31.2304',
    description: '',
  });

export async function elemePush(
  appId: number,
  shop: number,
  type: number,
  message: string,
  opts: { secret?: string; timestamp?: number; requestId?: string } = {},
) {
  const body = await elemePushBody(
    {
      requestId: opts.requestId ?? crypto.randomUUID(),
      type,
      appId,
      message,
      shopId: shop,
      timestamp: opts.timestamp ?? Date.now(),
      userId: 42,
    },
    opts.secret ?? ELEME_SECRET,
  );
  return call('/v1/channels/eleme', { method: 'POST', raw: body, contentType: 'application/json' });
}
