import { sql } from 'drizzle-orm';
import type { HeldCoupon } from '../../../domain/pricing';
import { issuedBefore, type TokenState, tokenCutoff } from '../../../domain/token-revocation';
import { compile } from '../../../schema/d1/compiled';
import { memberCoupons, memberLoyalty, members } from '../../../schema/d1/tables';
import { DoFailure } from '../result';
import type { PlaceOrderInput, PlaceOrderRequest } from './order-types';

/** What pricing needs about a member, from D1 (brand-wide data no store owns). */
export interface MemberPricing {
  /** Coupons usable when the read ran. */
  coupons: HeldCoupon[];
  /** Absent for a member who never touched the loyalty programme. */
  tierId?: string;
  /** Absent when the member row does not exist. */
  token?: TokenState;
}

interface Waiter {
  promise: Promise<MemberPricing>;
  resolve: (m: MemberPricing) => void;
  reject: (e: unknown) => void;
}

/** Members read in one D1 round trip; a burst beyond this waits for the next one. */
const MAX_PER_READ = 100;

/** Reads a batch of members' pricing context; every id asked for is in the answer. */
export type MemberReader = (ids: string[]) => Promise<Map<string, MemberPricing>>;

/** Members straight from D1, in one statement compiled once per reader. */
export function d1MemberReader(raw: D1Database): MemberReader {
  const read = memberQuery(raw);
  return (ids) => readMembers(read, ids, Date.now());
}

/**
 * Reads members' pricing context in batches: one D1 read in flight at a time, and every
 * member asked for while it runs is read together in the next. At lunch rush a store makes
 * one round trip for a burst of orders instead of one per order, and each order still sees
 * data read after it arrived, as if it had read alone. Promises are shared across calls,
 * which a Durable Object (one I/O context) allows and a stateless worker does not. The store
 * object reads its guests through one; a member shard (member-shard.do.ts) batches the quiet
 * stores' reads through another.
 */
export class MemberReads {
  private readonly waiting = new Map<string, Waiter>();
  private running = false;

  constructor(private readonly read: MemberReader) {}

  load(memberId: string): Promise<MemberPricing> {
    let w = this.waiting.get(memberId);
    if (!w) {
      let resolve!: Waiter['resolve'];
      let reject!: Waiter['reject'];
      const promise = new Promise<MemberPricing>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      w = { promise, resolve, reject };
      this.waiting.set(memberId, w);
    }
    if (!this.running) void this.drain();
    return w.promise;
  }

  private async drain() {
    this.running = true;
    try {
      while (this.waiting.size > 0) {
        const batch = [...this.waiting].slice(0, MAX_PER_READ);
        for (const [id] of batch) this.waiting.delete(id);
        try {
          const found = await this.read(batch.map(([id]) => id));
          for (const [id, w] of batch) w.resolve(found.get(id) ?? { coupons: [] });
        } catch (e) {
          for (const [, w] of batch) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

type Reads = { list: string; now: number };

interface MemberRow extends Record<string, unknown> {
  member_id: string;
  found: number;
  tokens_valid_after: number | null;
  deleted_at: number | null;
  tier_id: string | null;
  /** `[[couponId, ruleJson], …]` of the coupons usable now. */
  coupons: string;
}

/**
 * The burst's members in one statement, compiled once per object (ids bound as one JSON
 * list, so 100 members stay within D1's bound-parameter limit): each member's token cut-off,
 * tier and usable coupons. At a quiet store every order is its own burst, and the read was the
 * largest cost an order there paid beyond one at a busy store: one statement costs less than
 * three (SCALE.md).
 */
function memberQuery(raw: D1Database) {
  const c = memberCoupons;
  const l = memberLoyalty;
  const m = members;
  const list = sql.placeholder('list');
  const now = sql.placeholder('now');
  return compile<Reads>(
    raw,
    sql`SELECT ids.value AS member_id, ${m.id} IS NOT NULL AS found,
          ${m.tokensValidAfter} AS tokens_valid_after, ${m.deletedAt} AS deleted_at,
          (SELECT ${l.tierId} FROM ${l} WHERE ${l.memberId} = ids.value) AS tier_id,
          (SELECT json_group_array(json_array(${c.id}, ${c.rule})) FROM ${c}
            WHERE ${c.memberId} = ids.value AND ${c.status} = 'available'
              AND ${c.validFrom} <= ${now} AND ${c.validTo} > ${now}) AS coupons
        FROM json_each(${list}) AS ids LEFT JOIN ${m} ON ${m.id} = ids.value`,
  );
}

async function readMembers(
  read: ReturnType<typeof memberQuery>,
  ids: string[],
  now: number,
): Promise<Map<string, MemberPricing>> {
  const { results } = await read({ list: JSON.stringify(ids), now }).all<MemberRow>();
  const out = new Map<string, MemberPricing>(ids.map((id) => [id, { coupons: [] }]));
  for (const r of results) {
    const member = out.get(r.member_id)!;
    if (r.found) member.token = { tokensValidAfter: r.tokens_valid_after ?? 0, deletedAt: r.deleted_at };
    if (r.tier_id !== null) member.tierId = r.tier_id;
    for (const [id, rule] of JSON.parse(r.coupons) as [string, string][]) {
      member.coupons.push({ ...(JSON.parse(rule) as HeldCoupon), id });
    }
  }
  return out;
}

/**
 * The order request with what the member brings: their coupons, their tier and the
 * tier's perks on the order itself (kitchen priority, free delivery). An erased member's
 * or revoked token places and prices nothing, whichever isolate verified it.
 */
export function withMember(req: PlaceOrderRequest, m: MemberPricing | undefined): PlaceOrderInput {
  const { member, tiers, ...rest } = req;
  if (!member || !m) return { ...rest, coupons: [] };
  if (m.token && issuedBefore(member, tokenCutoff(m.token))) {
    throw new DoFailure({
      status: 401,
      code: 'auth.token_revoked',
      detail: 'This token has been revoked; log in again.',
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    });
  }
  // A tier the rules no longer name counts as the base tier, as everywhere else.
  const tier = m.tierId === undefined ? undefined : (tiers.find((x) => x.id === m.tierId) ?? tiers[0]);
  return {
    ...rest,
    memberId: member.id,
    memberTierId: tier?.id,
    priority: tier?.priority || undefined,
    delivery: rest.delivery && tier?.freeDelivery ? { ...rest.delivery, fee: 0 } : rest.delivery,
    coupons: m.coupons,
  };
}
