/*
 * A fake WeChat instant delivery API (api.weixin.qq.com …/express/local/business/…),
 * written from WeChat's side: it hands out a stable access token, checks it and every
 * `delivery_sign` (SHA1 of shopid + shop_order_id + AppSecret, on crypto.subtle), keeps the
 * waybills, and builds `update_waybill_status` pushes signed as the message push is.
 */
import { type CarrierRequestLog, digits, type FakeMode, hang, sha1Hex } from './carrier-wire';

export interface FakeWechatDeliveryOptions {
  appId: string;
  appSecret: string;
  shopId: string;
  deliveryAppSecret: string;
  /** Fee in fen and distance per delivery_id it prices. */
  prices: Record<string, { fee: number; distance: number }>;
}

export interface Waybill {
  shopOrderId: string;
  waybillId: string;
  deliveryId: string;
  status: 'placed' | 'cancelled';
}

export interface FakeWechatDelivery {
  fetch: typeof fetch;
  mode: FakeMode;
  requests: CarrierRequestLog[];
  waybills: Map<string, Waybill>;
}

const answer = (resultcode: number, resultmsg: string, rest: Record<string, unknown> = {}) =>
  Response.json({ errcode: 0, errmsg: 'ok', resultcode, resultmsg, ...rest });

export function fakeWechatDelivery(o: FakeWechatDeliveryOptions): FakeWechatDelivery {
  const token = `tok_${digits(12)}`;
  const tokens = new Map<string, string>();
  const fake: FakeWechatDelivery = {
    mode: 'ok',
    requests: [],
    waybills: new Map(),
    fetch: async (input, init) => {
      if (fake.mode === 'hang') return hang(init);
      const req = new Request(input, init);
      const url = new URL(req.url);
      const body = (await req.json()) as Record<string, unknown>;
      if (fake.mode === 'down') return new Response('busy', { status: 503 });
      if (url.pathname === '/cgi-bin/stable_token') {
        const ok = body.appid === o.appId && body.secret === o.appSecret;
        fake.requests.push({ path: url.pathname, body, signed: ok });
        return ok
          ? Response.json({ access_token: token, expires_in: 7200 })
          : Response.json({ errcode: 40013, errmsg: 'invalid appid' });
      }
      const shopOrderId = String(body.shop_order_id ?? '');
      const sign = await sha1Hex(`${o.shopId}${shopOrderId}${o.deliveryAppSecret}`);
      const signed = url.searchParams.get('access_token') === token && body.delivery_sign === sign;
      fake.requests.push({ path: url.pathname, body, signed });
      if (url.searchParams.get('access_token') !== token)
        return Response.json({ errcode: 40001, errmsg: 'invalid credential' });
      if (body.shopid !== o.shopId || body.delivery_sign !== sign) return answer(-99, '平台签名验证错误');
      const action = url.pathname.replace('/cgi-bin/express/local/business/', '');
      const deliveryId = String(body.delivery_id);
      if (action === 'order/pre_add') {
        const price = o.prices[deliveryId];
        if (!price) return answer(930555, 'delivery_id 未开通');
        tokens.set(`${shopOrderId}:${deliveryId}`, `dt_${digits(10)}`);
        return answer(0, 'ok', {
          fee: price.fee / 100,
          deliverfee: price.fee / 100,
          couponfee: 0,
          distance: price.distance,
          dispatch_duration: 300,
          delivery_token: tokens.get(`${shopOrderId}:${deliveryId}`),
        });
      }
      if (action === 'order/add') {
        if (body.delivery_token !== tokens.get(`${shopOrderId}:${deliveryId}`))
          return answer(930559, 'delivery_token 无效');
        const waybillId = `WX${digits(14)}`;
        fake.waybills.set(shopOrderId, { shopOrderId, waybillId, deliveryId, status: 'placed' });
        return answer(0, 'ok', { fee: o.prices[deliveryId]!.fee / 100, waybill_id: waybillId, order_status: 101 });
      }
      if (action === 'order/cancel') {
        const w = fake.waybills.get(shopOrderId);
        if (!w || w.waybillId !== body.waybill_id) return answer(930561, '订单不存在');
        w.status = 'cancelled';
        return answer(0, 'ok', { deduct_fee: 0, desc: '' });
      }
      return Response.json({ errcode: 404, errmsg: 'no such api' });
    },
  };
  return fake;
}

/** An `update_waybill_status` push, signed as the mini program message push is. */
export async function wechatDeliveryPush(
  o: { pushToken: string; shopId: string },
  waybill: { shopOrderId: string; waybillId: string },
  status: number,
  extra: Record<string, unknown> = {},
): Promise<{ query: string; body: string }> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = digits(9);
  const signature = await sha1Hex([o.pushToken, timestamp, nonce].sort().join(''));
  const body = JSON.stringify({
    ToUserName: 'gh_tiffin',
    FromUserName: 'o_wechat_delivery',
    CreateTime: Number(timestamp),
    MsgType: 'event',
    Event: 'update_waybill_status',
    shopid: o.shopId,
    shop_order_id: waybill.shopOrderId,
    waybill_id: waybill.waybillId,
    action_time: Number(timestamp),
    order_status: status,
    action_msg: '',
    ...extra,
  });
  return { query: `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, body };
}
