import { sameSignature, wechatDeliverySign, wechatPushSignature } from '../../../domain/delivery/carrier-signatures';
import { estimatedMinutes, pickCarrier } from '../../../domain/delivery/dispatch-rules';
import {
  CallbackRefusal,
  type Carrier,
  type CarrierCallback,
  CarrierError,
  type CarrierTransport,
  callbackJson,
  type DispatchRef,
  type DispatchRequest,
  fen,
  field,
  postJson,
  type QuoteResult,
  readCallback,
  yuan,
} from './carrier';

/** A store's WeChat instant delivery (即时配送) account. */
export interface WechatDeliveryAccount {
  /** `shopid`: the carrier appkey WeChat gave the store. */
  shopId: string;
  /** The AppSecret `delivery_sign` is computed with. */
  appSecret: string;
  /** The carriers behind WeChat this store may use (`SFTC`, `DADA`, `MTPS`, `SS` …). */
  deliveryIds: string[];
  /** `shop_no`: the store's number at those carriers. */
  shopNo: string;
  /** The mini program's message-push Token, which signs every push's URL. */
  pushToken: string;
  /** The mini program whose `access_token` the calls carry. */
  tokenAppId: string;
  tokenAppSecret: string;
}

const API = 'https://api.weixin.qq.com';
const BUSINESS = `${API}/cgi-bin/express/local/business`;
/** WeChat hands out the next token in the last 5 minutes of the current one. */
const REFRESH_MARGIN_MS = 300_000;
const tokens = new Map<string, { token: string; refreshAt: number }>();
/** Token requests under way: parallel quotes share one. */
const pending = new Map<string, Promise<string>>();

/**
 * The mini program's access token from `POST /cgi-bin/stable_token`, cached per isolate:
 * the stable token is the same for every caller while valid, so isolates do not retire
 * each other's (as `/cgi-bin/token` would; see worker/notify/push.adapter.ts).
 */
function accessToken(a: WechatDeliveryAccount, t: CarrierTransport): Promise<string> {
  const hit = tokens.get(a.tokenAppId);
  if (hit && t.now() < hit.refreshAt) return Promise.resolve(hit.token);
  let p = pending.get(a.tokenAppId);
  if (!p) {
    p = fetchToken(a, t).finally(() => pending.delete(a.tokenAppId));
    pending.set(a.tokenAppId, p);
  }
  return p;
}

async function fetchToken(a: WechatDeliveryAccount, t: CarrierTransport): Promise<string> {
  const body = JSON.stringify({ grant_type: 'client_credential', appid: a.tokenAppId, secret: a.tokenAppSecret });
  const r = await postJson(t, `${API}/cgi-bin/stable_token`, body, 'wechat stable_token');
  if (typeof r.access_token !== 'string' || typeof r.expires_in !== 'number') {
    throw new CarrierError('carrier.rejected', `wechat stable_token: ${String(r.errcode)} ${String(r.errmsg ?? '')}`);
  }
  tokens.set(a.tokenAppId, { token: r.access_token, refreshAt: t.now() + r.expires_in * 1000 - REFRESH_MARGIN_MS });
  return r.access_token;
}

/**
 * WeChat instant delivery: one API in front of SF, Dada, Shansong, Meituan … Each call
 * carries the mini program's `access_token` and `delivery_sign`; `order/pre_add` prices
 * with every carrier the store enabled (the store's rule picks among them, and its
 * `delivery_token` holds the price), `order/add` places, `order/cancel` cancels. Status
 * arrives as `update_waybill_status` message pushes.
 */
