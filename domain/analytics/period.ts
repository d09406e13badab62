/*
 * Periods of business days, as `YYYY-MM-DD` strings (the store's own day, already decided by
 * whoever wrote the rollups). Calendar arithmetic only: a business day has no time zone here.
 */

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD`, or null when it is not a real calendar date (2026-02-30). */
export function dayNumber(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

function mustDay(date: string): number {
  const n = dayNumber(date);
  if (n === null) throw new RangeError(`not a calendar date: ${date}`);
  return n;
}

/** The `YYYY-MM-DD` of a day number. */
export function dateOf(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** `date` moved by `days` (negative: earlier). */
export const addDays = (date: string, days: number): string => dateOf(mustDay(date) + days);

/** Days in the inclusive period `from`…`to` (1 when they are the same day). */
export const daysIn = (from: string, to: string): number => mustDay(to) - mustDay(from) + 1;

/** Every day of the inclusive period, in order. */
export function eachDay(from: string, to: string): string[] {
  const start = mustDay(from);
  return Array.from({ length: Math.max(0, daysIn(from, to)) }, (_, i) => dateOf(start + i));
}

/** ISO weekday of a business day: Monday = 1 … Sunday = 7. */
export function isoWeekday(date: string): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((mustDay(date) + 3) % 7) + 7) % 7) + 1;
}

/** The period of the same length that ends the day before `from` (what "change" compares against). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const n = daysIn(from, to);
  return { from: addDays(from, -n), to: addDays(from, -1) };
}

/** The longest period a report covers: a leap year. */
export const MAX_PERIOD_DAYS = 366;

/** The rolling window that member rates look at: the 30 days ending `to`. */
export const MEMBER_WINDOW_DAYS = 30;

/** First day of the 30-day member window ending `to`. */
export const memberWindowStart = (to: string): string => addDays(to, -(MEMBER_WINDOW_DAYS - 1));

/** Why a period is refused, or null when it is fine. */
export function periodProblem(from: string, to: string): { path: 'from' | 'to'; message: string } | null {
  if (dayNumber(from) === null) return { path: 'from', message: 'not a calendar date' };
  if (dayNumber(to) === null) return { path: 'to', message: 'not a calendar date' };
  const n = daysIn(from, to);
  if (n < 1) return { path: 'to', message: '`to` is before `from`' };
  if (n > MAX_PERIOD_DAYS) return { path: 'to', message: `a period covers at most ${MAX_PERIOD_DAYS} days` };
  return null;
}
