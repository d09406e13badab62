import { eq } from 'drizzle-orm';
import { refunds } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { countRefusedCallback, recordPaymentEvent } from './payment-events';
import { findPayment, movePayment, type PaymentRow, settleWithStore } from './payments.service';
import { ProviderError, type ProviderNotification } from './providers/provider';
import { type ExternalMethod, providerFor } from './providers/registry';
import { finishRefund, refundFields } from './refunds.service';
import { creditTopup } from './topups.service';

/**
 * A provider's callback: verified through the provider's own rules, then applied once.
 * Replays and out-of-order callbacks change nothing; an amount or currency mismatch is
 * refused and kept for review, never marked paid.
 */
export async function handleNotification(env: Env, method: ExternalMethod, request: Request, now = Date.now()) {
  const provider = providerFor(env, method);
  // Decoded by hand: Alipay posts a form body, which `text()` would warn about.
  const body = new TextDecoder().decode(await request.arrayBuffer());
  let notice: ProviderNotification;
  try {
    notice = await provider.verifyNotification({ headers: request.headers, body }, now);
  } catch (e) {
    const code = e instanceof ProviderError ? e.code : 'payment.malformed';
    await countRefusedCallback(env, { method, code, message: String((e as Error).message) }, now);
    return { response: provider.acknowledge(false, code), outcome: code };
  }
  const outcome = await applyNotification(env, method, notice, now);
  return { response: provider.acknowledge(outcome.ok, outcome.reason), outcome: outcome.reason };
}

/** Applies a verified notification (callbacks and the reconciliation job share this). */
export async function applyNotification(
  env: Env,
  method: ExternalMethod,
  notice: ProviderNotification,
  now = Date.now(),
): Promise<{ ok: boolean; reason: string }> {
  if (notice.kind === 'refund') {
    const row = await db(env).select(refundFields).from(refunds).where(eq(refunds.id, notice.outRefundNo)).get();
    if (!row) {
      await recordPaymentEvent(env, null, 'refund_notify_unknown', notice);
      return { ok: false, reason: 'unknown refund' };
    }
    const status = notice.status === 'success' ? 'succeeded' : notice.status === 'abnormal' ? 'review' : 'failed';
    await finishRefund(env, { ...row, status, provider_refund_id: notice.providerRefundId }, now);
    return { ok: true, reason: 'refund recorded' };
  }

  const p = await findPayment(env, notice.outTradeNo);
  if (!p || p.method !== method) {
    await recordPaymentEvent(env, null, 'notify_unknown_payment', notice);
    return { ok: false, reason: 'unknown payment' };
  }
  if (notice.status !== 'success') {
    await movePayment(env, p.id, ['pending'], 'failed', { now });
    return { ok: true, reason: `payment ${notice.status}` };
  }
  if (notice.amount !== p.amount || notice.currency !== p.currency) {
    if (await movePayment(env, p.id, ['pending', 'expired'], 'review', { providerTxnId: notice.providerTxnId, now })) {
      await recordPaymentEvent(env, p.id, 'amount_mismatch', {
        expected: { amount: p.amount, currency: p.currency },
        notified: { amount: notice.amount, currency: notice.currency },
        providerTxnId: notice.providerTxnId,
      });
    }
    return { ok: false, reason: 'amount or currency mismatch' };
  }
  if (p.status === 'succeeded' && p.provider_txn_id && p.provider_txn_id !== notice.providerTxnId) {
    await recordPaymentEvent(env, p.id, 'second_transaction', { providerTxnId: notice.providerTxnId });
    return { ok: false, reason: 'different transaction for a settled payment' };
  }
  // Late money for an expired payment is accepted here and refunded by settlement.
  await movePayment(env, p.id, ['pending', 'expired'], 'succeeded', { providerTxnId: notice.providerTxnId, now });
  const current = (await findPayment(env, p.id)) as PaymentRow;
  if (current.status !== 'succeeded') return { ok: false, reason: `payment is ${current.status}` };
  // Settling again after a replay is harmless: the store and the wallet both dedupe.
  if (current.purpose === 'topup') await creditTopup(env, current, now);
  else await settleWithStore(env, current, now);
  return { ok: true, reason: 'paid' };
}
