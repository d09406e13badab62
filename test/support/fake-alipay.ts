/*
 * A fake Alipay OpenAPI gateway for tests, written independently of the adapter's signing code
 * so the two check each other: it verifies our RSA2 request signature with the app public key
 * exactly as the gateway does, keeps trades in memory, and answers `*_response` JSON signed over
 * the exact response text with the "Alipay" private key (slashes escaped, as Alipay does).
 */

const RSA2 = { name: 'RSASSA-PKCS1-v1_5' } as const;
const encoder = new TextEncoder();

/** base64 RSA2 signature of `content`. */
export async function rsa2SignForTest(content: string, key: CryptoKey): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign(RSA2, key, encoder.encode(content)));
  let bin = '';
  for (const b of sig) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** Checks a base64 RSA2 signature; false for anything undecodable. */
export async function rsa2VerifyForTest(content: string, sign: string, key: CryptoKey): Promise<boolean> {
  try {
    const sig = Uint8Array.from(atob(sign), (c) => c.charCodeAt(0));
    return await crypto.subtle.verify(RSA2, key, sig, encoder.encode(content));
  } catch {
    return false;
  }
}

/** Alipay's signing string: sorted, `skip` keys and empty values dropped, raw `k=v&…`. */
export function signingString(params: Record<string, string>, skip: string[]): string {
  return Object.keys(params)
    .filter((k) => !skip.includes(k) && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

function shanghaiNow(ms = Date.now()): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function fen(yuan: string): number {
  const [int = '', frac = ''] = yuan.split('.');
  return Number(int) * 100 + Number(frac.padEnd(2, '0'));
}

const yuan = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;

export interface FakeTrade {
  outTradeNo: string;
  tradeNo: string;
  totalAmount: string;
  subject: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
  refundedFen: number;
  refunds: Set<string>;
}

/** One request the gateway received, after it checked our signature. */
export interface GatewayCall {
  method: string;
  params: Record<string, string>;
  biz: Record<string, unknown>;
  signatureValid: boolean;
  queryKeys: string[];
  signal: AbortSignal | undefined;
}

/** Failures a test can inject into the next responses. */
export type GatewayFault = 'network' | 'http-502' | 'bad-response-sign' | 'system-busy' | undefined;

export interface FakeAlipay {
  fetch: typeof fetch;
  calls: GatewayCall[];
  trades: Map<string, FakeTrade>;
  fault: GatewayFault;
  /** The buyer pays in the cashier. */
  pay(outTradeNo: string): FakeTrade;
  close(outTradeNo: string): void;
}

/** A fake gateway for `appId`: requests must be signed with the key matching `appPublicKey`. */
export function createFakeAlipay(opts: {
  appId: string;
  appPublicKey: CryptoKey;
  alipayPrivateKey: CryptoKey;
}): FakeAlipay {
  const trades = new Map<string, FakeTrade>();
  const calls: GatewayCall[] = [];
  let seq = 0;

  async function respond(method: string, inner: Record<string, unknown>, fault: GatewayFault): Promise<Response> {
    const key = `${method.replaceAll('.', '_')}_response`;
    const text = JSON.stringify(inner).replaceAll('/', '\\/');
    const signed = fault === 'bad-response-sign' ? `${text} ` : text;
    const sign = await rsa2SignForTest(signed, opts.alipayPrivateKey);
    return new Response(`{"${key}":${text},"sign":"${sign}"}`, {
      headers: { 'content-type': 'application/json;charset=utf-8' },
    });
  }

  const fail = (sub_code: string, sub_msg: string) => ({ code: '40004', msg: 'Business Failed', sub_code, sub_msg });

  function handle(method: string, biz: Record<string, unknown>): Record<string, unknown> {
    const outTradeNo = String(biz.out_trade_no ?? '');
    const trade = trades.get(outTradeNo);
    if (method === 'alipay.trade.create') {
      if (!/^\d+\.\d{2}$/.test(String(biz.total_amount)) || !biz.subject || !(biz.buyer_id || biz.buyer_open_id)) {
        return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.missing-parameter', sub_msg: '缺少必选参数' };
      }
      const t = trade ?? {
        outTradeNo,
        tradeNo: `2025010122001400${String(++seq).padStart(12, '0')}`,
        totalAmount: String(biz.total_amount),
        subject: String(biz.subject),
        status: 'WAIT_BUYER_PAY' as const,
        refundedFen: 0,
        refunds: new Set<string>(),
      };
      trades.set(outTradeNo, t);
      return { code: '10000', msg: 'Success', out_trade_no: outTradeNo, trade_no: t.tradeNo };
    }
    if (!trade) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (method === 'alipay.trade.query') {
      return {
        code: '10000',
        msg: 'Success',
        trade_no: trade.tradeNo,
        out_trade_no: outTradeNo,
        buyer_logon_id: '159****5620',
        trade_status: trade.status,
        total_amount: trade.totalAmount,
        // A slash and non-ASCII text: re-serializing this member would not reproduce what was signed.
        store_name: 'Tiffin 静安店 / Jing’an',
      };
    }
    if (method === 'alipay.trade.refund') {
      const requestNo = String(biz.out_request_no ?? outTradeNo);
      const ok = { code: '10000', msg: 'Success', trade_no: trade.tradeNo, out_trade_no: outTradeNo };
      if (trade.refunds.has(requestNo)) return { ...ok, fund_change: 'N', refund_fee: yuan(trade.refundedFen) };
      if (trade.status !== 'TRADE_SUCCESS') return fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
      const amount = fen(String(biz.refund_amount));
      if (trade.refundedFen + amount > fen(trade.totalAmount)) {
        return fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
      }
      trade.refundedFen += amount;
      trade.refunds.add(requestNo);
      if (trade.refundedFen === fen(trade.totalAmount)) trade.status = 'TRADE_CLOSED';
      return { ...ok, fund_change: 'Y', refund_fee: yuan(trade.refundedFen) };
    }
    return { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' };
  }

  const fake: FakeAlipay = {
    calls,
    trades,
    fault: undefined,
    async fetch(input, init) {
      const fault = fake.fault;
      if (fault === 'network') throw new TypeError('Network connection lost.');
      if (fault === 'http-502') return new Response('<html>Bad Gateway</html>', { status: 502 });
      const req = new Request(input, init);
      const url = new URL(req.url);
      const params: Record<string, string> = Object.fromEntries(url.searchParams);
      const form = new TextDecoder().decode(await req.arrayBuffer());
      for (const [k, v] of new URLSearchParams(form)) params[k] = v;
      const method = params.method ?? '';
      if (params.app_id !== opts.appId) {
        return Response.json({
          error_response: {
            code: '40002',
            msg: 'Invalid Arguments',
            sub_code: 'isv.invalid-app-id',
            sub_msg: '无效的AppID参数',
          },
        });
      }
      const content = signingString(params, ['sign']);
      const signatureValid =
        params.sign_type === 'RSA2' && (await rsa2VerifyForTest(content, params.sign ?? '', opts.appPublicKey));
      const biz = JSON.parse(params.biz_content ?? '{}') as Record<string, unknown>;
      calls.push({
        method,
        params,
        biz,
        signatureValid,
        queryKeys: [...url.searchParams.keys()],
        signal: init?.signal ?? undefined,
      });
      if (!signatureValid) {
        return respond(
          method,
          {
            code: '40002',
            msg: 'Invalid Arguments',
            sub_code: 'isv.invalid-signature',
            sub_msg: `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`,
          },
          fault,
        );
      }
      if (fault === 'system-busy') {
        return respond(
          method,
          { code: '20000', msg: 'Service Currently Unavailable', sub_code: 'isp.unknow-error', sub_msg: '系统繁忙' },
          fault,
        );
      }
      return respond(method, handle(method, biz), fault);
    },
    pay(outTradeNo) {
      const t = trades.get(outTradeNo);
      if (!t) throw new Error(`no trade ${outTradeNo}`);
      t.status = 'TRADE_SUCCESS';
      return t;
    },
    close(outTradeNo) {
      const t = trades.get(outTradeNo);
      if (t) t.status = 'TRADE_CLOSED';
    },
  };
  return fake;
}

/**
 * A form body exactly as Alipay POSTs an async notification: defaults for the envelope fields,
 * signed over everything but `sign`/`sign_type` (raw values), then form-encoded.
 */
export async function signedNotification(
  alipayPrivateKey: CryptoKey,
  fields: Record<string, string>,
  opts: { omit?: string[] } = {},
): Promise<string> {
  const params: Record<string, string> = {
    notify_time: shanghaiNow(),
    notify_type: 'trade_status_sync',
    notify_id: `2025010100222${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
    charset: 'utf-8',
    version: '1.0',
    sign_type: 'RSA2',
    ...fields,
  };
  params.sign = await rsa2SignForTest(signingString(params, ['sign', 'sign_type']), alipayPrivateKey);
  for (const k of opts.omit ?? []) delete params[k];
  return new URLSearchParams(params).toString();
}
