import type { StoreSettings } from '../store-settings';

/**
 * What an unpaid order may hold. An unpaid order takes its stock at once (so two guests
 * never pay for the last bowl), which lets a guest who never pays keep a dish from
 * everyone else. Three rules bound that without getting in a paying guest's way:
 *
 * - A guest has at most `maxUnpaidOrdersPerGuest` unpaid orders at a store at once: the
 *   next one waits until one is paid or cancelled.
 * - An order that takes a dish with a daily count (limited stock) must be paid within
 *   `limitedStockPaymentMinutes` (5 by default, against 15): paying in the mini-program
 *   takes seconds, so only a guest who is not going to pay notices.
 * - Each unpaid order holding limited stock that the guest lets lapse (it expires, or they
 *   cancel it before paying) is a strike for the business day; at
 *   `limitedStockStrikes` strikes their unpaid orders may no longer take limited stock
 *   until the next business day. Dishes without a count stay open to them, and a family
 *   ordering the last three bowls and paying is never affected, however often it orders.
 */
export type HoldRefusal =
  | { code: 'order.too_many_unpaid'; unpaid: number; limit: number }
  | { code: 'order.limited_stock_refused'; strikes: number };

/** Whether a guest's next unpaid order may be placed, and why not. */
export function unpaidHoldRefusal(
  s: Pick<StoreSettings, 'maxUnpaidOrdersPerGuest' | 'limitedStockStrikes'>,
  guest: { unpaid: number; strikesToday: number },
  takesLimitedStock: boolean,
): HoldRefusal | null {
  if (guest.unpaid >= s.maxUnpaidOrdersPerGuest) {
    return { code: 'order.too_many_unpaid', unpaid: guest.unpaid, limit: s.maxUnpaidOrdersPerGuest };
  }
  if (takesLimitedStock && guest.strikesToday >= s.limitedStockStrikes) {
    return { code: 'order.limited_stock_refused', strikes: guest.strikesToday };
  }
  return null;
}

/** Minutes an unpaid order has to be paid: shorter when it holds limited stock, never longer than the store's. */
export function paymentWindowMinutes(
  s: Pick<StoreSettings, 'unpaidExpiryMinutes' | 'limitedStockPaymentMinutes'>,
  takesLimitedStock: boolean,
): number {
  return takesLimitedStock ? Math.min(s.unpaidExpiryMinutes, s.limitedStockPaymentMinutes) : s.unpaidExpiryMinutes;
}
