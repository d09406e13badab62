import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { HeldCoupon } from '../../../domain/pricing';
import { issuedBefore, type TokenState, tokenCutoff } from '../../../domain/token-revocation';
import { compile, slot } from '../../../schema/d1/compiled';
import { memberCoupons, memberLoyalty, members } from '../../../schema/d1/tables';
import type { StoreD1 } from '../d1';
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

/**
 * Reads members' pricing context in batches: one D1 read in flight at a time, and every
 * member asked for while it runs is read together in the next. At lunch rush a store makes
 * one round trip for a burst of orders instead of one per order, and each order still sees
 * data read after it arrived, as if it had read alone. Promises are shared across calls,
 * which a Durable Object (one I/O context) allows and a stateless worker does not.
 */
export class MemberReads {
  private readonly waiting = new Map<string, Waiter>();
  private running = false;

  private readonly reads: ReturnType<typeof memberQueries>;

  constructor(raw: D1Database, d1: StoreD1) {
    this.reads = memberQueries(raw, d1);
  }

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
          const found = await readMembers(
            this.reads,
            batch.map(([id]) => id),
            Date.now(),
          );
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

/** `column IN (ids)` through one bound JSON array: a burst of 100 members stays within D1's bound-parameter limit. */
const inList = (column: SQLiteColumn, list: string) => sql`${column} IN (SELECT value FROM json_each(${list}))`;

type Reads = { list: string; now: number };

/**
 * The three reads, compiled once per object (member ids bound as one JSON list): building
 * their SQL on every burst cost more than D1 answering them.
 */
function memberQueries(raw: D1Database, d1: StoreD1) {
  const c = memberCoupons;
  const list = slot('list');
  const now = slot<number>('now');
  return {
    db: raw,
    coupons: compile<Reads>(
      raw,
      d1
        .select({ memberId: c.memberId, id: c.id, rule: c.rule })
        .from(c)
        .where(and(inList(c.memberId, list), eq(c.status, 'available'), lte(c.validFrom, now), gt(c.validTo, now))),
    ),
    tiers: compile<Reads>(
      raw,
      d1
        .select({ memberId: memberLoyalty.memberId, tierId: memberLoyalty.tierId })
        .from(memberLoyalty)
        .where(inList(memberLoyalty.memberId, list)),
    ),
    tokens: compile<Reads>(
      raw,
      d1
        .select({ id: members.id, tokensValidAfter: members.tokensValidAfter, deletedAt: members.deletedAt })
        .from(members)
        .where(inList(members.id, list)),
    ),
  };
}

type Row = Record<string, unknown>;

async function readMembers(
  reads: ReturnType<typeof memberQueries>,
  ids: string[],
  now: number,
): Promise<Map<string, MemberPricing>> {
  const values = { list: JSON.stringify(ids), now };
  const [coupons, tiers, tokens] = await reads.db.batch<Row>([
    reads.coupons(values),
    reads.tiers(values),
    reads.tokens(values),
  ]);
  const out = new Map<string, MemberPricing>(ids.map((id) => [id, { coupons: [] }]));
  // Raw rows are keyed by column name: read them through the table objects' names.
  const c = memberCoupons;
  for (const r of coupons!.results) {
    out.get(r[c.memberId.name] as string)!.coupons.push({
      ...(JSON.parse(r[c.rule.name] as string) as HeldCoupon),
      id: r[c.id.name] as string,
    });
  }
  for (const r of tiers!.results) {
    out.get(r[memberLoyalty.memberId.name] as string)!.tierId = r[memberLoyalty.tierId.name] as string;
  }
  for (const r of tokens!.results) {
    out.get(r[members.id.name] as string)!.token = {
      tokensValidAfter: r[members.tokensValidAfter.name] as number,
      deletedAt: r[members.deletedAt.name] as number | null,
    };
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
