/*
 * A fake WeChat Pay API v3 server, written from WeChat's side of the wire and on
 * crypto.subtle directly (not the adapter's helpers), so a test against it proves the
 * adapter's signing and verification rather than agreeing with itself.
 */

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const enc = new TextEncoder();

/** The platform side: the WeChat Pay private key and the public-key id it announces. */
export interface PlatformSigner {
  privateKey: CryptoKey;
  serial: string;
}

/** An order as the fake server keeps it; tests edit `tradeState` to simulate the payer. */
export interface FakeOrder {
  outTradeNo: string;
  transactionId: string;
  total: number;
  tradeState: string;
  body: Record<string, unknown>;
}

export interface FakeWechatPayOptions {
  appId: string;
  mchId: string;
  merchantSerialNo: string;
  merchantPublicKey: CryptoKey;
  platform: PlatformSigner;
  clock?: () => number;
}

/** What a request looked like and how the fake answered it. */
export interface FakeRequestLog {
  method: string;
  pathWithQuery: string;
  headers: Headers;
  body: string;
  status: number;
  errorCode?: string;
}

export interface FakeWechatPay {
  fetch: typeof fetch;
  orders: Map<string, FakeOrder>;
  requests: FakeRequestLog[];
  /** The `status` the next refunds answer with (SUCCESS, PROCESSING, ABNORMAL, CLOSED). */
  refundStatus: string;
  /** Forge answers to check the adapter verifies them: drop the headers or break the signature. */
  forgeResponses?: 'unsigned' | 'bad-signature';
}

const b64 = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const alnum = (n: number) => {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => abc[b % abc.length]).join('');
};
const digits = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b % 10).join('');

async function sign(key: CryptoKey, message: string): Promise<string> {
  return b64(new Uint8Array(await crypto.subtle.sign(RSA, key, enc.encode(message))));
}

/** Wechatpay-* headers for a body, signed with the platform key over `TS\nNONCE\nBODY\n`. */
export async function wechatpayHeaders(
  platform: PlatformSigner,
  body: string,
  opts: { timestamp?: number; serial?: string; signature?: string } = {},
): Promise<Record<string, string>> {
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = alnum(32);
  const signature = opts.signature ?? (await sign(platform.privateKey, `${timestamp}\n${nonce}\n${body}\n`));
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': opts.serial ?? platform.serial,
  };
}

class Reject extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Checks the Authorization header the way WeChat does; throws a 401 SIGN_ERROR otherwise. */
async function checkAuthorization(req: Request, pathWithQuery: string, body: string, o: FakeWechatPayOptions) {
  const auth = req.headers.get('Authorization') ?? '';
  const scheme = 'WECHATPAY2-SHA256-RSA2048 ';
  if (!auth.startsWith(scheme))
    throw new Reject(401, 'SIGN_ERROR', 'Authorization scheme is not WECHATPAY2-SHA256-RSA2048');
  const params = Object.fromEntries(
    Array.from(auth.slice(scheme.length).matchAll(/(\w+)="([^"]*)"/g), (m) => [m[1], m[2]]),
  );
  const { mchid, nonce_str, signature, timestamp, serial_no } = params;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) {
    throw new Reject(401, 'SIGN_ERROR', 'Authorization lacks a required field');
  }
  if (mchid !== o.mchId) throw new Reject(401, 'SIGN_ERROR', 'mchid does not match');
  if (serial_no !== o.merchantSerialNo) throw new Reject(401, 'SIGN_ERROR', 'unknown merchant serial_no');
  const now = (o.clock ?? Date.now)() / 1000;
  if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > 300) {
    throw new Reject(401, 'SIGN_ERROR', 'timestamp out of range');
  }
  const message = `${req.method}\n${pathWithQuery}\n${timestamp}\n${nonce_str}\n${body}\n`;
  let ok = false;
  try {
    ok = await crypto.subtle.verify(RSA, o.merchantPublicKey, unb64(signature), enc.encode(message));
  } catch {
    ok = false;
  }
  if (!ok) throw new Reject(401, 'SIGN_ERROR', '签名错误');
}

