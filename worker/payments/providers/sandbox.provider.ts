import { toHex } from '../../../domain/encoding';
import type {
  CreatePaymentRequest,
  CreatePaymentResult,
  PaymentProvider,
  ProviderNotification,
  QueryResult,
  RefundRequest,
  RefundResult,
} from './provider';
import { ProviderError } from './provider';

/*
 * A local provider with the same flow as the real ones: a payment is "completed" by a
 * signed callback that goes through the same verification and settlement path. Its
 * signature is HMAC-SHA256 under a key only this deployment knows.
 */

const enc = new TextEncoder();

async function hmac(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', enc.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', k, enc.encode(message)));
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface SandboxNotice {
  kind: 'payment' | 'refund';
  outTradeNo: string;
  outRefundNo?: string;
  amount: number;
  currency?: string;
  status: 'success' | 'closed' | 'failed';
  eventId: string;
}

/** Builds the signed callback the sandbox "provider" sends (also used by tests). */
export async function sandboxCallback(key: string, notice: SandboxNotice, now = Date.now()) {
  const body = JSON.stringify(notice);
  const timestamp = String(Math.floor(now / 1000));
  return {
    body,
    headers: new Headers({
      'Content-Type': 'application/json',
      'Sandbox-Timestamp': timestamp,
      'Sandbox-Signature': await hmac(key, `${timestamp}\n${body}\n`),
    }),
  };
}

export function sandboxProvider(key: string, publicBaseUrl: string): PaymentProvider {
  return {
    name: 'sandbox',
    async create(req: CreatePaymentRequest): Promise<CreatePaymentResult> {
      return {
        clientParams: {
          sandboxPaymentId: req.outTradeNo,
          completeUrl: `${publicBaseUrl}/v1/payments/sandbox/${req.outTradeNo}/complete`,
        },
        providerRef: `sbx_${req.outTradeNo}`,
      };
    },
    async verifyNotification(req, now): Promise<ProviderNotification> {
      const ts = req.headers.get('Sandbox-Timestamp');
      const sig = req.headers.get('Sandbox-Signature');
      if (!ts || !sig) throw new ProviderError('payment.malformed', 'missing signature headers');
      if (Math.abs(now / 1000 - Number(ts)) > 300) throw new ProviderError('payment.timestamp_stale', 'stale callback');
      if (!timingSafeEqual(await hmac(key, `${ts}\n${req.body}\n`), sig)) {
        throw new ProviderError('payment.signature_invalid', 'bad sandbox signature');
      }
      let n: SandboxNotice;
      try {
        n = JSON.parse(req.body) as SandboxNotice;
      } catch {
        throw new ProviderError('payment.malformed', 'body is not JSON');
      }
      if (n.kind === 'refund') {
        return {
          kind: 'refund',
          outTradeNo: n.outTradeNo,
          outRefundNo: n.outRefundNo ?? '',
          providerRefundId: `sbx_r_${n.outRefundNo}`,
          amount: n.amount,
          status: n.status,
          eventId: n.eventId,
        };
      }
      return {
        kind: 'payment',
        outTradeNo: n.outTradeNo,
        providerTxnId: `sbx_${n.outTradeNo}`,
        amount: n.amount,
        currency: n.currency ?? 'CNY',
        status: n.status,
        paidAt: now,
        eventId: n.eventId,
      };
    },
    acknowledge(ok, message) {
      return ok
        ? new Response(null, { status: 204 })
        : Response.json({ code: 'FAIL', message: message ?? 'refused' }, { status: 400 });
    },
    async refund(req: RefundRequest): Promise<RefundResult> {
      return { status: 'success', providerRefundId: `sbx_r_${req.outRefundNo}` };
    },
    async query(): Promise<QueryResult> {
      // The sandbox only learns of a payment through its callback.
      return { status: 'pending' };
    },
  };
}
