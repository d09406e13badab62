import { and, count, desc, eq, exists, gt, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { Failure } from '../../domain/failure';
import { expiredLots, type Lot, lotExpiresAt, pendingPoints, planDebit, spendable } from '../../domain/loyalty/points';
import { memberLoyalty, pointsLedger, pointsLots } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';
import { newId } from '../lib/ids';
import { selectList } from '../lib/insert-select';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';

export type PointsKind =
  | 'earn'
  | 'reverse'
  | 'redeem'
  | 'pay'
  | 'pay_return'
  | 'expire'
  | 'referral'
  | 'checkin'
  | 'dice'
  | 'wheel'
  | 'review'
  | 'adjust';

/** One ledger entry a move posts. Credits carry the lot they open; debits say which lots they draw. */
export interface Entry {
  kind: PointsKind;
  ref: string;
  amount: number;
  orderId?: string | null;
  detail?: Record<string, unknown>;
  /** For a credit: when the lot becomes spendable and when it expires. */
  lot?: { availableAt: number; expiresAt: number };
  /** For a debit: the lots it draws from (sum = -amount). */
  take?: { lotId: string; amount: number }[];
}

export type MoveOutcome<T> =
  | { ok: true; entries: (Entry & { id: string })[]; value: T }
  | { ok: false; reason: string; value?: T };

/** What a planner sees: the member's open lots as of one version. */
export interface PointsState {
  lots: Lot[];
  now: number;
  /**
   * With `opts.orderId`: what the ledger holds for that order. `net` counts a reversal's
   * shortfall (points already spent, so not taken back) as reversed, so it is not retried.
   */
  order?: { net: number; entries: number; earned: boolean };
}

const MAX_ATTEMPTS = 12;

/**
 * The one way points move. Reads the member's lots and version, lets `plan` decide
 * (pure), and writes the plan in one D1 transaction that first swaps the version: if
 * another move landed in between, nothing is written and the plan is made again from
 * the new state. (kind, ref) is unique, so a replayed move answers `duplicate`.
 */
export async function movePoints<T>(
  env: Env,
  member: { id: string; brandId: string },
  plan: (s: PointsState) => { entries: Entry[]; value: T } | { refuse: string; value?: T },
  now = Date.now(),
  opts: { orderId?: string } = {},
): Promise<MoveOutcome<T>> {
  await ensureStanding(env, member, now);
  const d = db(env);
  let conflicted = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // One read transaction: the version, the lots and the order's entries agree.
    const [v, lots, o] = await d.batch([
      d.select({ version: memberLoyalty.version }).from(memberLoyalty).where(eq(memberLoyalty.memberId, member.id)),
      lotsQuery(d, member.id),
      orderEntriesQuery(d, opts.orderId ?? ''),
    ]);
    const version = v[0]!.version;
    const o0 = o[0]!;
    const order = opts.orderId ? { net: o0.net, entries: o0.entries, earned: o0.earned === 1 } : undefined;
    const decided = plan({ lots, now, order });
    if ('refuse' in decided) return { ok: false, reason: decided.refuse, value: decided.value };
    const entries = decided.entries.map((e) => ({ ...e, id: newId('pts') }));
    if (entries.length === 0) return { ok: true, entries, value: decided.value };
    if (conflicted) {
      const posted = await Promise.all(entries.map((x) => ledgerEntry(env, x.kind, x.ref)));
      if (posted.some(Boolean)) return { ok: false, reason: 'duplicate', value: decided.value };
    }
    const { swap, writes } = pointsMoveWrites(d, member, version, entries, now);
    try {
      const [swapped] = await d.batch([swap, ...writes]);
      if (swapped.meta.changes === 1) return { ok: true, entries, value: decided.value };
    } catch (e) {
      if (!/UNIQUE/i.test(String((e as Error)?.cause ?? e))) throw e;
      // A ledger ref already posted: a replay, or a racing twin that won. Plan again from
      // the new state (a settlement then posts only what is still missing, under a new
      // ref); a plan that still names a posted ref is a duplicate, answered as such.
      conflicted = true;
    }
    await new Promise((r) => setTimeout(r, Math.random() * 4 * (attempt + 1)));
  }
  // Contention, not a bug: the client may simply try again.
  throw new Failure(503, 'points.busy', 'The points balance is changing; try again.', {
    headers: { 'Retry-After': '1' },
    cause: `points for ${member.id} kept changing; gave up after ${MAX_ATTEMPTS} attempts`,
  });
}

/**
 * Holds only while the member's version is still `next`, the value the move's swap just
 * wrote: every write of a move is guarded by it, so they land with the swap or not at all.
 * (member_id is the key, so selecting from the row is the same as EXISTS over it.)
 */
export const holdsVersion = (memberId: string, next: string) =>
  and(eq(memberLoyalty.memberId, memberId), eq(memberLoyalty.version, next));

