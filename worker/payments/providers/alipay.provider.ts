/*
 * Alipay adapter over the OpenAPI v1 gateway (gateway.do, RSA2). Mini program payments go
 * through alipay.trade.create → my.tradePay(tradeNO); H5 through a signed alipay.trade.wap.pay
 * URL the client opens. Every gateway answer is verified against Alipay's public key.
 */
import { quoteInput } from '../../../domain/bounded-text';
import {
  fenToYuan,
  importAlipayPublicKey,
  importAppPrivateKey,
  parseShanghaiTime,
  rsa2Verify,
  shanghaiTime,
  signParams,
  topLevelMemberText,
  verifyNotificationParams,
  yuanToFen,
} from './alipay.sign';
import {
  type CreatePaymentRequest,
  type CreatePaymentResult,
  type PaymentProvider,
  ProviderError,
  type ProviderNotification,
  type QueryResult,
  type RefundRequest,
  type RefundResult,
} from './provider';

export { canonicalString, fenToYuan, shanghaiTime, signParams, yuanToFen } from './alipay.sign';

export interface AlipayConfig {
  appId: string;
  /** Our app private key (PKCS#8, PEM or bare base64). */
  appPrivateKeyPem: string;
  /** Alipay's public key (SPKI, PEM or bare base64). */
  alipayPublicKeyPem: string;
  /** Default https://openapi.alipay.com/gateway.do. */
  gateway?: string;
  /** Checked against `seller_id` in notifications when set. */
  sellerId?: string;
}

/** The production OpenAPI gateway. */
export const ALIPAY_GATEWAY = 'https://openapi.alipay.com/gateway.do';
const TIMEOUT_MS = 8000;

/** Common params travel in the query string (as the official SDKs send them); biz_content in the form body. */
const QUERY_PARAMS = new Set([
  'app_id',
  'method',
  'format',
  'charset',
  'sign_type',
  'sign',
  'timestamp',
  'version',
  'notify_url',
]);

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function describe(r: Json): string {
  return [r.code, r.msg, r.sub_code, r.sub_msg].filter((x) => typeof x === 'string' && x).join(' / ');
}

/** Code 20000 and ACQ.SYSTEM_ERROR mean "retry with the same request", never a final answer. */
function isTransient(r: Json): boolean {
  return r.code === '20000' || r.sub_code === 'ACQ.SYSTEM_ERROR';
}

function businessError(method: string, r: Json): ProviderError {
  return new ProviderError(
    isTransient(r) ? 'payment.provider_unavailable' : 'payment.provider_rejected',
    `alipay ${method}: ${describe(r)}`,
  );
}

function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= make().catch((e: unknown) => {
      p = undefined;
      throw e;
    });
    return p;
  };
}

/** Alipay's 2088… user_id goes in buyer_id; newer apps only see the per-app open_id (buyer_open_id). */
function buyerField(buyerId: string): 'buyer_id' | 'buyer_open_id' {
  return /^2088\d{12}$/.test(buyerId) ? 'buyer_id' : 'buyer_open_id';
}

function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of new URLSearchParams(body)) {
    if (k in out) throw new ProviderError('payment.malformed', `duplicate field ${quoteInput(k)}`);
    out[k] = v;
  }
  return out;
}

/**
 * Builds the Alipay provider.
 * @param fetcher outbound HTTP (default globalThis.fetch), called with an 8 s AbortSignal.timeout.
 * @param clock epoch ms for the request `timestamp` (default Date.now).
 */
