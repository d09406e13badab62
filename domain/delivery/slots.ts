import { scheduleAt, type WeeklySlot } from '../schedule';
import { MINUTE } from '../time';

/*
 * Delivery time slots and the on-time promise. A guest picks a slot (arrive between its
 * start and end, promised by its end) or asks for as soon as possible (promised by
 * placement + preparation + travel at a rider's speed). Pure: time is a parameter.
 */

export interface SlotRules {
  /** Length of a slot in minutes; slots start on multiples of it on the clock. */
  slotMinutes: number;
  /** The earliest slot starts at least this many minutes after now. */
  leadMinutes: number;
  /** Minutes the kitchen takes before a rider can leave (the ASAP promise). */
  prepMinutes: number;
  /** How far a rider goes per minute, for the ASAP promise (250 m/min ≈ 15 km/h). */
  riderMetresPerMinute: number;
}

export interface DeliverySlot {
  start: number;
  end: number;
  /** The promised arrival: the end of the slot. */
  promisedBy: number;
}

/** A store's slot rules from its settings. */
export function slotRules(s: {
  deliverySlotMinutes: number;
  deliveryLeadMinutes: number;
  deliveryPrepMinutes: number;
  riderMetresPerMinute: number;
}): SlotRules {
  return {
    slotMinutes: s.deliverySlotMinutes,
    leadMinutes: s.deliveryLeadMinutes,
    prepMinutes: s.deliveryPrepMinutes,
    riderMetresPerMinute: s.riderMetresPerMinute,
  };
}

/** Suggested special-care notes a guest may pick (or write their own, up to 60 characters). */
export const CARE_NOTE_SUGGESTIONS = ['孕妇 / pregnant', '易碎 / fragile', '汤汁 / soup', '不要按门铃 / no doorbell'];
export const CARE_NOTE_MAX = 60;

/** How far ahead slots are offered. */
export const SLOT_HORIZON_MS = 2 * 24 * 60 * MINUTE;

/**
 * The next `count` slots of a store: each starts at least `leadMinutes` from now on a
 * multiple of `slotMinutes`, and lies wholly inside opening hours (an empty schedule is
 * always open). At most two days ahead.
 */
export function upcomingSlots(
  hours: WeeklySlot[],
  timeZone: string,
  rules: SlotRules,
  now: number,
  count = 12,
): DeliverySlot[] {
  const step = Math.max(5, Math.round(rules.slotMinutes)) * MINUTE;
  const earliest = now + Math.max(0, rules.leadMinutes) * MINUTE;
  const out: DeliverySlot[] = [];
  for (
    let start = Math.ceil(earliest / step) * step;
    start < now + SLOT_HORIZON_MS && out.length < count;
    start += step
  ) {
    const end = start + step;
    const open = scheduleAt(hours, timeZone, start);
    if (open.open && (open.until === undefined || open.until >= end)) out.push({ start, end, promisedBy: end });
  }
  return out;
}

/** The offered slot that starts at `start`, or undefined when it is not one. */
export function findSlot(
  hours: WeeklySlot[],
  timeZone: string,
  rules: SlotRules,
  now: number,
  start: number,
): DeliverySlot | undefined {
  if (!Number.isFinite(start) || start < now || start > now + SLOT_HORIZON_MS) return undefined;
  const all = upcomingSlots(hours, timeZone, rules, now, Number.MAX_SAFE_INTEGER);
  return all.find((s) => s.start === start);
}

/** The ASAP promise: placement + preparation + travel at the rider's speed, rounded up to a minute. */
export function asapPromise(placedAt: number, distanceMetres: number, rules: SlotRules): number {
  const travel = Math.ceil(Math.max(0, distanceMetres) / Math.max(1, rules.riderMetresPerMinute));
  return placedAt + (Math.max(0, rules.prepMinutes) + travel) * MINUTE;
}

/** Whether a delivery arrived by its promise. */
export function arrivedOnTime(deliveredAt: number, promisedBy: number): boolean {
  return deliveredAt <= promisedBy;
}
