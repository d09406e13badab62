import { quoteInput } from '../../../domain/bounded-text';
import { isoInZone } from '../../../domain/zoned-time';
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
import {
  authorizationHeader,
  decryptResource,
  importPrivateKeyPem,
  importPublicKeyPem,
  nonceStr,
  rsaSign,
  signatureMessage,
  verifyWechatpaySignature,
} from './wechat.crypto';

export { authorizationHeader, rsaSign, signatureMessage } from './wechat.crypto';

/** Merchant credentials for WeChat Pay API v3 (JSAPI / mini program, direct merchant). */
export interface WechatPayConfig {
  appId: string;
  mchId: string;
  /** serial_no of the merchant API certificate. */
  merchantSerialNo: string;
  /** PKCS#8 PEM (`BEGIN PRIVATE KEY`). */
  merchantPrivateKeyPem: string;
  /** 32 ASCII characters. */
  apiV3Key: string;
  /** The WeChat Pay public key (SPKI PEM). */
  platformPublicKeyPem: string;
  /** Its id, e.g. `PUB_KEY_ID_0112…`; every Wechatpay-Serial must match it. */
  platformPublicKeyId: string;
  /** Defaults to https://api.mch.weixin.qq.com. */
  baseUrl?: string;
}

const USER_AGENT = 'Tiffin/1.0 (Cloudflare Workers) WechatPay-APIv3';
const TIMEOUT_MS = 8000;

const TRADE_STATES: Record<string, QueryResult['status']> = {
  SUCCESS: 'success',
  // REFUND: the payment went through and a refund has since started; the payment itself succeeded.
  REFUND: 'success',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'failed',
};
const REFUND_STATES: Record<string, RefundResult['status']> = {
  SUCCESS: 'success',
  PROCESSING: 'processing',
  // ABNORMAL: the money left our account but the payer's card or account refused it; the
  // merchant must resend it by hand. Not a failure to retry, and not money we hold again.
  ABNORMAL: 'review',
  CLOSED: 'failed',
};
const REFUND_NOTIFY_STATES: Record<string, 'success' | 'closed' | 'abnormal'> = {
  SUCCESS: 'success',
  CLOSED: 'closed',
  ABNORMAL: 'abnormal',
};

interface Notification {
  id?: string;
  event_type?: string;
  resource?: { algorithm?: string; ciphertext?: string; nonce?: string; associated_data?: string };
}
interface TransactionResource {
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  amount?: { total?: number; payer_total?: number; currency?: string };
}
interface RefundResource {
  out_trade_no?: string;
  out_refund_no?: string;
  refund_id?: string;
  refund_status?: string;
  amount?: { refund?: number; total?: number };
}

/** RFC 3339 in Beijing time, the form WeChat documents: `2015-05-20T13:29:35+08:00`. */
export function beijingTime(epochMs: number): string {
  return isoInZone(epochMs, 'Asia/Shanghai');
}

function fen(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ProviderError('payment.malformed', `${field} is not an integer amount in fen`);
  }
  return value;
}

function requireFen(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ProviderError('payment.provider_rejected', `${field} must be a positive integer in fen`);
  }
}

function parseJson<T>(text: string): T {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value as T;
  } catch {
    throw new ProviderError('payment.malformed', 'WeChat Pay sent a body that is not a JSON object');
  }
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value) throw new ProviderError('payment.malformed', `${field} is missing`);
  return value;
}

/**
 * A PaymentProvider speaking WeChat Pay API v3 (JSAPI / mini program). `fetcher` is
 * injectable for tests; `clock` (epoch ms) drives request timestamps and the freshness
 * check on API responses.
 */