export function wechatCarrier(a: WechatDeliveryAccount, t: CarrierTransport, pick: 'cheapest' | 'fastest'): Carrier {
  async function call(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const token = await accessToken(a, t);
    const url = `${BUSINESS}/${path}?access_token=${encodeURIComponent(token)}`;
    const r = await postJson(t, url, JSON.stringify(body), `wechat ${path}`);
    if ((r.errcode !== undefined && r.errcode !== 0) || (r.resultcode !== undefined && r.resultcode !== 0)) {
      if (r.errcode === 40001 || r.errcode === 42001) tokens.delete(a.tokenAppId);
      const code = r.errcode && r.errcode !== 0 ? r.errcode : r.resultcode;
      throw new CarrierError(
        'carrier.rejected',
        `wechat ${path}: ${String(code)} ${String(r.resultmsg ?? r.errmsg ?? '')}`,
      );
    }
    return r;
  }

  const signed = async (shopOrderId: string, deliveryId: string) => ({
    shopid: a.shopId,
    shop_order_id: shopOrderId,
    shop_no: a.shopNo,
    delivery_sign: await wechatDeliverySign(a.shopId, shopOrderId, a.appSecret),
    delivery_id: deliveryId,
  });

  const orderBody = async (req: DispatchRequest, deliveryId: string) => ({
    ...(await signed(req.shopOrderId, deliveryId)),
    // (verify) openid is the guest's; WeChat documents it as required for order/add.
    openid: req.openid ?? '',
    sender: {
      name: req.pickup.name,
      city: req.pickup.city,
      address: req.pickup.address,
      address_detail: req.pickup.address,
      phone: req.pickup.phone,
      lng: req.pickup.lng,
      lat: req.pickup.lat,
      coordinate_type: 0,
    },
    receiver: {
      name: req.receiver.name,
      city: req.pickup.city,
      address: req.receiver.address,
      address_detail: req.receiver.address,
      phone: req.receiver.phone,
      lng: req.receiver.lng,
      lat: req.receiver.lat,
      coordinate_type: 0,
    },
    cargo: {
      goods_value: yuan(req.goodsValue),
      goods_weight: 1,
      goods_detail: { goods: req.goods.map((g) => ({ good_count: g.quantity, good_name: g.name })) },
      cargo_first_class: '美食宵夜',
      cargo_second_class: '快餐',
    },
    order_info: {
      order_time: Math.floor(t.now() / 1000),
      order_type: 0,
      poi_seq: req.ticketNo,
      note: req.note ?? '',
    },
    shop: {
      wxa_path: `/pages/order/index?id=${req.orderId}`,
      img_url: '',
      goods_name: req.goods[0]?.name ?? 'Order',
      goods_count: req.goods.reduce((n, g) => n + g.quantity, 0),
    },
  });

  async function quoteOne(req: DispatchRequest, deliveryId: string): Promise<QuoteResult> {
    const r = await call('order/pre_add', await orderBody(req, deliveryId));
    if (!Number.isFinite(Number(r.fee))) throw new CarrierError('carrier.malformed', 'wechat pre_add: no fee');
    const distance = Math.round(Number(r.distance ?? 0));
    return {
      fee: fen(r.fee),
      // pre_add's dispatch_duration is the wait for a rider, not the trip: estimated from the distance.
      minutes: estimatedMinutes(distance),
      distanceMetres: distance,
      ...(typeof r.delivery_token === 'string' && r.delivery_token ? { token: r.delivery_token } : {}),
      subCarrier: deliveryId,
    };
  }

  return {
    name: 'wechat',
    async quote(req: DispatchRequest): Promise<QuoteResult> {
      if (a.deliveryIds.length === 0) throw new CarrierError('carrier.rejected', 'wechat: no delivery_id enabled');
      const settled = await Promise.allSettled(a.deliveryIds.map((id) => quoteOne(req, id)));
      const ok = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      if (ok.length === 0) throw (settled[0] as PromiseRejectedResult).reason;
      // The store's rule picks among the carriers behind WeChat as it does among ours.
      const byName = new Map(ok.map((q) => [q.subCarrier!, q]));
      const winner = pickCarrier(
        ok.map((q) => ({ carrier: q.subCarrier as 'dada', ok: true as const, fee: q.fee, minutes: q.minutes })),
        pick,
      );
      return byName.get(winner!)!;
    },
    async place(req, quote) {
      const deliveryId = quote.subCarrier ?? a.deliveryIds[0]!;
      const r = await call('order/add', {
        ...(await orderBody(req, deliveryId)),
        ...(quote.token ? { delivery_token: quote.token } : {}),
      });
      if (typeof r.waybill_id !== 'string' || !r.waybill_id) {
        throw new CarrierError('carrier.malformed', 'wechat order/add: no waybill_id');
      }
      return { trackingNo: r.waybill_id, fee: Number.isFinite(Number(r.fee)) ? fen(r.fee) : quote.fee };
    },
    async cancel(ref: DispatchRef, reason: string) {
      await call('order/cancel', {
        ...(await signed(ref.shopOrderId, ref.subCarrier ?? a.deliveryIds[0]!)),
        waybill_id: ref.trackingNo,
        cancel_reason_id: 1,
        cancel_reason: reason,
      });
    },
    async verifyCallback(url: URL, body: string): Promise<CarrierCallback> {
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const nonce = url.searchParams.get('nonce') ?? '';
      const signature = url.searchParams.get('signature') ?? '';
      const expected = await wechatPushSignature(a.pushToken, timestamp, nonce);
      if (!signature || !sameSignature(signature, expected)) {
        throw new CallbackRefusal('signature_invalid', 'wechat: the push signature does not verify');
      }
      const b = callbackJson(body);
      const shopOrderId = field(b, 'shop_order_id');
      // (verify) WeChat's push names the shop; when it also carries delivery_sign, it must be ours.
      if (String(b.shopid ?? a.shopId) !== a.shopId) {
        throw new CallbackRefusal('signature_invalid', 'wechat: the push is for another shopid');
      }
      if (typeof b.delivery_sign === 'string') {
        const sign = await wechatDeliverySign(a.shopId, shopOrderId, a.appSecret);
        if (!sameSignature(b.delivery_sign, sign)) {
          throw new CallbackRefusal('signature_invalid', 'wechat: the push delivery_sign does not verify');
        }
      }
      const agent = (b.agent ?? {}) as Record<string, unknown>;
      return readCallback(
        {
          status: field(b, 'order_status'),
          seconds: b.action_time ?? b.CreateTime,
          riderName: agent.name,
          riderPhone: agent.phone,
          reason: b.action_msg,
        },
        t.now(),
      );
    },
  };
}

/** The answer WeChat expects to an `update_waybill_status` push: `{resultcode: 0, resultmsg: "ok"}`. */
export function wechatAnswer(ok: boolean, message = 'ok'): Response {
  return Response.json(ok ? { resultcode: 0, resultmsg: 'ok' } : { resultcode: 1, resultmsg: message }, {
    status: ok ? 200 : 400,
  });
}

/** Forgets cached access tokens (tests). */
export function forgetWechatTokens() {
  tokens.clear();
  pending.clear();
}
