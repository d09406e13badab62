/*
 * A fake SF same-city open API (openic.sf-express.com), written from SF's side: it checks
 * every request's `sign` itself (base64 of the md5 hex of body&dev_id&dev_key, on
 * crypto.subtle), keeps the orders it took, and builds pushes signed the same way.
 */
import { type CarrierRequestLog, digits, type FakeMode, hang, md5Hex } from './carrier-wire';

export interface FakeSfOptions {
  devId: string;
  devKey: string;
  shopId: string;
  /** What it quotes: fee in fen, promised minutes, distance in metres. */
  fee: number;
  minutes: number;
  distance: number;
}

export interface SfOrder {
  shopOrderId: string;
  sfOrderId: string;
  status: 'placed' | 'cancelled';
  productReady: boolean;
}

export interface FakeSf {
  fetch: typeof fetch;
  mode: FakeMode;
  requests: CarrierRequestLog[];
  orders: Map<string, SfOrder>;
}

export async function sfSignOf(body: string, devId: string, devKey: string): Promise<string> {
  return btoa(await md5Hex(`${body}&${devId}&${devKey}`));
}

const answer = (error_code: number, error_msg: string, result: unknown = {}) =>
  Response.json({ error_code, error_msg, result });

export function fakeSf(o: FakeSfOptions): FakeSf {
  const fake: FakeSf = {
    mode: 'ok',
    requests: [],
    orders: new Map(),
    fetch: async (input, init) => {
      if (fake.mode === 'hang') return hang(init);
      const req = new Request(input, init);
      const url = new URL(req.url);
      const text = await req.text();
      const body = JSON.parse(text) as Record<string, unknown>;
      const signed = url.searchParams.get('sign') === (await sfSignOf(text, o.devId, o.devKey));
      fake.requests.push({ path: url.pathname, body, signed });
      if (fake.mode === 'down') throw new TypeError('Network connection lost.');
      if (url.hostname !== 'openic.sf-express.com') return answer(404, 'no such host');
      if (!signed || String(body.dev_id) !== o.devId) return answer(1003, 'sign error');
      if (Math.abs(Date.now() / 1000 - Number(body.push_time)) > 600) return answer(1004, 'push_time expired');
      const method = url.pathname.replace('/open/api/external/', '');
      if (method === 'precreateorder') {
        if (body.shop_id !== o.shopId) return answer(2001, 'shop not found');
        return answer(0, 'success', {
          total_price: o.fee,
          real_pay_money: o.fee,
          delivery_distance_meter: o.distance,
          promise_delivery_time: o.minutes,
        });
      }
      if (method === 'createorder') {
        const shopOrderId = String(body.shop_order_id);
        const receive = body.receive as Record<string, unknown> | undefined;
        if (!receive?.user_phone || !receive.user_address) return answer(2002, 'receive required');
        const sfOrderId = `JS${digits(14)}`;
        fake.orders.set(sfOrderId, { shopOrderId, sfOrderId, status: 'placed', productReady: false });
        return answer(0, 'success', { sf_order_id: sfOrderId, shop_order_id: shopOrderId, total_price: o.fee });
      }
      const order = fake.orders.get(String(body.order_id));
      if (!order) return answer(2003, 'order not found');
      if (method === 'cancelorder') {
        order.status = 'cancelled';
        return answer(0, 'success', { sf_order_id: order.sfOrderId, deduction_detail: {} });
      }
      if (method === 'notifyproductready') {
        order.productReady = true;
        return answer(0, 'success');
      }
      if (method === 'riderlatestposition') {
        return answer(0, 'success', { rider_name: '李师傅', rider_lat: '31.2330', rider_lng: '121.4750' });
      }
      return answer(404, 'no such method');
    },
  };
  return fake;
}

/** An SF status push, signed as SF signs it: the `?sign=` query and the exact body. */
export async function sfCallback(
  o: Pick<FakeSfOptions, 'devId' | 'devKey'>,
  order: { shopOrderId: string; sfOrderId: string },
  status: number,
  extra: Record<string, unknown> = {},
): Promise<{ query: string; body: string }> {
  const body = JSON.stringify({
    sf_order_id: order.sfOrderId,
    shop_order_id: order.shopOrderId,
    url_index: 'rider_status',
    order_status: status,
    status_desc: '',
    push_time: Math.floor(Date.now() / 1000),
    ...extra,
  });
  return { query: `sign=${encodeURIComponent(await sfSignOf(body, o.devId, o.devKey))}`, body };
}
