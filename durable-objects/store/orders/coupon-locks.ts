/**
 * Coupon holds in D1, each move one conditional UPDATE so two orders can never hold or
 * spend the same coupon, whichever store they are placed at.
 */

/** Locks all of `couponIds` for an order, or none: returns false if any was not free. */
export async function lockCoupons(db: D1Database, memberId: string, couponIds: string[], orderId: string, now: number) {
  if (couponIds.length === 0) return true;
  const marks = couponIds.map(() => '?').join(',');
  const locked = await db
    .prepare(
      `UPDATE member_coupons SET status = 'locked', order_id = ?
       WHERE id IN (${marks}) AND member_id = ? AND status = 'available' AND valid_from <= ? AND valid_to > ?
       RETURNING id`,
    )
    .bind(orderId, ...couponIds, memberId, now, now)
    .all();
  if (locked.results.length === couponIds.length) return true;
  await releaseCoupons(db, orderId, now);
  return false;
}

/** Gives back the coupons an unpaid or cancelled order held, unless they have expired. */
export async function releaseCoupons(db: D1Database, orderId: string, now: number) {
  await db
    .prepare(
      `UPDATE member_coupons SET status = CASE WHEN valid_to > ? THEN 'available' ELSE 'expired' END, order_id = NULL, used_at = NULL
       WHERE order_id = ? AND status IN ('locked', 'used')`,
    )
    .bind(now, orderId)
    .run();
}

/** Marks an order's held coupons as spent once it is paid. */
export async function consumeCoupons(db: D1Database, orderId: string, now: number) {
  await db
    .prepare(`UPDATE member_coupons SET status = 'used', used_at = ? WHERE order_id = ? AND status = 'locked'`)
    .bind(now, orderId)
    .run();
}
