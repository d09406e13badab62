/*
 * A fake Ele.me open platform (NOP), written from the platform's side on crypto.subtle
 * directly: it issues client_credentials tokens, recomputes every call's signature
 * (UPPER(md5(action + token + sorted key=JSON(value) of metas and params + secret))) and
 * answers INVALID_SIGNATURE / UNAUTHORIZED as Ele.me does; it records each call. It also
 * signs pushes as Ele.me signs them.
 */

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
const MD5 = async (s: string) => hex(await crypto.subtle.digest('MD5', new TextEncoder().encode(s))).toUpperCase();
const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

export interface ElemeCall {
  action: string;
  params: Record<string, unknown>;
  signatureOk: boolean;
}

export interface FakeEleme {
  base: string;
  fetch: (request: Request) => Promise<Response>;
  calls: ElemeCall[];
  ok(action?: string): ElemeCall[];
  tokensIssued: number;
  /** An order the platform holds (as its type-10 push's message), listed and read by the poll calls. */
  holdOrder(order: Record<string, unknown>): void;
}

export function fakeEleme(opts: { appKey: string; secret: string; base?: string }): FakeEleme {
  const base = opts.base ?? 'https://eleme.fake';
  const issued = new Set<string>();
  const orders = new Map<string, Record<string, unknown>>();
  const fake: FakeEleme = {
    base,
    calls: [],
    tokensIssued: 0,
    holdOrder: (order) => {
      orders.set(String(order.id), order);
    },
    ok: (action) => fake.calls.filter((c) => c.signatureOk && (!action || c.action === action)),
    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === '/token') {
        const basic = `Basic ${btoa(`${opts.appKey}:${opts.secret}`)}`;
        if (request.headers.get('authorization') !== basic) return Response.json({ error: 'invalid_client' });
        const token = `tok_${crypto.randomUUID()}`;
        issued.add(token);
        fake.tokensIssued++;
        return Response.json({ access_token: token, token_type: 'Bearer', expires_in: 86400 });
      }
      const body = (await request.json().catch(() => null)) as {
        action: string;
        token: string;
        metas: Record<string, unknown>;
        params: Record<string, unknown>;
        signature: string;
      } | null;
      // Another platform's call (a Meituan store of another test, polled or carried by the queues): not ours.
      if (!body?.metas)
        return Response.json({ id: 'x', result: null, error: { code: 'UNAUTHORIZED', message: 'not NOP' } });
      const pairs = Object.entries({ ...body.metas, ...body.params })
        .sort(byKey)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('');
      const expected = await MD5(`${body.action}${body.token}${pairs}${opts.secret}`);
      const tokenOk = issued.has(body.token) && body.metas.app_key === opts.appKey;
      const signatureOk = tokenOk && body.signature === expected;
      fake.calls.push({ action: body.action, params: body.params, signatureOk });
      if (!tokenOk) return Response.json({ id: 'x', result: null, error: { code: 'UNAUTHORIZED', message: 'token' } });
      if (!signatureOk) {
        return Response.json({ id: 'x', result: null, error: { code: 'INVALID_SIGNATURE', message: 'signature' } });
      }
      if (body.action === 'eleme.order.getAllOrders') {
        const list = [...orders.values()];
        return Response.json({ id: 'x', result: { total: list.length, page: 1, list }, error: null });
      }
      if (body.action === 'eleme.order.getOrder') {
        const order = orders.get(String(body.params.orderId));
        if (!order)
          return Response.json({ id: 'x', result: null, error: { code: 'ORDER_NOT_FOUND', message: 'order' } });
        return Response.json({ id: 'x', result: order, error: null });
      }
      return Response.json({ id: 'x', result: null, error: null });
    },
  };
  return fake;
}

/** A push signed as Ele.me signs it: UPPER(md5(sorted key=value of every field + secret)). */
export async function elemePushBody(
  push: {
    requestId: string;
    type: number;
    appId: number;
    message: string;
    shopId: number;
    timestamp: number;
    userId: number;
  },
  secret: string,
) {
  const text = Object.entries(push)
    .sort(byKey)
    .map(([k, v]) => `${k}=${v}`)
    .join('');
  return JSON.stringify({ ...push, signature: await MD5(text + secret) });
}