/** The ledger row of one entry, the lot a credit opens, and the draws a debit makes, all guarded by the swap. */
function entryWrites(
  d: Db,
  member: { id: string; brandId: string },
  e: Entry & { id: string },
  next: string,
  now: number,
) {
  const guarded = d.select({ one: sql`1` }).from(memberLoyalty).where(holdsVersion(member.id, next));
  const writes: BatchItem<'sqlite'>[] = [
    d.insert(pointsLedger).select(
      d
        .select(
          selectList(pointsLedger, {
            id: e.id,
            brandId: member.brandId,
            memberId: member.id,
            kind: e.kind,
            ref: e.ref,
            amount: e.amount,
            orderId: e.orderId ?? null,
            detail: JSON.stringify({ ...(e.detail ?? {}), ...(e.take ? { lots: e.take } : {}) }),
            createdAt: now,
          }),
        )
        .from(memberLoyalty)
        .where(holdsVersion(member.id, next)),
    ),
  ];
  if (e.lot && e.amount > 0) {
    writes.push(
      d.insert(pointsLots).select(
        d
          .select(
            selectList(pointsLots, {
              id: e.id,
              brandId: member.brandId,
              memberId: member.id,
              orderId: e.orderId ?? null,
              amount: e.amount,
              remaining: e.amount,
              availableAt: e.lot.availableAt,
              expiresAt: e.lot.expiresAt,
              createdAt: now,
            }),
          )
          .from(memberLoyalty)
          .where(holdsVersion(member.id, next)),
      ),
    );
  }
  for (const t of e.take ?? []) {
    writes.push(
      d
        .update(pointsLots)
        .set({ remaining: sql`${pointsLots.remaining} - ${t.amount}` })
        .where(and(eq(pointsLots.id, t.lotId), gte(pointsLots.remaining, t.amount), exists(guarded))),
    );
  }
  return writes;
}

/**
 * A move inside a caller's own D1 batch (a wheel spin writes its spin and stock with it):
 * the version swap first, then the entries, each holding only if the swap landed. The
 * caller reads `version` and the lots first (`lotsQuery`) and checks the swap's changes.
 */
export function pointsMoveWrites(
  d: Db,
  member: { id: string; brandId: string },
  version: string,
  entries: (Entry & { id: string })[],
  now: number,
) {
  const next = crypto.randomUUID();
  const swap = d
    .update(memberLoyalty)
    .set({ version: next })
    .where(and(eq(memberLoyalty.memberId, member.id), eq(memberLoyalty.version, version)));
  return { next, swap, writes: entries.flatMap((e) => entryWrites(d, member, e, next, now)) };
}

export const lotsQuery = (d: Db, memberId: string) =>
  d
    .select({
      id: pointsLots.id,
      orderId: pointsLots.orderId,
      remaining: pointsLots.remaining,
      availableAt: pointsLots.availableAt,
      expiresAt: pointsLots.expiresAt,
      createdAt: pointsLots.createdAt,
    } satisfies { [K in keyof Lot]: unknown })
    .from(pointsLots)
    .where(and(eq(pointsLots.memberId, memberId), gt(pointsLots.remaining, 0)));

/** What the ledger holds for an order's earning; a reversal's shortfall counts as reversed (see `PointsState`). */
const orderEntriesQuery = (d: Db, orderId: string) =>
  d
    .select({
      net: sql<number>`COALESCE(SUM(${pointsLedger.amount} - COALESCE(json_extract(${pointsLedger.detail}, '$.shortfall'), 0)), 0)`.as(
        'net',
      ),
      entries: count().as('entries'),
      earned: sql<number>`COALESCE(MAX(${pointsLedger.kind} = ${'earn'}), 0)`.as('earned'),
    })
    .from(pointsLedger)
    .where(and(eq(pointsLedger.orderId, orderId), inArray(pointsLedger.kind, ['earn', 'reverse'])));

export async function memberLots(env: Env, memberId: string): Promise<Lot[]> {
  return lotsQuery(db(env), memberId);
}

/** Whether a ledger entry with this kind and ref exists (replays are answered from it). */
export async function ledgerEntry(env: Env, kind: PointsKind, ref: string) {
  return db(env)
    .select({
      id: pointsLedger.id,
      amount: pointsLedger.amount,
      detail: pointsLedger.detail,
      createdAt: pointsLedger.createdAt,
    })
    .from(pointsLedger)
    .where(and(eq(pointsLedger.kind, kind), eq(pointsLedger.ref, ref)))
    .get();
}

/** A simple credit: a new lot, spendable from `availableAt`. Idempotent by (kind, ref). */
export async function creditPoints(
  env: Env,
  member: { id: string; brandId: string },
  entry: Omit<Entry, 'take'> & { lot: { availableAt: number; expiresAt: number } },
  now = Date.now(),
) {
  if (entry.amount <= 0) return { posted: false, duplicate: false };
  if (await ledgerEntry(env, entry.kind, entry.ref)) return { posted: false, duplicate: true };
  const r = await movePoints(env, member, () => ({ entries: [entry], value: null }), now);
  return { posted: r.ok, duplicate: false };
}

