import type { DeliveryStatus } from './tracking';

/*
 * Each carrier's status codes mapped onto the one delivery model (domain/delivery/tracking.ts).
 * A code not listed maps to null: the callback is answered and nothing changes.
 */

/**
 * Dada `order_status`: 1 awaiting acceptance, 2 awaiting pickup (a rider took it), 8
 * assigned, 100 rider at the store, 3 delivering, 4 done, 5 cancelled, 7 expired (no rider
 * took it), 9/10 delivery exception (goods returned), 1000 creation failed.
 */
const DADA: Record<number, DeliveryStatus> = {
  1: 'awaiting_rider',
  2: 'rider_assigned',
  8: 'rider_assigned',
  100: 'at_store',
  3: 'picked_up',
  4: 'delivered',
  5: 'cancelled',
  7: 'cancelled',
  9: 'failed',
  10: 'failed',
  1000: 'failed',
};

/**
 * SF same-city `order_status`: 10 a rider accepted, 12 at the store, 15 delivering, 17
 * done, 2 cancelled; 22 and 31 (rider withdrew, cancelled with a charge) are cancellations
 * too (kaidianxing `SfOrderStatusConstant`, verify in the sandbox).
 */
const SF: Record<number, DeliveryStatus> = {
  10: 'rider_assigned',
  12: 'at_store',
  15: 'picked_up',
  17: 'delivered',
  2: 'cancelled',
  22: 'cancelled',
  31: 'cancelled',
};

/**
 * WeChat instant delivery `order_status`: 101 awaiting a rider, 102 a rider accepted, 103
 * (dispatch stage) reassigned; 201 rider on the way to the store, 202 at the store, 203
 * picked up, 204/205 pickup failed or the store cancelled; 301 delivering, 302 delivered,
 * 303–305 delivery exceptions; 401 returned; 501/502 cancelled by the carrier.
 */
const WECHAT: Record<number, DeliveryStatus> = {
  101: 'awaiting_rider',
  102: 'rider_assigned',
  103: 'rider_assigned',
  201: 'rider_assigned',
  202: 'at_store',
  203: 'picked_up',
  204: 'failed',
  205: 'cancelled',
  301: 'picked_up',
  302: 'delivered',
  303: 'failed',
  304: 'failed',
  305: 'failed',
  401: 'failed',
  501: 'cancelled',
  502: 'cancelled',
};

export type CarrierName = 'dada' | 'sf' | 'wechat';

const TABLES: Record<CarrierName, Record<number, DeliveryStatus>> = { dada: DADA, sf: SF, wechat: WECHAT };

/** The one-model status for a carrier's code, or null for a code we do not track. */
export function carrierStatus(carrier: CarrierName, code: number): DeliveryStatus | null {
  return TABLES[carrier][code] ?? null;
}
