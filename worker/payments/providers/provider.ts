/*
 * One interface over every payment provider (WeChat Pay v3, Alipay, the local sandbox).
 * Adapters speak the provider's real wire format with WebCrypto only; the payment
 * lifecycle above them never sees a provider detail.
 */

import { Failure, type FailureStatus } from '../../../domain/failure';

/** Money in integer fen; currency is always CNY for these providers. */
export interface CreatePaymentRequest {
  /** Our payment id, sent as out_trade_no (6–32 chars, [A-Za-z0-9_-]). */
  outTradeNo: string;
  amount: number;
  description: string;
  /** Epoch ms after which the provider must refuse to take the money. */
  expiresAt: number;
  notifyUrl: string;
  /** WeChat mini program / JSAPI: the payer's openid. Alipay mini program: buyer_id. */
  payer?: { openid?: string; buyerId?: string };
  /** Alipay only: `mini` (alipay.trade.create) or `wap` (alipay.trade.wap.pay, H5). */
  channel?: 'mini' | 'wap';
  /** Free text echoed back in the notification (WeChat `attach`, Alipay `passback_params`). */
  attach?: string;
}

export interface CreatePaymentResult {
  /** What the client needs to pay: wx.requestPayment params, my.tradePay tradeNO, or a wap URL. */
  clientParams: Record<string, string>;
  /** Provider-side reference when the provider returns one (WeChat prepay_id, Alipay trade_no). */
  providerRef?: string;
}

/** A verified, decrypted notification. */
export type ProviderNotification =
  | {
      kind: 'payment';
      outTradeNo: string;
      providerTxnId: string;
      /** Amount the provider says was paid, in fen. */
      amount: number;
      currency: string;
      status: 'success' | 'closed' | 'failed';
      paidAt?: number;
      /** The provider's own event id, when it has one (WeChat `id`, Alipay `notify_id`). */
      eventId?: string;
    }
  | {
      kind: 'refund';
      outTradeNo: string;
      outRefundNo: string;
      providerRefundId: string;
      amount: number;
      /** `abnormal`: WeChat could not pay it back to the payer's account; a person must act. */
      status: 'success' | 'closed' | 'failed' | 'abnormal';
      eventId?: string;
    };

export interface RefundRequest {
  outTradeNo: string;
  /** Our refund id, idempotent at the provider (out_refund_no, ≤ 64 chars). */
  outRefundNo: string;
  amount: number;
  /** The original payment's total, in fen. */
  total: number;
  reason: string;
  notifyUrl?: string;
}

export interface RefundResult {
  /** `review`: the provider took the refund but cannot deliver it by itself (WeChat ABNORMAL). */
  status: 'processing' | 'success' | 'failed' | 'review';
  providerRefundId?: string;
}

export interface QueryResult {
  status: 'success' | 'pending' | 'closed' | 'failed' | 'not_found';
  providerTxnId?: string;
  amount?: number;
  currency?: string;
}

export type ProviderErrorCode =
  | 'payment.signature_invalid'
  | 'payment.timestamp_stale'
  | 'payment.serial_unknown'
  | 'payment.probe'
  | 'payment.decrypt_failed'
  | 'payment.malformed'
  | 'payment.provider_unavailable'
  | 'payment.provider_rejected';

/**
 * Why a provider call or notification failed: a `Failure` whose `message` keeps the
 * provider's own words for the logs and payment events, while `detail` (what a client
 * could read) is a fixed sentence per code.
 */
export class ProviderError extends Failure {
  declare readonly code: ProviderErrorCode;

  constructor(code: ProviderErrorCode, message: string) {
    const [status, detail] = providerFailures[code];
    super(status, code, detail);
    this.name = 'ProviderError';
    this.message = message;
  }
}

const providerFailures: Record<ProviderErrorCode, [FailureStatus, string]> = {
  'payment.signature_invalid': [400, 'The notification signature does not verify.'],
  'payment.timestamp_stale': [400, 'The notification timestamp is too far from now.'],
  'payment.serial_unknown': [400, 'The notification is signed with an unknown certificate.'],
  'payment.probe': [400, 'Signature probe refused.'],
  'payment.decrypt_failed': [400, 'The notification could not be decrypted.'],
  'payment.malformed': [400, 'The payment provider sent something malformed.'],
  'payment.provider_unavailable': [503, 'The payment provider is unavailable; retry shortly.'],
  'payment.provider_rejected': [502, 'The payment provider refused this payment.'],
};

export interface PaymentProvider {
  readonly name: 'wechat' | 'alipay' | 'sandbox';
  create(req: CreatePaymentRequest): Promise<CreatePaymentResult>;
  /** Verifies (and decrypts) a callback; throws ProviderError when it must be refused. */
  verifyNotification(req: { headers: Headers; body: string }, now: number): Promise<ProviderNotification>;
  /** The exact answer the provider expects, for success or failure. */
  acknowledge(ok: boolean, message?: string): Response;
  refund(req: RefundRequest): Promise<RefundResult>;
  query(outTradeNo: string): Promise<QueryResult>;
}
