import { businessDay } from '../store-settings';
import { addDays, dateKey, type LocalDate, localTime, parseHhmm, zonedEpoch } from '../zoned-time';

/** What places an instant on a store's business day: its zone and when its day starts. */
export interface StoreClock {
  timeZone: string;
  dayStartsAt: string;
}

/** The business day and store-local hour an order placed at `at` belongs to. */
export function orderDay(at: number, clock: StoreClock): { businessDay: string; localHour: number } {
  return {
    businessDay: businessDay(at, clock.timeZone, clock.dayStartsAt),
    localHour: Math.floor(localTime(at, clock.timeZone).minutes / 60),
  };
}

/** `YYYY-MM-DD` as a local date. */
export function parseDateKey(key: string): LocalDate {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  return addDays({ year, month, day, weekday: 1 }, 0);
}

/** The day `n` days after (or before) a `YYYY-MM-DD` day. */
export const shiftDay = (key: string, n: number) => dateKey(addDays(parseDateKey(key), n));

/** Days `from`…`to` inclusive (empty when `to` is before `from`). */
export function daysFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = shiftDay(d, 1)) out.push(d);
  return out;
}

/** Whole days from `from` to `to` (0 when equal). */
export function dayCount(from: string, to: string): number {
  const a = parseDateKey(from);
  const b = parseDateKey(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** The instants a business day spans, [start, end), for a clock (calendar days: `dayStartsAt` 00:00). */
export function dayBounds(key: string, clock: StoreClock): { start: number; end: number } {
  const shift = parseHhmm(clock.dayStartsAt) ?? 0;
  const date = parseDateKey(key);
  return {
    start: zonedEpoch(date, shift, clock.timeZone),
    end: zonedEpoch(addDays(date, 1), shift, clock.timeZone),
  };
}
