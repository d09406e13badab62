/*
 * How often one store-day's figures may be re-derived. A re-derivation reads every order of the
 * day, so its cost grows with the day (`npm run bench:rollup-days`: about 0.07 ms of D1 an order
 * of the day, 73 ms at 1,000 orders). Re-deriving on every event that moves the figures makes a
 * busy day cost D1 the day's size times its event rate; a day that has waited a little longer
 * for its next re-derivation costs a bounded share of D1 however fast its events come.
 */

/** A day smaller than this is re-derived on every event that moves it: it is cheap, and figures stay live. */
export const PACE_FROM_ORDERS = 200;
/**
 * How long a day waits between re-derivations for each order it holds: at about 0.07 ms of D1
 * an order, one busy store-day then takes under 1 % of D1's time.
 */
export const PACE_MS_PER_ORDER = 10;
/** The longest a manager waits for a busy day's figures to catch up. */
export const MAX_PACE_MS = 60_000;

/** The time a day of `orders` orders waits after one re-derivation before the next. */
export function paceMs(orders: number): number {
  return orders < PACE_FROM_ORDERS ? 0 : Math.min(MAX_PACE_MS, orders * PACE_MS_PER_ORDER);
}

/** A store-day's last re-derivation: when, and how many orders the day held then. */
export interface Derivation {
  at: number;
  orders: number;
}

/**
 * When a day last re-derived as `last` may be re-derived again; a day never re-derived (or
 * forgotten) may be at once.
 */
export function nextDerivationAt(last: Derivation | undefined): number {
  return last ? last.at + paceMs(last.orders) : Number.NEGATIVE_INFINITY;
}
