import { eq } from 'drizzle-orm';
import { BRAND_TIME_ZONE } from '../../domain/zoned-time';
import { brands, members, payments } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError } from '../http/errors';
import { db, json } from '../lib/db';
import { type PaymentRow, paymentValues } from './payment-rows';
import { newPaymentId, paymentView } from './payments.service';
import { type ExternalMethod, providerFor } from './providers/registry';
import { defaultTopupBonuses, postWallet, type TopupBonus, topupBonus } from './wallet.service';

async function bonusRules(env: Env, brandId: string): Promise<TopupBonus[]> {
  const row = await db(env).select({ settings: brands.settings }).from(brands).where(eq(brands.id, brandId)).get();
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
  const d = db(env);
  await d.insert(payments).values(paymentValues(row));
  try {
    const openid = await d.select({ openid: members.openid }).from(members).where(eq(members.id, p.subject)).get();
    const made = await provider.create({
      outTradeNo: row.id,
      amount: row.amount,
      description: 'Tiffin wallet top-up',
      expiresAt: row.expires_at,
      notifyUrl: `${env.PUBLIC_BASE_URL}/v1/payments/${input.method}/notify`,
      payer: { openid: openid?.openid },
    });
    row.client_params = JSON.stringify(made.clientParams);
    await d.update(payments).set({ clientParams: row.client_params }).where(eq(payments.id, row.id));
  } catch (e) {
    await d.update(payments).set({ status: 'failed' }).where(eq(payments.id, row.id));
    throw new ApiError(503, 'payment.provider_unavailable', String((e as Error).message), {
      headers: { 'Retry-After': '5' },
    });
  }
  const bonus = topupBonus(await bonusRules(env, p.brandId), input.amount);
  return { ...paymentView(row, BRAND_TIME_ZONE), bonus };
}

/** Credits a confirmed top-up and its bonus; each posting is idempotent by the payment id. */
export async function creditTopup(env: Env, p: PaymentRow, now = Date.now()) {
  if (!p.member_id) return;
  const m = { memberId: p.member_id, brandId: p.brand_id };
  await postWallet(env, m, 'topup', p.id, p.amount, now);
  const bonus = topupBonus(await bonusRules(env, p.brand_id), p.amount);
  if (bonus > 0) await postWallet(env, m, 'bonus', p.id, bonus, now);
}
