/*
 * Business days for the demo history. Both demo time zones are UTC+8 with no daylight
 * saving, so a fixed offset per zone is exact here (the runtime code uses domain/zoned-time).
 * A business day starts at 04:00 (the default `dayStartsAt`), so a 01:30 order on a late
 * weekend night belongs to the day before; local minutes past that day's midnight run to 28:00.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const OFFSET_MINUTES: Record<string, number> = { 'Asia/Shanghai': 480, 'Asia/Singapore': 480 };

export function offsetMs(timeZone: string): number {
  const off = OFFSET_MINUTES[timeZone];
  if (off === undefined) throw new Error(`demo history knows no offset for ${timeZone}`);
  return off * MINUTE;
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dayString(dayNo: number): string {
  return new Date(dayNo * DAY).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD`. */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY);
}

/** ISO weekday, Monday 1 … Sunday 7. */
export function weekday(dayNo: number): number {
  return ((new Date(dayNo * DAY).getUTCDay() + 6) % 7) + 1;
}

/** Epoch ms of `minutes` past local midnight of the day. */
export function localEpoch(dayNo: number, minutes: number, timeZone: string): number {
  return dayNo * DAY + minutes * MINUTE - offsetMs(timeZone);
}

/** The business day (day number) an instant belongs to, with a 04:00 day start. */
export function businessDayNo(at: number, timeZone: string): number {
  return Math.floor((at + offsetMs(timeZone) - 4 * HOUR) / DAY);
}

/** ISO 8601 with the zone's offset, as the store writes order times (`isoInZone`). */
export function isoLocal(at: number, timeZone: string): string {
  const off = offsetMs(timeZone);
  const shifted = new Date(Math.floor(at / 1000) * 1000 + off).toISOString().slice(0, 19);
  const m = off / MINUTE;
  return `${shifted}+${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Local midnight starting the month `months` after the month of `at` (points expiry, as `lotExpiresAt`). */
export function monthsLater(at: number, timeZone: string, months: number): number {
  const local = new Date(at + offsetMs(timeZone));
  const index = local.getUTCFullYear() * 12 + local.getUTCMonth() + months + 1;
  return Date.UTC(Math.floor(index / 12), index % 12, 1) - offsetMs(timeZone);
}
