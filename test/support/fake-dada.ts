/*
 * A fake Dada open API (newopen.imdada.cn), written from Dada's side: it checks every
 * request's signature itself (UPPER md5 of secret + sorted k+v + secret, on crypto.subtle,
 * not the adapter's code), keeps the orders it took, and builds callbacks signed as Dada
 * signs them (md5 of the sorted values of client_id, order_id, update_time).
 */
import { type CarrierRequestLog, digits, type FakeMode, hang, md5Hex } from './carrier-wire';

export interface FakeDadaOptions {
  appKey: string;
  appSecret: string;
  sourceId: string;
  shopNo: string;
  /** The fee it quotes, in fen, and the distance in metres. */
  fee: number;
  distance: number;
}

export interface DadaOrder {
  originId: string;
  deliveryNo: string;
  status: 'quoted' | 'placed' | 'cancelled';
  callback: string;
}

export interface FakeDada {
  fetch: typeof fetch;
  mode: FakeMode;
  requests: CarrierRequestLog[];
  orders: Map<string, DadaOrder>;
  /** Where the rider is, for `status/query`. */
  rider: { name: string; phone: string; lat: number; lng: number };
}

const answer = (code: number, msg: string, result: unknown = null) =>
  Response.json({ status: code === 0 ? 'success' : 'fail', code, msg, result });

export function fakeDada(o: FakeDadaOptions): FakeDada {
  const fake: FakeDada = {
    mode: 'ok',
    requests: [],
    orders: new Map(),
    rider: { name: '张师傅', phone: '13900001111', lat: 31.2351, lng: 121.4788 },
    fetch: async (input, init) => {
      if (fake.mode === 'hang') return hang(init);
      const req = new Request(input, init);
      const url = new URL(req.url);
      const outer = (await req.json()) as Record<string, string>;
      const { signature, ...fields } = outer;
      const joined = Object.keys(fields)
        .sort()
        .map((k) => `${k}${fields[k]}`)
        .join('');
      const expected = (await md5Hex(`${o.appSecret}${joined}${o.appSecret}`)).toUpperCase();
      const signed = signature === expected && fields.app_key === o.appKey && fields.source_id === o.sourceId;
      const body = JSON.parse(fields.body ?? '{}') as Record<string, unknown>;
      fake.requests.push({ path: url.pathname, body, signed });
      if (fake.mode === 'down') return new Response('Bad Gateway', { status: 502 });
      if (url.hostname !== 'newopen.imdada.cn') return answer(404, 'no such host');
      if (!signed) return answer(2003, '签名错误');
      if (fields.format !== 'json' || fields.v !== '1.0') return answer(2001, '参数错误');
      if (Math.abs(Date.now() / 1000 - Number(fields.timestamp)) > 600) return answer(2004, 'timestamp 过期');

      if (url.pathname === '/api/order/queryDeliverFee') {
        if (body.shop_no !== o.shopNo) return answer(2060, '门店编号不存在');
        if (typeof body.callback !== 'string' || typeof body.origin_id !== 'string') return answer(2001, '参数错误');
        const deliveryNo = `Dada${digits(16)}`;
        fake.orders.set(body.origin_id, {
          originId: body.origin_id,
          deliveryNo,
          status: 'quoted',
          callback: body.callback,
        });
        return answer(0, '成功', {
          distance: o.distance,
          deliveryNo,
          fee: o.fee / 100,
          deliverFee: o.fee / 100,
          couponFee: 0,
          insuranceFee: 0,
        });
      }
      if (url.pathname === '/api/order/addAfterQuery') {
        const order = [...fake.orders.values()].find((x) => x.deliveryNo === body.deliveryNo);
        if (!order) return answer(2076, '询价单不存在');
        order.status = 'placed';
        return answer(0, '成功');
      }
      if (url.pathname === '/api/order/formalCancel') {
        const order = fake.orders.get(String(body.order_id));
        if (order?.status !== 'placed') return answer(2008, '订单不存在');
        order.status = 'cancelled';
        return answer(0, '成功', { deduct_fee: 0 });
      }
      if (url.pathname === '/api/order/status/query') {
        if (!fake.orders.has(String(body.order_id))) return answer(2008, '订单不存在');
        const r = fake.rider;
        return answer(0, '成功', {
          transporterName: r.name,
          transporterPhone: r.phone,
          transporterLat: String(r.lat),
          transporterLng: String(r.lng),
        });
      }
      return answer(404, 'no such API');
    },
  };
  return fake;
}

/** A Dada status callback for one order, signed as Dada signs it (or with `signature` forced). */
export async function dadaCallback(
  order: { originId: string; deliveryNo: string },
  status: number,
  opts: {
    updateTime?: number;
    rider?: { name: string; phone: string };
    signature?: string;
    cancelReason?: string;
  } = {},
): Promise<string> {
  const updateTime = opts.updateTime ?? Math.floor(Date.now() / 1000);
  const clientId = order.deliveryNo;
  const values = [clientId, order.originId, String(updateTime)].sort();
  const signature = opts.signature ?? (await md5Hex(values.join('')));
  return JSON.stringify({
    client_id: clientId,
    order_id: order.originId,
    order_status: status,
    cancel_reason: opts.cancelReason ?? '',
    cancel_from: opts.cancelReason ? 1 : 0,
    update_time: updateTime,
    signature,
    dm_id: opts.rider ? 1024 : 0,
    dm_name: opts.rider?.name ?? '',
    dm_mobile: opts.rider?.phone ?? '',
  });
}
