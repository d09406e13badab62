import type { Env } from '../env';
import { newId } from '../lib/ids';

export type LedgerKind = 'topup' | 'bonus' | 'payment' | 'refund' | 'return';

/*
 * Stored value. Every move is one D1 batch (a transaction) of two statements: the ledger
 * entry is written only if the balance allows it, and the balance moves only if that
 * entry now exists. (kind, ref) is unique, so a replayed move posts nothing. The balance
 * is therefore always the sum of the ledger, and never negative.
 */

/** Posts `amount` (positive credit, negative debit); false if a debit would overdraw. */
export async function postWallet(
  env: Env,
  m: { memberId: string; brandId: string },
  kind: LedgerKind,
  ref: string,
  amount: number,
  now = Date.now(),
): Promise<{ posted: boolean; duplicate: boolean; balance: number }> {
  const entryId = newId('wle');
  await env.DB.prepare(
    `INSERT INTO wallet_balances (member_id, brand_id, balance, updated_at) VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING`,
  )
    .bind(m.memberId, m.brandId, now)
    .run();
  const [insert] = await env.DB.batch([
    env.DB.prepare(
      `INSERT OR IGNORE INTO wallet_ledger (id, member_id, brand_id, kind, ref, amount, balance_after, created_at)
       SELECT ?, member_id, brand_id, ?, ?, ?, balance + ?, ? FROM wallet_balances
       WHERE member_id = ? AND balance + ? >= 0`,
    ).bind(entryId, kind, ref, amount, amount, now, m.memberId, amount),
    env.DB.prepare(
      `UPDATE wallet_balances SET balance = balance + ?, updated_at = ?
       WHERE member_id = ? AND EXISTS (SELECT 1 FROM wallet_ledger WHERE id = ?)`,
    ).bind(amount, now, m.memberId, entryId),
  ]);
  const balance = await walletBalance(env, m.memberId);
  if (insert!.meta.changes === 1) return { posted: true, duplicate: false, balance };
  const existing = await env.DB.prepare('SELECT 1 FROM wallet_ledger WHERE kind = ? AND ref = ?')
    .bind(kind, ref)
    .first();
  return { posted: false, duplicate: existing !== null, balance };
}

export async function walletBalance(env: Env, memberId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT balance FROM wallet_balances WHERE member_id = ?')
    .bind(memberId)
    .first<{ balance: number }>();
  return row?.balance ?? 0;
}

export async function walletLedger(env: Env, memberId: string, limit = 50) {
  const { results } = await env.DB.prepare(
    `SELECT id, kind, ref, amount, balance_after, created_at FROM wallet_ledger
     WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  )
    .bind(memberId, limit)
    .all<{ id: string; kind: LedgerKind; ref: string; amount: number; balance_after: number; created_at: number }>();
  return results.map((r) => ({
    id: r.id,
    kind: r.kind,
    ref: r.ref,
    amount: r.amount,
    balanceAfter: r.balance_after,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Top-up bonus rules, largest threshold first wins: "top up 200, get 20". */
export interface TopupBonus {
  min: number;
  bonus: number;
}

export const defaultTopupBonuses: TopupBonus[] = [
  { min: 50_000, bonus: 8_000 },
  { min: 20_000, bonus: 2_000 },
  { min: 10_000, bonus: 800 },
];

export function topupBonus(rules: TopupBonus[], amount: number): number {
  const rule = [...rules].sort((a, b) => b.min - a.min).find((r) => amount >= r.min);
  return rule?.bonus ?? 0;
}
