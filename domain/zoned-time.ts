/*
 * Wall-clock arithmetic in a store's IANA time zone. Pure: the instant is always a
 * parameter. Intl is the only source of zone rules (workerd ships full ICU data).
 */

export interface LocalDate {
  year: number;
  month: number;
  day: number;
  /** ISO weekday: Monday = 1 … Sunday = 7. */
  weekday: number;
}

export interface LocalTime extends LocalDate {
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows this IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallParts(epochMs: number, timeZone: string) {
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(timeZone).formatToParts(epochMs)) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  return out;
}

const QUARTER_HOUR = 900_000;
const offsets = new Map<string, number>();

/**
 * Offset of the zone from UTC at an instant, in minutes (Asia/Shanghai: +480).
 * Zone transitions fall on UTC quarter-hours (offsets are multiples of 15 minutes and
 * change on the local hour), so one Intl lookup serves a whole quarter-hour: hot paths
 * (menu reads, ticket days) rarely reach Intl at all.
 */
export function offsetMinutes(epochMs: number, timeZone: string): number {
  const bucket = Math.floor(epochMs / QUARTER_HOUR);
  const key = `${timeZone}|${bucket}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const at = bucket * QUARTER_HOUR;
    const w = wallParts(at, timeZone);
    off = Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - at) / 60000);
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The local calendar date and time of an instant in a zone. */
export function localTime(epochMs: number, timeZone: string): LocalTime {
  const wall = new Date(epochMs + offsetMinutes(epochMs, timeZone) * 60_000);
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth() + 1;
  const day = wall.getUTCDate();
  return {
    year,
    month,
    day,
    weekday: isoWeekday(year, month, day),
    minutes: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}

/** The local date `days` after (or before) a local date. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return { year, month, day, weekday: isoWeekday(year, month, day) };
}

/**
 * The instant at which a zone's clocks show `minutes` past midnight of `date`
 * (minutes may exceed 1440 for "02:00 the next day"). In a DST gap the answer
 * is the instant the clocks jump, the first moment the wall clock shows a later time.
 */
export function zonedEpoch(date: LocalDate, minutes: number, timeZone: string): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = guess - offsetMinutes(guess, timeZone) * 60000;
  const second = guess - offsetMinutes(first, timeZone) * 60000;
  if (second + offsetMinutes(second, timeZone) * 60000 === guess) return second;
  // The wall time does not exist: the two candidates straddle the jump; find it to the minute.
  let before = Math.min(first, second);
  let after = Math.max(first, second);
  const offsetBefore = offsetMinutes(before, timeZone);
  while (after - before > 60000) {
    const mid = before + Math.floor((after - before) / 120000) * 60000;
    if (offsetMinutes(mid, timeZone) === offsetBefore) before = mid;
    else after = mid;
  }
  return after;
}

/**
 * The zone of answers that involve no store (a member's profile, wallet and coupons, a menu
 * published to several stores, a staff session): the brand's. Brands have no zone column
 * yet, and every brand keeps China time.
 */
export const BRAND_TIME_ZONE = 'Asia/Shanghai';

/**
 * ISO 8601 with the zone's offset, e.g. `2026-11-23T10:30:00+08:00`: the one way an answer
 * writes an instant, in the store's zone where a store is involved and `BRAND_TIME_ZONE`
 * otherwise, never as a bare UTC `Z`.
 */
export function isoInZone(epochMs: number, timeZone: string): string {
  const off = offsetMinutes(epochMs, timeZone);
  const shifted = new Date(Math.floor(epochMs / 1000) * 1000 + off * 60000).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "HH:MM" → minutes since midnight, or null when malformed. "24:00" is allowed as an end. */
export function parseHhmm(s: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(s);
  if (!m) return null;
  const v = Number(m[1]) * 60 + Number(m[2]);
  return v > 1440 ? null : v;
}

/** A local date as `YYYY-MM-DD` (the key for business days, check-ins, daily caps). */
export function dateKey(d: Pick<LocalDate, 'year' | 'month' | 'day'>): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The local calendar day of an instant in a zone, `YYYY-MM-DD`. */
export function localDay(epochMs: number, timeZone: string): string {
  return dateKey(localTime(epochMs, timeZone));
}
