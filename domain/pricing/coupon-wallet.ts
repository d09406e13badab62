import { yuan } from '../money';
import type { HeldCoupon } from './pricing-types';

/*
 * How a member's coupon reads in their wallet: which shelf it sits on (usable, used,
 * expired) and its rule in one line. Pure: the rule and the time come in.
 */

export type CouponShelf = 'usable' | 'used' | 'expired';
export type CouponRowStatus = 'available' | 'locked' | 'used' | 'expired' | 'revoked';

/**
 * The shelf of a coupon row at `now`: an available or locked (held by an unpaid order) coupon
 * is usable until its end; one past its end that was never used is expired, as is one taken back.
 */
export function couponShelf(status: CouponRowStatus, validTo: number, now: number): CouponShelf {
  if (status === 'used') return 'used';
  if (status === 'expired' || status === 'revoked') return 'expired';
  return validTo > now ? 'usable' : 'expired';
}

type RulePart = Pick<HeldCoupon, 'kind'> & {
  threshold?: number;
  amountOff?: number;
  percentOff?: number;
  cap?: number;
  itemId?: string;
};

/** The rule in one line: "¥5.00 off orders from ¥30.00", "15% off (up to ¥10.00)", "free delivery". */
export function couponSummary(rule: RulePart, itemName?: string): string {
  switch (rule.kind) {
    case 'amount':
      return rule.threshold
        ? `${yuan(rule.amountOff ?? 0)} off orders from ${yuan(rule.threshold)}`
        : `${yuan(rule.amountOff ?? 0)} off`;
    case 'percent':
      return rule.cap ? `${rule.percentOff ?? 0}% off (up to ${yuan(rule.cap)})` : `${rule.percentOff ?? 0}% off`;
    case 'free_item':
      return `a free ${itemName ?? rule.itemId ?? 'item'}`;
    case 'delivery_waiver':
      return 'free delivery';
  }
}
