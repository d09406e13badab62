import { asapPromise, findSlot, slotRules, upcomingSlots } from '../../domain/delivery/slots';
import type { WeeklySlot } from '../../domain/schedule';
import type { StoreSettings } from '../../domain/store-settings';
import { isoInZone } from '../../domain/zoned-time';
import { validationFailed } from '../http/errors';
import { json } from '../lib/db';
import type { StoreContext } from '../stores/store-gateway';

/** The store's next delivery slots, each with its promised arrival, as store-local ISO times. */
export function deliverySlotsOf(ctx: StoreContext, now = Date.now(), count = 12) {
  const hours = json<WeeklySlot[]>(ctx.store.openingHours, []);
  const tz = ctx.store.timeZone;
  const rules = slotRules(ctx.settings);
  return {
    slotMinutes: rules.slotMinutes,
    items: upcomingSlots(hours, tz, rules, now, count).map((s) => ({
      start: isoInZone(s.start, tz),
      end: isoInZone(s.end, tz),
      promisedBy: isoInZone(s.promisedBy, tz),
    })),
  };
}

/**
 * A delivery's slot and promise at quote and placement: a chosen `deliverySlot` must be one
 * of the store's upcoming slots (else 422 naming it) and is promised by its end; without one
 * the order is promised by placement + preparation + travel.
 */
export function deliveryPromise(
  hours: WeeklySlot[],
  timeZone: string,
  settings: StoreSettings,
  distanceMetres: number,
  deliverySlot: string | undefined,
  now: number,
): { slot?: { start: number; end: number }; promisedBy: number } {
  const rules = slotRules(settings);
  if (deliverySlot === undefined) return { promisedBy: asapPromise(now, distanceMetres, rules) };
  const slot = findSlot(hours, timeZone, rules, now, Date.parse(deliverySlot));
  if (!slot) {
    throw validationFailed([
      { path: 'deliverySlot', message: 'not one of the store’s upcoming delivery slots (GET .../delivery-slots)' },
    ]);
  }
  return { slot: { start: slot.start, end: slot.end }, promisedBy: slot.promisedBy };
}
