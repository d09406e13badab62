import { and, desc, eq } from 'drizzle-orm';
import type { HeldCoupon } from '../../domain/pricing';
import { type CouponShelf, couponShelf, couponSummary } from '../../domain/pricing/coupon-wallet';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { memberCoupons } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import type { MemberRef } from '../members/members.service';

/** The most coupons one wallet lists: far above what a member holds, a bound on the read. */
const MAX_LISTED = 200;

const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, BRAND_TIME_ZONE));

/**
 * The member's coupons on their shelves (usable, used, expired), each with its name, its
 * rule in one line and its validity. Usable ones come soonest-ending first, the rest newest first.
 */
export async function memberWallet(env: Env, m: MemberRef, shelf?: CouponShelf, now = Date.now()) {
  const c = memberCoupons;
  const rows = await db(env)
    .select()
    .from(c)
    .where(and(eq(c.memberId, m.id), eq(c.brandId, m.brandId)))
    .orderBy(desc(c.issuedAt), desc(c.id))
    .limit(MAX_LISTED);
  const items = rows
    .map((r) => {
      const rule = json<Partial<HeldCoupon> & Record<string, unknown>>(r.rule, {});
      const kind = (rule.kind ?? 'amount') as HeldCoupon['kind'];
      const status = couponShelf(r.status, r.validTo, now);
      return {
        id: r.id,
        templateId: r.templateId,
        name: typeof rule.name === 'string' ? rule.name : '',
        kind,
        rule: {
          ...(typeof rule.threshold === 'number' ? { threshold: rule.threshold } : {}),
          ...(typeof rule.amountOff === 'number' ? { amountOff: rule.amountOff } : {}),
          ...(typeof rule.percentOff === 'number' ? { percentOff: rule.percentOff } : {}),
          ...(typeof rule.cap === 'number' ? { cap: rule.cap } : {}),
          ...(typeof rule.itemId === 'string' ? { itemId: rule.itemId } : {}),
        },
        summary: couponSummary({ ...rule, kind } as Parameters<typeof couponSummary>[0]),
        status,
        locked: r.status === 'locked' && status === 'usable',
        validFrom: iso(r.validFrom)!,
        validTo: iso(r.validTo)!,
        usedAt: iso(r.usedAt),
        orderId: r.orderId,
        source: r.source,
      };
    })
    .filter((x) => !shelf || x.status === shelf);
  const usable = items.filter((x) => x.status === 'usable').sort((a, b) => a.validTo.localeCompare(b.validTo));
  return { items: [...usable, ...items.filter((x) => x.status !== 'usable')] };
}
