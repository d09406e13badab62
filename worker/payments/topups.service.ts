import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError } from '../http/errors';
import { json } from '../lib/db';
import { newPaymentId, type PaymentRow, paymentView } from './payments.service';
import { type ExternalMethod, providerFor } from './providers/registry';
import { defaultTopupBonuses, postWallet, type TopupBonus, topupBonus } from './wallet.service';

async function bonusRules(env: Env, brandId: string): Promise<TopupBonus[]> {
  const row = await env.DB.prepare('SELECT settings FROM brands WHERE id = ?')
    .bind(brandId)
    .first<{ settings: string }>();
  return json<{ topupBonuses?: TopupBonus[] }>(row?.settings, {}).topupBonuses ?? defaultTopupBonuses;
}

/** Starts a wallet top-up through a provider; the balance moves when the provider confirms. */
export async function startTopup(
  env: Env,
  p: Principal,
  input: { amount: number; method: ExternalMethod },
  now = Date.now(),
) {
  const provider = providerFor(env, input.method);
  const row: PaymentRow = {
    id: newPaymentId(),
    brand_id: p.brandId,
    store_id: null,
    order_id: null,
    member_id: p.subject,
    purpose: 'topup',
    method: input.method,
    amount: input.amount,
    currency: 'CNY',
    status: 'pending',
    provider_txn_id: null,
    refunded: 0,
    client_params: '{}',
    expires_at: now + 30 * 60_000,
    created_at: now,
    settled_at: null,
  };
  await env.DB.prepare(
    `INSERT INTO payments (id, brand_id, store_id, order_id, member_id, purpose, method, amount, currency, status,
       provider_txn_id, refunded, client_params, expires_at, created_at, settled_at)
     VALUES (?, ?, NULL, NULL, ?, 'topup', ?, ?, 'CNY', 'pending', NULL, 0, '{}', ?, ?, NULL)`,
  )
    .bind(row.id, row.brand_id, row.member_id, row.method, row.amount, row.expires_at, now)
    .run();
  try {
    const openid = await env.DB.prepare('SELECT openid FROM members WHERE id = ?')
      .bind(p.subject)
      .first<{ openid: string }>();
    const made = await provider.create({
      outTradeNo: row.id,
      amount: row.amount,
      description: 'Tiffin wallet top-up',
      expiresAt: row.expires_at,
      notifyUrl: `${env.PUBLIC_BASE_URL}/v1/payments/${input.method}/notify`,
      payer: { openid: openid?.openid },
    });
    row.client_params = JSON.stringify(made.clientParams);
    await env.DB.prepare('UPDATE payments SET client_params = ? WHERE id = ?').bind(row.client_params, row.id).run();
  } catch (e) {
    await env.DB.prepare(`UPDATE payments SET status = 'failed' WHERE id = ?`).bind(row.id).run();
    throw new ApiError(503, 'payment.provider_unavailable', String((e as Error).message), {
      headers: { 'Retry-After': '5' },
    });
  }
  const bonus = topupBonus(await bonusRules(env, p.brandId), input.amount);
  return { ...paymentView(row), bonus };
}

/** Credits a confirmed top-up and its bonus; each posting is idempotent by the payment id. */
export async function creditTopup(env: Env, p: PaymentRow, now = Date.now()) {
  if (!p.member_id) return;
  const m = { memberId: p.member_id, brandId: p.brand_id };
  await postWallet(env, m, 'topup', p.id, p.amount, now);
  const bonus = topupBonus(await bonusRules(env, p.brand_id), p.amount);
  if (bonus > 0) await postWallet(env, m, 'bonus', p.id, bonus, now);
}
