import { sameSignature, sfSign } from '../../../domain/delivery/carrier-signatures';
import { estimatedMinutes } from '../../../domain/delivery/dispatch-rules';
import {
  CallbackRefusal,
  type Carrier,
  type CarrierCallback,
  CarrierError,
  type CarrierTransport,
  callbackJson,
  type DispatchRef,
  type DispatchRequest,
  field,
  postJson,
  type QuoteResult,
  readCallback,
} from './carrier';

/** A store's SF same-city account (`openic.sf-express.com`). */
export interface SfAccount {
  devId: string;
  devKey: string;
  /** The store's id at SF (店铺 ID). */
  shopId: string;
}

/** SF's product type for food (verify: 1 = 快餐 in SF's list). */
const FOOD = 1;
/** Coordinates are GCJ-02 (Gaode, 高德), as WeChat's map gives them. */
const LBS_GCJ02 = 2;

/**
 * SF same-city's open API: POST JSON to `/open/api/external/{method}?sign=…`, `sign`
 * computed over the exact body text, answered `{error_code, error_msg, result}` (0 = done).
 * Quote with `precreateorder`, place with `createorder` (SF has no quote token: it prices
 * the order again), cancel with `cancelorder`, the rider from `riderlatestposition`, and
 * `notifyproductready` when the kitchen finishes.
 */
export function sfCarrier(a: SfAccount, t: CarrierTransport): Carrier {
  const base = 'https://openic.sf-express.com';
  const devId = Number(a.devId);

  async function call(method: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    const body = JSON.stringify({ dev_id: devId, ...fields, push_time: Math.floor(t.now() / 1000) });
    const sign = await sfSign(body, a.devId, a.devKey);
    const url = `${base}/open/api/external/${method}?sign=${encodeURIComponent(sign)}`;
    const answer = await postJson(t, url, body, `sf ${method}`);
    if (answer.error_code !== 0) {
      throw new CarrierError(
        'carrier.rejected',
        `sf ${method}: ${String(answer.error_code)} ${String(answer.error_msg ?? '')}`,
      );
    }
    return (answer.result ?? {}) as Record<string, unknown>;
  }

  const receive = (req: DispatchRequest) => ({
    user_name: req.receiver.name,
    user_phone: req.receiver.phone,
    user_address: req.receiver.address,
    user_lng: String(req.receiver.lng),
    user_lat: String(req.receiver.lat),
  });

  return {
    name: 'sf',
    async quote(req: DispatchRequest): Promise<QuoteResult> {
      const r = await call('precreateorder', {
        shop_id: a.shopId,
        shop_type: 1,
        lbs_type: LBS_GCJ02,
        user_lng: String(req.receiver.lng),
        user_lat: String(req.receiver.lat),
        user_address: req.receiver.address,
        city_name: req.pickup.city,
        weight: 1000,
        product_type: FOOD,
        total_price: req.goodsValue,
        is_appoint: 0,
        return_flag: 511,
      });
      const price = Number(r.real_pay_money ?? r.total_price);
      if (!Number.isFinite(price)) throw new CarrierError('carrier.malformed', 'sf precreateorder: no price');
      const distance = Math.round(Number(r.delivery_distance_meter ?? 0));
      // (verify) SF answers the promised minutes as `promise_delivery_time`; without it, from the distance.
      const promised = Number(r.promise_delivery_time);
      const minutes = Number.isFinite(promised) && promised > 0 ? Math.round(promised) : estimatedMinutes(distance);
      return { fee: Math.round(price), minutes, distanceMetres: distance };
    },
    async place(req, quote) {
      const r = await call('createorder', {
        shop_id: a.shopId,
        shop_type: 1,
        shop_order_id: req.shopOrderId,
        order_source: 'Tiffin',
        order_sequence: req.ticketNo,
        lbs_type: LBS_GCJ02,
        pay_type: 1,
        order_time: Math.floor(t.now() / 1000),
        is_appoint: 0,
        is_insured: 0,
        is_person_direct: 0,
        return_flag: 511,
        version: 19,
        remark: req.note ?? '',
        receive: receive(req),
        order_detail: {
          total_price: req.goodsValue,
          product_type: FOOD,
          weight_gram: 1000,
          product_num: req.goods.reduce((n, g) => n + g.quantity, 0),
          product_type_num: req.goods.length,
          product_detail: req.goods.map((g) => ({ product_name: g.name, product_num: g.quantity })),
        },
      });
      if (typeof r.sf_order_id !== 'string' && typeof r.sf_order_id !== 'number') {
        throw new CarrierError('carrier.malformed', 'sf createorder: no sf_order_id');
      }
      const price = Number(r.real_pay_money ?? r.total_price);
      return { trackingNo: String(r.sf_order_id), fee: Number.isFinite(price) ? Math.round(price) : quote.fee };
    },
    async cancel(ref: DispatchRef, reason: string) {
      await call('cancelorder', { order_id: ref.trackingNo, order_type: 1, cancel_code: 313, cancel_reason: reason });
    },
    async riderPosition(ref: DispatchRef) {
      const r = await call('riderlatestposition', { order_id: ref.trackingNo, order_type: 1 });
      const lat = Number(r.rider_lat);
      const lng = Number(r.rider_lng);
      return r.rider_lat && Number.isFinite(lat) && Number.isFinite(lng) ? { lat, lng } : null;
    },
    async notifyReady(ref: DispatchRef) {
      await call('notifyproductready', { order_id: ref.trackingNo, order_type: 1 });
    },
    async verifyCallback(url: URL, body: string): Promise<CarrierCallback> {
      const sign = url.searchParams.get('sign') ?? '';
      const expected = await sfSign(body, a.devId, a.devKey);
      if (!sign || !sameSignature(sign, expected)) {
        throw new CallbackRefusal('signature_invalid', 'sf: the callback sign does not verify');
      }
      return readSfCallback(callbackJson(body));
    },
  };
}

function readSfCallback(b: Record<string, unknown>): CarrierCallback {
  return readCallback(
    {
      status: field(b, 'order_status'),
      seconds: b.push_time,
      riderName: b.operator_name,
      riderPhone: b.operator_phone,
      lat: b.rider_lat,
      lng: b.rider_lng,
      reason: b.cancel_reason,
    },
    Date.now(),
  );
}

/** SF's answer to its push: `{"error_code":0,"error_msg":"success"}`; anything else is retried. */
export function sfAnswer(ok: boolean, message = 'success'): Response {
  return Response.json(ok ? { error_code: 0, error_msg: 'success' } : { error_code: 1001, error_msg: message }, {
    status: ok ? 200 : 400,
  });
}