/**
 * Spends `amount` spendable points, oldest expiry first; refused with the balance when
 * there are not enough. Idempotent by (kind, ref): a replay answers as the first did.
 */
export async function spendPoints(
  env: Env,
  member: { id: string; brandId: string },
  kind: 'redeem' | 'pay' | 'dice',
  ref: string,
  amount: number,
  detail: Record<string, unknown> = {},
  now = Date.now(),
): Promise<{ ok: true; duplicate: boolean; spendable: number } | { ok: false; spendable: number }> {
  const seen = await ledgerEntry(env, kind, ref);
  if (seen) return { ok: true, duplicate: true, spendable: spendable(await memberLots(env, member.id), now) };
  const r = await movePoints(
    env,
    member,
    ({ lots }) => {
      const plan = planDebit(lots, amount, now);
      if (plan.shortfall > 0) return { refuse: 'points.insufficient', value: spendable(lots, now) };
      return {
        entries: [{ kind, ref, amount: -amount, detail, take: plan.take }],
        value: spendable(lots, now) - amount,
      };
    },
    now,
  );
  if (!r.ok) {
    // Lost to a twin with the same ref? Then it was spent once, as asked.
    if (await ledgerEntry(env, kind, ref)) return { ok: true, duplicate: true, spendable: r.value ?? 0 };
    return { ok: false, spendable: r.value ?? 0 };
  }
  return { ok: true, duplicate: false, spendable: r.value };
}

/** The member's points right now. */
export async function pointsSummary(env: Env, memberId: string, now = Date.now()) {
  const lots = await memberLots(env, memberId);
  const soon = lots
    .filter((l) => l.expiresAt > now && l.availableAt <= now)
    .sort((a, b) => a.expiresAt - b.expiresAt)[0];
  return {
    available: spendable(lots, now),
    pending: pendingPoints(lots, now),
    nextExpiry: soon
      ? {
          at: soon.expiresAt,
          points: lots
            .filter((l) => l.expiresAt === soon.expiresAt && l.availableAt <= now)
            .reduce((s, l) => s + l.remaining, 0),
        }
      : null,
  };
}

export async function pointsLedgerPage(env: Env, memberId: string, limit = 50, before?: number) {
  return db(env)
    .select({
      id: pointsLedger.id,
      kind: pointsLedger.kind,
      ref: pointsLedger.ref,
      amount: pointsLedger.amount,
      orderId: pointsLedger.orderId,
      detail: pointsLedger.detail,
      createdAt: pointsLedger.createdAt,
    })
    .from(pointsLedger)
    .where(and(eq(pointsLedger.memberId, memberId), lt(pointsLedger.createdAt, before ?? Number.MAX_SAFE_INTEGER)))
    .orderBy(desc(pointsLedger.createdAt), desc(pointsLedger.id))
    .limit(limit);
}

/**
 * Expires lots whose time has come, one ledger entry per lot keyed by the lot, so a
 * second run (or a run racing a spend) expires nothing twice and never goes below zero.
 */
export async function expirePoints(env: Env, now = Date.now(), limit = 1000) {
  const results = await db(env)
    .selectDistinct({ id: pointsLots.memberId, brandId: pointsLots.brandId })
    .from(pointsLots)
    .where(and(gt(pointsLots.remaining, 0), lte(pointsLots.expiresAt, now)))
    .limit(limit);
  let expired = 0;
  for (const m of results) {
    const r = await movePoints(
      env,
      m,
      ({ lots }) => {
        const due = expiredLots(lots, now);
        return {
          entries: due.map((l) => ({
            kind: 'expire' as const,
            ref: l.id,
            amount: -l.remaining,
            detail: { expiredAt: l.expiresAt },
            take: [{ lotId: l.id, amount: l.remaining }],
          })),
          value: due.reduce((s, l) => s + l.remaining, 0),
        };
      },
      now,
    );
    if (r.ok) expired += r.value;
  }
  return { members: results.length, expired };
}

/** Credits from games and reviews are spendable at once and expire like any points. */
export async function instantLot(env: Env, m: { brandId: string }, now: number) {
  const rules = await loyaltyRules(env, m.brandId, now);
  return { availableAt: now, expiresAt: lotExpiresAt(now, rules.timeZone, rules.points.expiryMonths) };
}

/**
 * Points that paid for an order come back when that payment is refunded, as a new lot
 * (spendable at once, with a full expiry period). Keyed by the refund id.
 */
export async function returnPaidPoints(
  env: Env,
  member: { id: string; brandId: string },
  refundId: string,
  cents: number,
  now = Date.now(),
  centsPerPoint?: number,
) {
  const rules = await loyaltyRules(env, member.brandId, now);
  const points = Math.floor(cents / (centsPerPoint ?? rules.points.centsPerPoint));
  return creditPoints(
    env,
    member,
    {
      kind: 'pay_return',
      ref: refundId,
      amount: points,
      detail: { cents },
      lot: { availableAt: now, expiresAt: lotExpiresAt(now, rules.timeZone, rules.points.expiryMonths) },
    },
    now,
  );
}
