import { Failure } from '../../domain/failure';
import { expiredLots, type Lot, lotExpiresAt, pendingPoints, planDebit, spendable } from '../../domain/loyalty/points';
import type { Env } from '../env';
import { newId } from '../lib/ids';
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
  let conflicted = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    // One read transaction: the version, the lots and the order's entries agree.
    const [v, l, o] = await env.DB.batch([
      env.DB.prepare('SELECT version FROM member_loyalty WHERE member_id = ?').bind(member.id),
      lotsQuery(env, member.id),
      env.DB.prepare(
        `SELECT COALESCE(SUM(amount - COALESCE(json_extract(detail, '$.shortfall'), 0)), 0) AS net, COUNT(*) AS entries, COALESCE(MAX(kind = 'earn'), 0) AS earned
         FROM points_ledger WHERE order_id = ? AND kind IN ('earn', 'reverse')`,
      ).bind(opts.orderId ?? ''),
    ]);
    const version = (v!.results[0] as { version: string }).version;
    const lots = (l!.results as LotRow[]).map(toLot);
    const o0 = o!.results[0] as { net: number; entries: number; earned: number };
    const order = opts.orderId ? { net: o0.net, entries: o0.entries, earned: o0.earned === 1 } : undefined;
    const decided = plan({ lots, now, order });
    if ('refuse' in decided) return { ok: false, reason: decided.refuse, value: decided.value };
    const entries = decided.entries.map((e) => ({ ...e, id: newId('pts') }));
    if (entries.length === 0) return { ok: true, entries, value: decided.value };
    if (conflicted) {
      const posted = await Promise.all(entries.map((x) => ledgerEntry(env, x.kind, x.ref)));
      if (posted.some(Boolean)) return { ok: false, reason: 'duplicate', value: decided.value };
    }
    const next = crypto.randomUUID();
    const guard = 'EXISTS (SELECT 1 FROM member_loyalty WHERE member_id = ? AND version = ?)';
    const stmts: D1PreparedStatement[] = [
      env.DB.prepare('UPDATE member_loyalty SET version = ? WHERE member_id = ? AND version = ?').bind(
        next,
        member.id,
        version,
      ),
    ];
    for (const e of entries) {
      stmts.push(
        env.DB.prepare(
          `INSERT INTO points_ledger (id, brand_id, member_id, kind, ref, amount, order_id, detail, created_at)
           SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${guard}`,
        ).bind(
          e.id,
          member.brandId,
          member.id,
          e.kind,
          e.ref,
          e.amount,
          e.orderId ?? null,
          JSON.stringify({ ...(e.detail ?? {}), ...(e.take ? { lots: e.take } : {}) }),
          now,
          member.id,
          next,
        ),
      );
      if (e.lot && e.amount > 0) {
        stmts.push(
          env.DB.prepare(
            `INSERT INTO points_lots (id, brand_id, member_id, order_id, amount, remaining, available_at, expires_at, created_at)
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${guard}`,
          ).bind(
            e.id,
            member.brandId,
            member.id,
            e.orderId ?? null,
            e.amount,
            e.amount,
            e.lot.availableAt,
            e.lot.expiresAt,
            now,
            member.id,
            next,
          ),
        );
      }
      for (const t of e.take ?? []) {
        stmts.push(
          env.DB.prepare(
            `UPDATE points_lots SET remaining = remaining - ? WHERE id = ? AND remaining >= ? AND ${guard}`,
          ).bind(t.amount, t.lotId, t.amount, member.id, next),
        );
      }
    }
    try {
      const [swap] = await env.DB.batch(stmts);
      if (swap!.meta.changes === 1) return { ok: true, entries, value: decided.value };
    } catch (e) {
      if (!/UNIQUE/i.test(String(e))) throw e;
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

interface LotRow {
  id: string;
  order_id: string | null;
  remaining: number;
  available_at: number;
  expires_at: number;
  created_at: number;
}

const toLot = (r: LotRow): Lot => ({
  id: r.id,
  orderId: r.order_id,
  remaining: r.remaining,
  availableAt: r.available_at,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
});

const lotsQuery = (env: Env, memberId: string) =>
  env.DB.prepare(
    'SELECT id, order_id, remaining, available_at, expires_at, created_at FROM points_lots WHERE member_id = ? AND remaining > 0',
  ).bind(memberId);

export async function memberLots(env: Env, memberId: string): Promise<Lot[]> {
  const { results } = await lotsQuery(env, memberId).all<LotRow>();
  return results.map(toLot);
}

/** Whether a ledger entry with this kind and ref exists (replays are answered from it). */
export async function ledgerEntry(env: Env, kind: PointsKind, ref: string) {
  return env.DB.prepare('SELECT id, amount, detail, created_at FROM points_ledger WHERE kind = ? AND ref = ?')
    .bind(kind, ref)
    .first<{ id: string; amount: number; detail: string; created_at: number }>();
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
  const { results } = await env.DB.prepare(
    `SELECT id, kind, ref, amount, order_id, detail, created_at FROM points_ledger
     WHERE member_id = ? AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  )
    .bind(memberId, before ?? Number.MAX_SAFE_INTEGER, limit)
    .all<{
      id: string;
      kind: PointsKind;
      ref: string;
      amount: number;
      order_id: string | null;
      detail: string;
      created_at: number;
    }>();
  return results;
}

/**
 * Expires lots whose time has come, one ledger entry per lot keyed by the lot, so a
 * second run (or a run racing a spend) expires nothing twice and never goes below zero.
 */
export async function expirePoints(env: Env, now = Date.now(), limit = 1000) {
  const { results } = await env.DB.prepare(
    `SELECT DISTINCT member_id AS id, brand_id AS brandId FROM points_lots WHERE remaining > 0 AND expires_at <= ? LIMIT ?`,
  )
    .bind(now, limit)
    .all<{ id: string; brandId: string }>();
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
