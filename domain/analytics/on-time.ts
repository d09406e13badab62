import { arrivedOnTime } from '../delivery/slots';
import type { DeliveryProvider } from '../delivery/tracking';

/*
 * The on-time rate: of the deliveries that arrived, the share that arrived by their promise
 * (domain/delivery/slots.ts), per store and per courier (the provider, and for the store's
 * own riders each rider).
 */

export interface DeliveryOutcome {
  provider: DeliveryProvider;
  riderId: string | null;
  riderName: string | null;
  promisedBy: number;
  deliveredAt: number;
  onTime: boolean;
}

interface OrderPayload {
  delivery?: {
    promisedBy?: string | null;
    tracking?: {
      provider: DeliveryProvider;
      status: string;
      rider?: { name?: string; riderId?: string };
      history?: { status: string; at: number }[];
    };
  } | null;
}

/** The outcome an order event records, when it tells of a delivery that arrived and had a promise. */
export function deliveryOutcomeOf(order: OrderPayload): DeliveryOutcome | null {
  const d = order.delivery;
  const t = d?.tracking;
  if (!d?.promisedBy || !t || t.status !== 'delivered') return null;
  const promisedBy = Date.parse(d.promisedBy);
  const deliveredAt = t.history?.find((h) => h.status === 'delivered')?.at;
  if (!Number.isFinite(promisedBy) || deliveredAt === undefined) return null;
  return {
    provider: t.provider,
    riderId: t.provider === 'own' ? (t.rider?.riderId ?? null) : null,
    riderName: t.rider?.name ?? null,
    promisedBy,
    deliveredAt,
    onTime: arrivedOnTime(deliveredAt, promisedBy),
  };
}

/** A share in [0, 1] to four places; null when nothing was delivered. */
export function onTimeRate(delivered: number, onTime: number): number | null {
  return delivered === 0 ? null : Math.round((onTime / delivered) * 10_000) / 10_000;
}
