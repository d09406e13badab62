import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { memberCoupons as c } from '../../../schema/d1/tables';
import type { StoreD1 } from '../d1';

/*
 * Coupon holds in D1, each move one conditional UPDATE so two orders can never hold or
 * spend the same coupon, whichever store they are placed at.
 */

/** Locks all of `couponIds` for an order, or none: returns false if any was not free. */
export async function lockCoupons(d1: StoreD1, memberId: string, couponIds: string[], orderId: string, now: number) {
  if (couponIds.length === 0) return true;
  const locked = await d1
    .update(c)
    .set({ status: 'locked', orderId })
    .where(
      and(
        inArray(c.id, couponIds),
        eq(c.memberId, memberId),
        eq(c.status, 'available'),
        lte(c.validFrom, now),
        gt(c.validTo, now),
      ),
    )
    .returning({ id: c.id });
  if (locked.length === couponIds.length) return true;
  await releaseCoupons(d1, orderId, now);
  return false;
}

/** Gives back the coupons an unpaid or cancelled order held, unless they have expired. */
export async function releaseCoupons(d1: StoreD1, orderId: string, now: number) {
  await d1
    .update(c)
    .set({
      status: sql`CASE WHEN ${c.validTo} > ${now} THEN 'available' ELSE 'expired' END`,
      orderId: null,
      usedAt: null,
    })
    .where(and(eq(c.orderId, orderId), inArray(c.status, ['locked', 'used'])))
    .run();
}

/** Marks an order's held coupons as spent once it is paid. */
export async function consumeCoupons(d1: StoreD1, orderId: string, now: number) {
  await d1
    .update(c)
    .set({ status: 'used', usedAt: now })
    .where(and(eq(c.orderId, orderId), eq(c.status, 'locked')))
    .run();
}