function param(ok: boolean, message: string): void {
  if (!ok) throw new Reject(400, 'PARAM_ERROR', message);
}

const isFen = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function jsapi(o: FakeWechatPayOptions, fake: FakeWechatPay, b: Record<string, unknown>) {
  const amount = b.amount as { total?: unknown; currency?: unknown } | undefined;
  const payer = b.payer as { openid?: unknown } | undefined;
  param(b.appid === o.appId && b.mchid === o.mchId, 'appid/mchid mismatch');
  param(typeof b.description === 'string' && Array.from(b.description).length <= 127, 'description too long');
  param(typeof b.out_trade_no === 'string' && /^[A-Za-z0-9_\-|*]{6,32}$/.test(b.out_trade_no), 'bad out_trade_no');
  param(
    typeof b.time_expire === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/.test(b.time_expire),
    'bad time_expire',
  );
  param(typeof b.notify_url === 'string' && b.notify_url.startsWith('https://'), 'notify_url must be https');
  param(isFen(amount?.total) && amount?.currency === 'CNY', 'amount.total must be integer fen in CNY');
  param(typeof payer?.openid === 'string' && payer.openid.length > 0, 'payer.openid required');
  const outTradeNo = b.out_trade_no as string;
  if (!fake.orders.has(outTradeNo)) {
    fake.orders.set(outTradeNo, {
      outTradeNo,
      transactionId: `42000${digits(23)}`,
      total: amount?.total as number,
      tradeState: 'NOTPAY',
      body: b,
    });
  }
  return { status: 200, json: { prepay_id: `wx${digits(14)}${alnum(20)}` } };
}

function refund(fake: FakeWechatPay, b: Record<string, unknown>) {
  const amount = b.amount as { refund?: unknown; total?: unknown; currency?: unknown } | undefined;
  param(typeof b.out_refund_no === 'string' && b.out_refund_no.length <= 64, 'bad out_refund_no');
  param(isFen(amount?.refund) && isFen(amount?.total) && amount?.currency === 'CNY', 'amounts must be integer fen');
  const order = fake.orders.get(String(b.out_trade_no));
  if (!order) throw new Reject(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  if (order.tradeState !== 'SUCCESS' && order.tradeState !== 'REFUND')
    throw new Reject(403, 'NOT_ENOUGH', '订单未支付');
  param(amount?.total === order.total && (amount?.refund as number) <= order.total, 'refund exceeds total');
  order.tradeState = 'REFUND';
  return {
    status: 200,
    json: {
      refund_id: `50300${digits(24)}`,
      out_refund_no: b.out_refund_no,
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      status: fake.refundStatus,
      amount: { refund: amount?.refund, total: order.total, currency: 'CNY' },
    },
  };
}

function query(o: FakeWechatPayOptions, fake: FakeWechatPay, url: URL, outTradeNo: string) {
  param(url.searchParams.get('mchid') === o.mchId, 'mchid query parameter required');
  const order = fake.orders.get(decodeURIComponent(outTradeNo));
  if (!order) throw new Reject(404, 'ORDER_NOT_EXIST', '订单不存在');
  const paid = order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND';
  return {
    status: 200,
    json: {
      appid: o.appId,
      mchid: o.mchId,
      out_trade_no: order.outTradeNo,
      transaction_id: paid ? order.transactionId : undefined,
      trade_state: order.tradeState,
      amount: { total: order.total, payer_total: paid ? order.total : undefined, currency: 'CNY' },
    },
  };
}

/** A fetch function that behaves like api.mch.weixin.qq.com for jsapi, refunds and order query. */
export function fakeWechatPay(o: FakeWechatPayOptions): FakeWechatPay {
  const fake: FakeWechatPay = {
    orders: new Map(),
    requests: [],
    refundStatus: 'PROCESSING',
    fetch: async (input, init) => {
      const req = new Request(input, init);
      const url = new URL(req.url);
      const pathWithQuery = `${url.pathname}${url.search}`;
      const body = req.method === 'GET' ? '' : await req.text();
      let status: number;
      let json: unknown;
      let errorCode: string | undefined;
      try {
        if (!req.headers.get('User-Agent')) throw new Reject(400, 'PARAM_ERROR', 'User-Agent is required');
        if (!req.headers.get('Accept')?.includes('application/json')) {
          throw new Reject(400, 'PARAM_ERROR', 'Accept must be application/json');
        }
        await checkAuthorization(req, pathWithQuery, body, o);
        if (req.method === 'POST' && req.headers.get('Content-Type') !== 'application/json') {
          throw new Reject(400, 'PARAM_ERROR', 'Content-Type must be application/json');
        }
        const parsed = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
        const byOutTradeNo = url.pathname.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/);
        if (req.method === 'POST' && url.pathname === '/v3/pay/transactions/jsapi')
          ({ status, json } = jsapi(o, fake, parsed));
        else if (req.method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') {
          ({ status, json } = refund(fake, parsed));
        } else if (req.method === 'GET' && byOutTradeNo?.[1]) ({ status, json } = query(o, fake, url, byOutTradeNo[1]));
        else throw new Reject(404, 'NOT_FOUND', 'no such API');
      } catch (e) {
        if (!(e instanceof Reject)) throw e;
        status = e.status;
        errorCode = e.code;
        json = { code: e.code, message: e.message };
      }
      fake.requests.push({ method: req.method, pathWithQuery, headers: req.headers, body, status, errorCode });
      const text = JSON.stringify(json);
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Request-ID': alnum(24) };
      if (fake.forgeResponses !== 'unsigned') {
        const ts = Math.floor((o.clock ?? Date.now)() / 1000);
        Object.assign(headers, await wechatpayHeaders(o.platform, text, { timestamp: ts }));
        if (fake.forgeResponses === 'bad-signature')
          headers['Wechatpay-Signature'] = b64(crypto.getRandomValues(new Uint8Array(256)));
      }
      return new Response(text, { status, headers });
    },
  };
  return fake;
}

