import { and, count, eq, sql } from 'drizzle-orm';
import type { Promotion } from '../../../domain/pricing';
import { promotions, promotionUses as u } from '../../../schema/d1/tables';
import type { StoreD1 } from '../d1';

/*
 * Uses of limited promotions in D1, shared by every store of the brand. Each claim is one
 * conditional INSERT … SELECT: it inserts only while the promotion is active and under its
 * limits, so two orders at two stores can never both take the last use.
 */

/** The applied promotions that have use limits. */
export function limitedPromotions(all: readonly Promotion[], appliedIds: readonly string[]): Promotion[] {
  return all.filter(
    (p) => appliedIds.includes(p.id) && (p.limits?.perGuest !== undefined || p.limits?.total !== undefined),
  );
}

export interface UseClaim {
  orderId: string;
  storeId: string;
  memberId: string | null;
  now: number;
}

/** Claims one use of each promotion for an order, or none: false when any is used up. */
export async function claimPromotionUses(d1: StoreD1, list: readonly Promotion[], claim: UseClaim): Promise<boolean> {
  for (const p of list) {
    const { perGuest, total } = p.limits ?? {};
    if (perGuest !== undefined && claim.memberId === null) {
      await releasePromotionUses(d1, claim.orderId);
      return false;
    }
    const used = (where: ReturnType<typeof and>) => sql`(${d1.select({ n: count() }).from(u).where(where)})`;
    const conditions = [eq(promotions.id, p.id), eq(promotions.active, true)];
    if (total !== undefined) conditions.push(sql`${used(eq(u.promotionId, p.id))} < ${total}`);
    if (perGuest !== undefined && claim.memberId !== null) {
      conditions.push(sql`${used(and(eq(u.promotionId, p.id), eq(u.memberId, claim.memberId)))} < ${perGuest}`);
    }
    const inserted = await d1
      .insert(u)
      .select(
        d1
          .select({
            promotionId: promotions.id,
            orderId: sql<string>`${claim.orderId}`.as('order_id'),
            memberId: sql<string | null>`${claim.memberId}`.as('member_id'),
            storeId: sql<string>`${claim.storeId}`.as('store_id'),
            at: sql<number>`${claim.now}`.as('at'),
          })
          .from(promotions)
          .where(and(...conditions)),
      )
      .onConflictDoNothing()
      .returning({ id: u.promotionId });
    if (inserted.length === 0) {
      await releasePromotionUses(d1, claim.orderId);
      return false;
    }
  }
  return true;
}

/** Gives back every use an order claimed (cancelled, expired unpaid, refunded, or a failed placement). */
export async function releasePromotionUses(d1: StoreD1, orderId: string): Promise<void> {
  await d1.delete(u).where(eq(u.orderId, orderId)).run();
}
