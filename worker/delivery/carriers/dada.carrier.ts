import {
  dadaCallbackSignature,
  dadaRequestSignature,
  sameSignature,
} from '../../../domain/delivery/carrier-signatures';
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
  fen,
  field,
  postJson,
  type QuoteResult,
  readCallback,
  yuan,
} from './carrier';

/** A store's Dada account (`newopen.imdada.cn`). */
export interface DadaAccount {
  appKey: string;
  appSecret: string;
  /** The merchant id (商户编号), sent as `source_id`. */
  sourceId: string;
  /** The store's number at Dada (门店编号). */
  shopNo: string;
  /** Dada's city code of the store (`021` Shanghai). */
  cityCode: string;
  /** Dada's QA host (`newopen.qa.imdada.cn`) instead of production. */
  sandbox?: boolean;
}

/** Why a dispatch is cancelled, in Dada's list: 4 = the customer cancelled (verify the id list in the sandbox). */
const CANCEL_REASON_ID = 4;

/**
 * Dada's open API: every call is a POST of `{app_key, body (JSON text), format, v,
 * source_id, timestamp, signature}` answered `{status, code, msg, result}` (code 0 = done).
 * Quote with `queryDeliverFee` (its `deliveryNo` holds the price for three minutes), place
 * with `addAfterQuery`, cancel with `formalCancel`, the rider's position from `status/query`.
 */
export function dadaCarrier(a: DadaAccount, t: CarrierTransport): Carrier {
  const base = a.sandbox ? 'https://newopen.qa.imdada.cn' : 'https://newopen.imdada.cn';

  async function call(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const fields: Record<string, string> = {
      app_key: a.appKey,
      body: JSON.stringify(body),
      format: 'json',
      // (verify) whether Dada signs source_id: REFERENCES lists it among the signed fields.
      source_id: a.sourceId,
      timestamp: String(Math.floor(t.now() / 1000)),
      v: '1.0',
    };
    const signature = await dadaRequestSignature(a.appSecret, fields);
    const answer = await postJson(t, `${base}${path}`, JSON.stringify({ ...fields, signature }), `dada ${path}`);
    if (answer.code !== 0 || answer.status !== 'success') {
      throw new CarrierError('carrier.rejected', `dada ${path}: ${String(answer.code)} ${String(answer.msg ?? '')}`);
    }
    return (answer.result ?? {}) as Record<string, unknown>;
  }

  return {
    name: 'dada',
    async quote(req: DispatchRequest): Promise<QuoteResult> {
      const r = await call('/api/order/queryDeliverFee', {
        shop_no: a.shopNo,
        origin_id: req.shopOrderId,
        city_code: a.cityCode,
        cargo_price: yuan(req.goodsValue),
        is_prepay: 0,
        receiver_name: req.receiver.name,
        receiver_address: req.receiver.address,
        receiver_lat: req.receiver.lat,
        receiver_lng: req.receiver.lng,
        receiver_phone: req.receiver.phone,
        callback: req.callbackUrl,
        cargo_weight: 1,
        origin_mark: 'Tiffin',
        origin_mark_no: req.ticketNo,
        ...(req.note ? { info: req.note } : {}),
      });
      if (typeof r.deliveryNo !== 'string' || !Number.isFinite(Number(r.fee))) {
        throw new CarrierError('carrier.malformed', 'dada queryDeliverFee: no deliveryNo or fee');
      }
      const distance = Math.round(Number(r.distance ?? 0));
      // Dada's quote carries a distance, not a promised time: estimated from it.
      return { fee: fen(r.fee), minutes: estimatedMinutes(distance), distanceMetres: distance, token: r.deliveryNo };
    },
    async place(_req, quote) {
      if (!quote.token) throw new CarrierError('carrier.malformed', 'dada addAfterQuery needs a deliveryNo');
      await call('/api/order/addAfterQuery', { deliveryNo: quote.token });
      return { trackingNo: quote.token, fee: quote.fee };
    },
    async cancel(ref: DispatchRef, reason: string) {
      await call('/api/order/formalCancel', {
        order_id: ref.shopOrderId,
        cancel_reason_id: CANCEL_REASON_ID,
        cancel_reason: reason,
      });
    },
    async riderPosition(ref: DispatchRef) {
      const r = await call('/api/order/status/query', { order_id: ref.shopOrderId });
      const lat = Number(r.transporterLat);
      const lng = Number(r.transporterLng);
      return r.transporterLat && Number.isFinite(lat) && Number.isFinite(lng) ? { lat, lng } : null;
    },
    verifyCallback: verifyDadaCallback,
  };
}

/** The dispatch a Dada callback is about: its `order_id` is our `origin_id`. */
export function dadaCallbackOrder(body: string): string {
  return field(callbackJson(body), 'order_id');
}

/** Checks a Dada callback's signature (no secret: md5 of three sorted values) and reads it. */
export async function verifyDadaCallback(_url: URL, body: string): Promise<CarrierCallback> {
  const b = callbackJson(body);
  const signed = {
    client_id: String(b.client_id ?? ''),
    order_id: field(b, 'order_id'),
    update_time: field(b, 'update_time'),
  };
  const expected = await dadaCallbackSignature(signed);
  if (typeof b.signature !== 'string' || !sameSignature(b.signature.toLowerCase(), expected)) {
    throw new CallbackRefusal('signature_invalid', 'dada: the callback signature does not verify');
  }
  return readCallback(
    {
      status: field(b, 'order_status'),
      seconds: signed.update_time,
      riderName: b.dm_name,
      riderPhone: b.dm_mobile,
      reason: b.cancel_reason,
    },
    Date.now(),
  );
}

/**
 * Dada's answer to its callback: HTTP 200 means received; anything else makes Dada send it
 * again. The body follows Dada's own `{status, code, msg}` envelope (verify).
 */
export function dadaAnswer(ok: boolean, message = 'ok'): Response {
  return Response.json(
    ok ? { status: 'success', code: 0, msg: '成功' } : { status: 'fail', code: 2005, msg: message },
    { status: ok ? 200 : 400 },
  );
}
