/*
 * A fake Meituan Waimai open platform, written from the platform's side on crypto.subtle
 * directly (not our signing helper): every call's `sig` is recomputed over the URL called,
 * its sorted query and form params and the app secret, and a wrong one is answered 703 as
 * Meituan does. It records each call. It also signs pushes the way Meituan signs them, for
 * tests to send to our callback URLs.
 */

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const md5 = async (s: string) => hex(await crypto.subtle.digest('MD5', new TextEncoder().encode(s)));

/** Meituan's sig as the platform computes it: md5(url?sorted k=v&… + secret), lowercase. */
export async function meituanPlatformSig(url: string, params: Record<string, string>, secret: string) {
  const query = Object.entries(params)
    .filter(([k]) => k !== 'sig')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return md5(`${url}?${query}${secret}`);
}

export interface MeituanCall {
  /** The API path after `/api/v1/` (`order/confirm`). */
  path: string;
  method: string;
  params: Record<string, string>;
  sigOk: boolean;
}

export interface FakeMeituan {
  base: string;
  fetch: (request: Request) => Promise<Response>;
  calls: MeituanCall[];
  /** Calls answered ok (signature right). */
  ok(path?: string): MeituanCall[];
  /** The next `n` calls answer 502, as during an outage. */
  failNext(n: number): void;
  /** An order the platform holds (its new-order push's fields), listed and read by the poll calls. */
  holdOrder(params: Record<string, string>): void;
}

export function fakeMeituan(opts: { appId: string; secret: string; base?: string }): FakeMeituan {
  const base = opts.base ?? 'https://meituan.fake/api/v1';
  const calls: MeituanCall[] = [];
  const orders = new Map<string, Record<string, string>>();
  let failing = 0;
  return {
    base,
    calls,
    holdOrder: (params) => {
      orders.set(params.order_id!, params);
    },
    ok: (path) => calls.filter((c) => c.sigOk && (!path || c.path === path)),
    failNext: (n) => {
      failing = n;
    },
    async fetch(request) {
      const url = new URL(request.url);
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      if (request.method === 'POST') {
        const text = new TextDecoder().decode(await request.arrayBuffer());
        for (const [k, v] of new URLSearchParams(text)) params[k] = v;
      }
      // Another app's call (a store of another test, carried by the background queues): not ours to record.
      if (params.app_id !== opts.appId) return Response.json({ data: 'ng', error: { code: 705, msg: 'app_id' } });
      const path = url.pathname.replace(/^\/api\/v1\//, '');
      const expected = await meituanPlatformSig(`${url.origin}${url.pathname}`, params, opts.secret);
      const sigOk = params.sig === expected;
      calls.push({ path, method: request.method, params, sigOk });
      if (failing > 0) {
        failing--;
        return new Response('bad gateway', { status: 502 });
      }
      if (!sigOk) return Response.json({ data: 'ng', error: { code: 703, msg: '签名验证错误' } });
      // Every order it holds is of the day asked about (tests hold today's).
      if (path === 'order/getOrderIdByDaySeq') return Response.json({ data: [...orders.keys()] });
      if (path === 'order/getOrderDetail') {
        const order = orders.get(params.order_id ?? '');
        return order
          ? Response.json({ data: order })
          : Response.json({ data: 'ng', error: { code: 808, msg: '订单不存在' } });
      }
      return Response.json({ data: 'ok' });
    },
  };
}

/** A push signed the way Meituan signs it, for our registered URL; `timestamp` in seconds. */
export async function meituanPushBody(url: string, params: Record<string, string>, secret: string) {
  const sig = await meituanPlatformSig(url, params, secret);
  return new URLSearchParams({ ...params, sig }).toString();
}