export function alipayProvider(
  config: AlipayConfig,
  fetcher: typeof fetch = (input, init) => globalThis.fetch(input, init),
  clock: () => number = Date.now,
): PaymentProvider {
  const gateway = config.gateway ?? ALIPAY_GATEWAY;
  const appKey = lazy(() => importAppPrivateKey(config.appPrivateKeyPem));
  const alipayKey = lazy(() => importAlipayPublicKey(config.alipayPublicKeyPem));

  async function signed(method: string, biz: Json, notifyUrl?: string): Promise<Record<string, string>> {
    return signParams(
      {
        app_id: config.appId,
        method,
        format: 'JSON',
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: shanghaiTime(clock()),
        version: '1.0',
        notify_url: notifyUrl,
        biz_content: JSON.stringify(biz),
      },
      await appKey(),
    );
  }

  /** Calls the gateway and returns the verified `<method>_response` object, whatever its code. */
  async function call(method: string, biz: Json, notifyUrl?: string): Promise<Json> {
    const params = await signed(method, biz, notifyUrl);
    const url = new URL(gateway);
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (QUERY_PARAMS.has(k)) url.searchParams.set(k, v);
      else form.set(k, v);
    }
    let raw: string;
    try {
      const res = await fetcher(url.toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      raw = await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (e) {
      throw new ProviderError('payment.provider_unavailable', `alipay ${method}: ${(e as Error).message ?? e}`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      throw new ProviderError('payment.provider_unavailable', `alipay ${method}: response is not JSON`);
    }
    const key = `${method.replaceAll('.', '_')}_response`;
    const body = isRecord(doc) ? doc[key] : undefined;
    if (!isRecord(doc) || !isRecord(body)) {
      // error_response (bad app_id, unknown method…) comes unsigned; it only ever means "refused".
      const err = isRecord(doc) && isRecord(doc.error_response) ? doc.error_response : undefined;
      if (err) throw businessError(method, err);
      throw new ProviderError('payment.provider_unavailable', `alipay ${method}: no ${key} in response`);
    }
    const content = topLevelMemberText(raw, key);
    const sign = str(doc.sign);
    if (!sign || content === undefined || !(await rsa2Verify(content, sign, await alipayKey()))) {
      throw new ProviderError('payment.signature_invalid', `alipay ${method}: response signature does not verify`);
    }
    return body;
  }

  function wapUrl(params: Record<string, string>): string {
    const query = Object.entries(params)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    return `${gateway}?${query}`;
  }

  async function create(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
    const buyerId = req.payer?.buyerId;
    const channel = req.channel ?? (buyerId ? 'mini' : 'wap');
    const common: Json = {
      out_trade_no: req.outTradeNo,
      total_amount: fenToYuan(req.amount),
      subject: req.description,
      time_expire: shanghaiTime(req.expiresAt),
      // Alipay requires passback_params URL-encoded and hands it back the same way.
      ...(req.attach ? { passback_params: encodeURIComponent(req.attach) } : {}),
    };
    if (channel === 'wap') {
      const params = await signed('alipay.trade.wap.pay', { ...common, product_code: 'QUICK_WAP_WAY' }, req.notifyUrl);
      return { clientParams: { url: wapUrl(params) } };
    }
    if (!buyerId) throw new ProviderError('payment.malformed', 'alipay mini program payment needs payer.buyerId');
    const method = 'alipay.trade.create';
    const r = await call(
      method,
      { ...common, product_code: 'JSAPI_PAY', op_app_id: config.appId, [buyerField(buyerId)]: buyerId },
      req.notifyUrl,
    );
    if (r.code !== '10000') throw businessError(method, r);
    const tradeNo = str(r.trade_no);
    if (!tradeNo) throw new ProviderError('payment.malformed', `alipay ${method}: no trade_no`);
    return { clientParams: { tradeNO: tradeNo }, providerRef: tradeNo };
  }

  async function verifyNotification(req: { headers: Headers; body: string }): Promise<ProviderNotification> {
    const p = parseForm(req.body);
    if (!p.sign) throw new ProviderError('payment.signature_invalid', 'alipay notification has no sign');
    if (p.sign_type !== 'RSA2')
      throw new ProviderError('payment.signature_invalid', `sign_type ${quoteInput(p.sign_type)}`);
    if (!(await verifyNotificationParams(p, await alipayKey()))) {
      throw new ProviderError('payment.signature_invalid', 'alipay notification signature does not verify');
    }
    // Signed by Alipay but meant for another app or merchant: never ours to settle.
    if (p.app_id !== config.appId)
      throw new ProviderError('payment.malformed', `app_id ${quoteInput(p.app_id)} is not ours`);
    if (config.sellerId && p.seller_id !== config.sellerId) {
      throw new ProviderError('payment.malformed', `seller_id ${quoteInput(p.seller_id)} is not ours`);
    }
    const outTradeNo = str(p.out_trade_no);
    const tradeNo = str(p.trade_no);
    if (!outTradeNo || !tradeNo) throw new ProviderError('payment.malformed', 'out_trade_no / trade_no missing');

    if (p.refund_fee !== undefined || p.out_biz_no !== undefined) {
      const outRefundNo = str(p.out_biz_no);
      if (!outRefundNo) throw new ProviderError('payment.malformed', 'refund notice without out_biz_no');
      return {
        kind: 'refund',
        outTradeNo,
        outRefundNo,
        providerRefundId: tradeNo,
        amount: yuanToFen(p.refund_fee),
        status: 'success',
        eventId: str(p.notify_id),
      };
    }

    const status =
      p.trade_status === 'TRADE_SUCCESS' || p.trade_status === 'TRADE_FINISHED'
        ? 'success'
        : p.trade_status === 'TRADE_CLOSED'
          ? 'closed'
          : undefined;
    // WAIT_BUYER_PAY (only sent when subscribed) is not a final state: refuse it rather than
    // invent a status; answering `failure` is harmless, the lifecycle learns the outcome later.
    if (!status)
      throw new ProviderError('payment.malformed', `not a final trade status: ${quoteInput(p.trade_status)}`);
    let paidAt: number | undefined;
    if (p.gmt_payment) {
      paidAt = parseShanghaiTime(p.gmt_payment);
      if (paidAt === undefined)
        throw new ProviderError('payment.malformed', `gmt_payment ${quoteInput(p.gmt_payment)}`);
    }
    return {
      kind: 'payment',
      outTradeNo,
      providerTxnId: tradeNo,
      amount: yuanToFen(p.total_amount),
      currency: 'CNY',
      status,
      paidAt,
      eventId: str(p.notify_id),
    };
  }

  async function refund(req: RefundRequest): Promise<RefundResult> {
    const method = 'alipay.trade.refund';
    const r = await call(
      method,
      {
        out_trade_no: req.outTradeNo,
        refund_amount: fenToYuan(req.amount),
        out_request_no: req.outRefundNo,
        refund_reason: req.reason,
      },
      req.notifyUrl,
    );
    if (r.code === '10000') {
      // fund_change N: this out_request_no already moved the money (a replay) or it is still
      // settling; either way only a refund query can say, so report processing.
      return { status: r.fund_change === 'Y' ? 'success' : 'processing', providerRefundId: str(r.trade_no) };
    }
    if (isTransient(r)) throw businessError(method, r);
    return { status: 'failed', providerRefundId: str(r.trade_no) };
  }

  async function query(outTradeNo: string): Promise<QueryResult> {
    const method = 'alipay.trade.query';
    const r = await call(method, { out_trade_no: outTradeNo });
    if (r.code !== '10000') {
      if (r.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'not_found' };
      throw businessError(method, r);
    }
    const statuses: Record<string, QueryResult['status']> = {
      TRADE_SUCCESS: 'success',
      TRADE_FINISHED: 'success',
      WAIT_BUYER_PAY: 'pending',
      TRADE_CLOSED: 'closed',
    };
    const status = statuses[String(r.trade_status)];
    if (!status)
      throw new ProviderError('payment.malformed', `alipay ${method}: trade_status ${quoteInput(r.trade_status)}`);
    return {
      status,
      providerTxnId: str(r.trade_no),
      amount: r.total_amount === undefined ? undefined : yuanToFen(String(r.total_amount)),
      currency: 'CNY',
    };
  }

  return {
    name: 'alipay',
    create,
    verifyNotification,
    acknowledge(ok: boolean): Response {
      // Alipay resends on anything but the 7 bytes `success`, so a failure still answers 200.
      return new Response(ok ? 'success' : 'failure', {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    },
    refund,
    query,
  };
}
