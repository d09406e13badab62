import type { HeldCoupon } from '../../../domain/pricing';
import { issuedBefore, type TokenState, tokenCutoff } from '../../../domain/token-revocation';
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

  constructor(private readonly db: D1Database) {}

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
            this.db,
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

async function readMembers(db: D1Database, ids: string[], now: number): Promise<Map<string, MemberPricing>> {
  const list = JSON.stringify(ids);
  const [c, t, m] = await db.batch([
    db
      .prepare(
        `SELECT member_id, id, rule FROM member_coupons
          WHERE member_id IN (SELECT value FROM json_each(?1)) AND status = 'available' AND valid_from <= ?2 AND valid_to > ?2`,
      )
      .bind(list, now),
    db
      .prepare('SELECT member_id, tier_id FROM member_loyalty WHERE member_id IN (SELECT value FROM json_each(?))')
      .bind(list),
    db
      .prepare('SELECT id, tokens_valid_after, deleted_at FROM members WHERE id IN (SELECT value FROM json_each(?))')
      .bind(list),
  ]);
  const out = new Map<string, MemberPricing>(ids.map((id) => [id, { coupons: [] }]));
  for (const r of c!.results as { member_id: string; id: string; rule: string }[]) {
    out.get(r.member_id)!.coupons.push({ ...(JSON.parse(r.rule) as HeldCoupon), id: r.id });
  }
  for (const r of t!.results as { member_id: string; tier_id: string }[]) out.get(r.member_id)!.tierId = r.tier_id;
  for (const r of m!.results as { id: string; tokens_valid_after: number; deleted_at: number | null }[]) {
    out.get(r.id)!.token = { tokensValidAfter: r.tokens_valid_after, deletedAt: r.deleted_at };
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