/**
 * Builds a real WeChat Pay callback: the resource plaintext encrypted with AES-256-GCM under
 * the APIv3 key (random 12-character nonce), wrapped in the notification envelope and
 * signed with the platform key. `tamper` edits the body after signing; `probe` sends a
 * WECHATPAY/SIGNTEST/ signature; `timestamp` is in seconds.
 */
export async function signedNotification(
  platform: PlatformSigner,
  apiV3Key: string,
  event: { eventType: string; resource: Record<string, unknown> },
  opts: { timestamp?: number; serial?: string; tamper?: boolean; probe?: boolean } = {},
): Promise<{ headers: Headers; body: string; id: string }> {
  const isRefund = event.eventType.startsWith('REFUND.');
  const associatedData = isRefund ? 'refund' : 'transaction';
  const nonce = alnum(12);
  const key = await crypto.subtle.importKey('raw', enc.encode(apiV3Key), 'AES-GCM', false, ['encrypt']);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: enc.encode(nonce), additionalData: enc.encode(associatedData) },
    key,
    enc.encode(JSON.stringify(event.resource)),
  );
  const id = crypto.randomUUID();
  const envelope = {
    id,
    create_time: `${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`,
    resource_type: 'encrypt-resource',
    event_type: event.eventType,
    summary: isRefund ? '退款成功' : '支付成功',
    resource: {
      original_type: isRefund ? 'refund' : 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: b64(new Uint8Array(sealed)),
      associated_data: associatedData,
      nonce,
    },
  };
  const body = JSON.stringify(envelope);
  const signature = opts.probe ? `WECHATPAY/SIGNTEST/${b64(crypto.getRandomValues(new Uint8Array(32)))}` : undefined;
  const headers = await wechatpayHeaders(platform, body, { timestamp: opts.timestamp, serial: opts.serial, signature });
  const sent = opts.tamper ? body.replace(envelope.summary, '支付成功 (edited)') : body;
  return { headers: new Headers(headers), body: sent, id };
}
