import { and, desc, eq, exists, gte, type SQL, sql } from 'drizzle-orm';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { walletLedger as ledger, payments, walletBalances } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';
import { newId } from '../lib/ids';

export type LedgerKind = 'topup' | 'bonus' | 'payment' | 'refund' | 'return' | 'referral';

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
  const d = db(env);
  const entryId = newId('wle');
  await ensureBalanceRow(d, m, now);
  const [insert] = await d.batch(walletMove(d, m, { entryId, kind, ref, amount, now }));
  return postingResult(env, m, kind, ref, insert.meta.changes === 1);
}

/**
 * Pays a pending balance payment in one transaction: the debit (keyed by the payment id),
 * the balance and the payment's move to `succeeded` all happen, or none does. The debit
 * is taken only while the payment is still pending. The store is told afterwards; until
 * it is, `settled_at` stays empty and reconciliation finishes the job.
 */
export async function debitForPayment(
  env: Env,
  m: { memberId: string; brandId: string },
  paymentId: string,
  amount: number,
  now = Date.now(),
): Promise<{ posted: boolean; duplicate: boolean; balance: number }> {
  const d = db(env);
  const entryId = newId('wle');
  await ensureBalanceRow(d, m, now);
  const pending = exists(
    d
      .select({ one: sql`1` })
      .from(payments)
      .where(and(eq(payments.id, paymentId), eq(payments.status, 'pending'))),
  );
  const [insert] = await d.batch([
    ...walletMove(d, m, { entryId, kind: 'payment', ref: paymentId, amount: -amount, now, guard: pending }),
    d
      .update(payments)
      .set({ status: 'succeeded' })
      .where(and(eq(payments.id, paymentId), eq(payments.status, 'pending'), entryExists(d, entryId))),
  ]);
  return postingResult(env, m, 'payment', paymentId, insert.meta.changes === 1);
}

const ensureBalanceRow = (d: Db, m: { memberId: string; brandId: string }, now: number) =>
  d
    .insert(walletBalances)
    .values({ memberId: m.memberId, brandId: m.brandId, balance: 0, updatedAt: now })
    .onConflictDoNothing();

const entryExists = (d: Db, entryId: string) =>
  exists(d.select({ one: sql`1` }).from(ledger).where(eq(ledger.id, entryId)));

/** The two statements of one move: the entry (only if the balance allows it) and the balance. */
function walletMove(
  d: Db,
  m: { memberId: string },
  e: { entryId: string; kind: LedgerKind; ref: string; amount: number; now: number; guard?: SQL },
) {
  const { entryId, kind, ref, amount, now } = e;
  return [
    d
      .insert(ledger)
      .select(
        d
          .select({
            id: sql<string>`${entryId}`.as(ledger.id.name),
            memberId: walletBalances.memberId,
            brandId: walletBalances.brandId,
            kind: sql<LedgerKind>`${kind}`.as(ledger.kind.name),
            ref: sql<string>`${ref}`.as(ledger.ref.name),
            amount: sql<number>`${amount}`.as(ledger.amount.name),
            balanceAfter: sql<number>`${walletBalances.balance} + ${amount}`.as(ledger.balanceAfter.name),
            createdAt: sql<number>`${now}`.as(ledger.createdAt.name),
          })
          .from(walletBalances)
          .where(
            and(eq(walletBalances.memberId, m.memberId), gte(sql`${walletBalances.balance} + ${amount}`, 0), e.guard),
          ),
      )
      .onConflictDoNothing(),
    d
      .update(walletBalances)
      .set({ balance: sql`${walletBalances.balance} + ${amount}`, updatedAt: now })
      .where(and(eq(walletBalances.memberId, m.memberId), entryExists(d, entryId))),
  ] as const;
}

async function postingResult(
  env: Env,
  m: { memberId: string },
  kind: LedgerKind,
  ref: string,
  posted: boolean,
): Promise<{ posted: boolean; duplicate: boolean; balance: number }> {
  const balance = await walletBalance(env, m.memberId);
  if (posted) return { posted: true, duplicate: false, balance };
  const existing = await db(env)
    .select({ id: ledger.id })
    .from(ledger)
    .where(and(eq(ledger.kind, kind), eq(ledger.ref, ref)))
    .get();
  return { posted: false, duplicate: existing !== undefined, balance };
}

/** Whether the wallet debit keyed by this payment was taken. */
export async function paymentDebited(env: Env, paymentId: string): Promise<boolean> {
  const row = await db(env)
    .select({ id: ledger.id })
    .from(ledger)
    .where(and(eq(ledger.kind, 'payment'), eq(ledger.ref, paymentId)))
    .get();
  return row !== undefined;
}

export async function walletBalance(env: Env, memberId: string): Promise<number> {
  const row = await db(env)
    .select({ balance: walletBalances.balance })
    .from(walletBalances)
    .where(eq(walletBalances.memberId, memberId))
    .get();
  return row?.balance ?? 0;
}

export async function walletLedger(env: Env, memberId: string, limit = 50) {
  const rows = await db(env)
    .select()
    .from(ledger)
    .where(eq(ledger.memberId, memberId))
    .orderBy(desc(ledger.createdAt), desc(ledger.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    ref: r.ref,
    amount: r.amount,
    balanceAfter: r.balanceAfter,
    createdAt: isoInZone(r.createdAt, BRAND_TIME_ZONE),
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
