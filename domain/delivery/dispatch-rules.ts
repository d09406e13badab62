import type { OrderMode, OrderStatus } from '../orders/order-state';
import type { CarrierName } from './carrier-status';
import type { DeliveryTracking } from './tracking';

export const carrierNames = ['dada', 'sf', 'wechat'] as const satisfies readonly CarrierName[];
export const dispatchPicks = ['cheapest', 'fastest'] as const;
export type DispatchPick = (typeof dispatchPicks)[number];

/** One carrier's answer to a quote: a price and a promise, or why there is none. */
export type CarrierQuote =
  | { carrier: CarrierName; ok: true; fee: number; minutes: number; distanceMetres?: number }
  | { carrier: CarrierName; ok: false; error: { code: CarrierFailure; message: string } };

/** Why a carrier gave no quote: it did not answer, it said no, or its answer made no sense. */
export type CarrierFailure = 'carrier.unavailable' | 'carrier.rejected' | 'carrier.malformed';

/**
 * The carrier the store's rule picks among the quotes that came back: the lowest fee
 * (`cheapest`) or the fewest promised minutes (`fastest`); ties go to the other measure,
 * then to the carrier's name, so the pick never depends on which answer arrived first.
 */
export function pickCarrier(quotes: CarrierQuote[], rule: DispatchPick): CarrierName | null {
  const ok = quotes.filter((q): q is Extract<CarrierQuote, { ok: true }> => q.ok);
  if (ok.length === 0) return null;
  const key = (q: (typeof ok)[number]) => (rule === 'cheapest' ? [q.fee, q.minutes] : [q.minutes, q.fee]);
  ok.sort((a, b) => {
    const [a1, a2] = key(a);
    const [b1, b2] = key(b);
    return a1! - b1! || a2! - b2! || (a.carrier < b.carrier ? -1 : 1);
  });
  return ok[0]!.carrier;
}

/** Order statuses a carrier may be called for: paid, and not yet on its way or finished. */
const DISPATCHABLE: OrderStatus[] = ['paid', 'accepted', 'preparing', 'ready'];

export type DispatchRefusal =
  | { code: 'order.not_delivery'; detail: string }
  | { code: 'dispatch.order_not_dispatchable'; detail: string };

/**
 * Why an order may not be handed to a carrier now, or null when it may: only delivery
 * orders, only once paid, and not once delivering, finished or cancelled; and not while
 * the store's own rider (or another live delivery) has it.
 */
export function dispatchRefusal(order: {
  mode: OrderMode;
  status: OrderStatus;
  tracking?: DeliveryTracking | null;
}): DispatchRefusal | null {
  if (order.mode !== 'delivery') {
    return { code: 'order.not_delivery', detail: `A ${order.mode} order is not delivered; nothing to dispatch.` };
  }
  if (!DISPATCHABLE.includes(order.status)) {
    return {
      code: 'dispatch.order_not_dispatchable',
      detail: `The order is ${order.status}; a carrier is called once it is paid and until it leaves the store.`,
    };
  }
  const t = order.tracking;
  if (t && t.provider === 'own' && !['cancelled', 'failed'].includes(t.status)) {
    return { code: 'dispatch.order_not_dispatchable', detail: 'The store’s own rider has this delivery.' };
  }
  return null;
}

/**
 * Minutes a delivery will take when a carrier's quote promises none (Dada's and WeChat's
 * quotes carry a distance, not a time): a quarter hour for a rider to come and pick up,
 * then 250 m a minute on an e-bike in city traffic, rounded up.
 */
export function estimatedMinutes(distanceMetres: number): number {
  return 15 + Math.ceil(Math.max(0, distanceMetres) / 250);
}