export function wechatPayProvider(
  config: WechatPayConfig,
  fetcher: typeof fetch = (input, init) => fetch(input, init),
  clock: () => number = Date.now,
): PaymentProvider {
  if (new TextEncoder().encode(config.apiV3Key).length !== 32) {
    throw new Error('WeChat Pay apiV3Key must be 32 ASCII characters');
  }
  const baseUrl = (config.baseUrl ?? 'https://api.mch.weixin.qq.com').replace(/\/+$/, '');
  let merchantKey: Promise<CryptoKey> | undefined;
  let platformKey: Promise<CryptoKey> | undefined;
  const signingKey = () => {
    merchantKey ??= importPrivateKeyPem(config.merchantPrivateKeyPem);
    return merchantKey;
  };
  const platform = async () => {
    platformKey ??= importPublicKeyPem(config.platformPublicKeyPem);
    return { key: await platformKey, serial: config.platformPublicKeyId };
  };

  /** One signed API call; resolves with the verified JSON body, or `null` for a 404 when allowed. */
  async function call<T>(method: 'GET' | 'POST', pathWithQuery: string, payload?: object): Promise<T>;
  async function call<T>(method: 'GET', pathWithQuery: string, payload: undefined, allow404: true): Promise<T | null>;
  async function call<T>(method: string, pathWithQuery: string, payload?: object, allow404 = false): Promise<T | null> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = await authorizationHeader(await signingKey(), {
      mchId: config.mchId,
      serialNo: config.merchantSerialNo,
      method,
      pathWithQuery,
      body,
      timestamp: Math.floor(clock() / 1000),
    });
    const headers: Record<string, string> = {
      Authorization: authorization,
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
    };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    let text: string;
    try {
      res = await fetcher(`${baseUrl}${pathWithQuery}`, {
        method,
        headers,
        body: payload === undefined ? undefined : body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      text = await res.text();
    } catch (e) {
      throw new ProviderError('payment.provider_unavailable', `WeChat Pay unreachable: ${String(e)}`);
    }
    if (res.ok) {
      // A genuine API answer is always signed; an unsigned one is not from WeChat Pay.
      await verifyWechatpaySignature(res.headers, text, await platform(), clock(), 'payment.signature_invalid');
      return parseJson<T>(text);
    }
    // Error answers are normally signed too, but gateways in front may not sign, so only check when present.
    if (res.headers.has('Wechatpay-Signature')) {
      await verifyWechatpaySignature(res.headers, text, await platform(), clock(), 'payment.signature_invalid');
    }
    if (res.status === 404 && allow404) return null;
    let detail = `HTTP ${res.status}`;
    try {
      const err = JSON.parse(text) as { code?: string; message?: string };
      if (err.code || err.message) detail = `${err.code ?? res.status}: ${err.message ?? ''}`;
    } catch {
      // Not JSON: keep the status line.
    }
    // 5xx (SYSTEM_ERROR) and 429 (FREQUENCY_LIMITED) are worth retrying with the same out_trade_no.
    const code = res.status >= 500 || res.status === 429 ? 'payment.provider_unavailable' : 'payment.provider_rejected';
    throw new ProviderError(code, detail);
  }

  return {
    name: 'wechat',

    async create(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
      const openid = req.payer?.openid;
      if (!openid) throw new ProviderError('payment.provider_rejected', 'WeChat JSAPI payment needs the payer openid');
      requireFen(req.amount, 'amount');
      const { prepay_id } = await call<{ prepay_id?: string }>('POST', '/v3/pay/transactions/jsapi', {
        appid: config.appId,
        mchid: config.mchId,
        // Truncate by code point so a CJK/emoji description is never cut mid-character.
        description: Array.from(req.description).slice(0, 127).join(''),
        out_trade_no: req.outTradeNo,
        time_expire: beijingTime(req.expiresAt),
        attach: req.attach,
        notify_url: req.notifyUrl,
        amount: { total: req.amount, currency: 'CNY' },
        payer: { openid },
      });
      const prepayId = requireString(prepay_id, 'prepay_id');
      const timeStamp = String(Math.floor(clock() / 1000));
      const nonce = nonceStr();
      const pkg = `prepay_id=${prepayId}`;
      const paySign = await rsaSign(await signingKey(), signatureMessage(config.appId, timeStamp, nonce, pkg));
      return {
        clientParams: { appId: config.appId, timeStamp, nonceStr: nonce, package: pkg, signType: 'RSA', paySign },
        providerRef: prepayId,
      };
    },

    async verifyNotification(req, now): Promise<ProviderNotification> {
      await verifyWechatpaySignature(req.headers, req.body, await platform(), now);
      const note = parseJson<Notification>(req.body);
      const resource = note.resource;
      if (!resource?.ciphertext || !resource.nonce) throw new ProviderError('payment.malformed', 'resource is missing');
      if (resource.algorithm !== 'AEAD_AES_256_GCM') {
        throw new ProviderError('payment.decrypt_failed', `unsupported algorithm ${quoteInput(resource.algorithm)}`);
      }
      const plain = await decryptResource(config.apiV3Key, {
        ciphertext: resource.ciphertext,
        nonce: resource.nonce,
        associated_data: resource.associated_data,
      });
      const eventId = note.id;
      if (note.event_type === 'TRANSACTION.SUCCESS') {
        const txn = parseJson<TransactionResource>(plain);
        const state = txn.trade_state ?? '';
        const status = state === 'SUCCESS' ? 'success' : TRADE_STATES[state];
        if (status !== 'success' && status !== 'closed' && status !== 'failed') {
          throw new ProviderError('payment.malformed', `unexpected trade_state ${quoteInput(state)} in a notification`);
        }
        const paidAt = txn.success_time ? Date.parse(txn.success_time) : Number.NaN;
        return {
          kind: 'payment',
          outTradeNo: requireString(txn.out_trade_no, 'out_trade_no'),
          providerTxnId: requireString(txn.transaction_id, 'transaction_id'),
          amount: fen(txn.amount?.total, 'amount.total'),
          currency: txn.amount?.currency ?? 'CNY',
          status,
          paidAt: Number.isNaN(paidAt) ? undefined : paidAt,
          eventId,
        };
      }
      if (note.event_type?.startsWith('REFUND.')) {
        const refund = parseJson<RefundResource>(plain);
        const status = REFUND_NOTIFY_STATES[refund.refund_status ?? note.event_type.slice('REFUND.'.length)];
        if (!status)
          throw new ProviderError('payment.malformed', `unexpected refund_status ${quoteInput(refund.refund_status)}`);
        return {
          kind: 'refund',
          outTradeNo: requireString(refund.out_trade_no, 'out_trade_no'),
          outRefundNo: requireString(refund.out_refund_no, 'out_refund_no'),
          providerRefundId: requireString(refund.refund_id, 'refund_id'),
          amount: fen(refund.amount?.refund, 'amount.refund'),
          status,
          eventId,
        };
      }
      throw new ProviderError('payment.malformed', `unexpected event_type ${quoteInput(note.event_type)}`);
    },

    acknowledge(ok, message) {
      if (ok) return new Response(null, { status: 204 });
      return new Response(JSON.stringify({ code: 'FAIL', message: message ?? 'failed' }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    },

    async refund(req: RefundRequest): Promise<RefundResult> {
      requireFen(req.amount, 'amount');
      requireFen(req.total, 'total');
      const res = await call<{ refund_id?: string; status?: string }>('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: req.outTradeNo,
        out_refund_no: req.outRefundNo,
        reason: req.reason,
        notify_url: req.notifyUrl,
        amount: { refund: req.amount, total: req.total, currency: 'CNY' },
      });
      const status = REFUND_STATES[res.status ?? ''];
      if (!status) throw new ProviderError('payment.malformed', `unexpected refund status ${quoteInput(res.status)}`);
      return { status, providerRefundId: res.refund_id };
    },

    async query(outTradeNo: string): Promise<QueryResult> {
      const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(config.mchId)}`;
      const txn = await call<TransactionResource>('GET', path, undefined, true);
      if (!txn) return { status: 'not_found' };
      const status = TRADE_STATES[txn.trade_state ?? ''];
      if (!status)
        throw new ProviderError('payment.malformed', `unexpected trade_state ${quoteInput(txn.trade_state)}`);
      return {
        status,
        providerTxnId: txn.transaction_id,
        amount: txn.amount?.total === undefined ? undefined : fen(txn.amount.total, 'amount.total'),
        currency: txn.amount?.currency,
      };
    },
  };
}
