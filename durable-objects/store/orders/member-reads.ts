import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { HeldCoupon } from '../../../domain/pricing';
import { issuedBefore, type TokenState, tokenCutoff } from '../../../domain/token-revocation';
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

  constructor(private readonly d1: StoreD1) {}

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
            this.d1,
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

async function readMembers(d1: StoreD1, ids: string[], now: number): Promise<Map<string, MemberPricing>> {
  const list = JSON.stringify(ids);
  const c = memberCoupons;
  const [coupons, tiers, tokens] = await d1.batch([
    d1
      .select({ memberId: c.memberId, id: c.id, rule: c.rule })
      .from(c)
      .where(and(inList(c.memberId, list), eq(c.status, 'available'), lte(c.validFrom, now), gt(c.validTo, now))),
    d1
      .select({ memberId: memberLoyalty.memberId, tierId: memberLoyalty.tierId })
      .from(memberLoyalty)
      .where(inList(memberLoyalty.memberId, list)),
    d1
      .select({ id: members.id, tokensValidAfter: members.tokensValidAfter, deletedAt: members.deletedAt })
      .from(members)
      .where(inList(members.id, list)),
  ]);
  const out = new Map<string, MemberPricing>(ids.map((id) => [id, { coupons: [] }]));
  for (const r of coupons) out.get(r.memberId)!.coupons.push({ ...(JSON.parse(r.rule) as HeldCoupon), id: r.id });
  for (const r of tiers) out.get(r.memberId)!.tierId = r.tierId;
  for (const r of tokens) out.get(r.id)!.token = { tokensValidAfter: r.tokensValidAfter, deletedAt: r.deletedAt };
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
