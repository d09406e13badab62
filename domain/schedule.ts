import { addDays, type LocalDate, localTime, parseHhmm, zonedEpoch } from './zoned-time';

/**
 * A weekly recurring slot in local wall time: opening hours ("Mon 07:00–22:00") and
 * item availability windows ("breakfast 06:00–10:30") are both lists of these.
 * An end at or before the start runs past midnight into the next day.
 */
export interface WeeklySlot {
  /** ISO weekdays the slot starts on (Monday = 1); empty means every day. */
  days: number[];
  start: string;
  end: string;
}

export interface ScheduleState {
  open: boolean;
  /** When the current open spell ends (epoch ms), if open. */
  until?: number;
  /** When the next open spell starts (epoch ms), if closed and one exists within 8 days. */
  next?: number;
}

interface Interval {
  from: number;
  to: number;
}

function intervalsAround(slots: WeeklySlot[], timeZone: string, today: LocalDate): Interval[] {
  const out: Interval[] = [];
  // Yesterday's slot may still be running past midnight; look 8 days ahead for the next one.
  for (let offset = -1; offset <= 8; offset++) {
    const date = addDays(today, offset);
    for (const slot of slots) {
      if (slot.days.length > 0 && !slot.days.includes(date.weekday)) continue;
      const start = parseHhmm(slot.start);
      let end = parseHhmm(slot.end);
      if (start === null || end === null) continue;
      if (end <= start) end += 1440;
      out.push({ from: zonedEpoch(date, start, timeZone), to: zonedEpoch(date, end, timeZone) });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}

/**
 * Whether a weekly schedule is open at `now` in `timeZone`, when it closes, and when it
 * next opens. An empty schedule is always open.
 */
export function scheduleAt(slots: WeeklySlot[], timeZone: string, now: number): ScheduleState {
  if (slots.length === 0) return { open: true };
  const today = localTime(now, timeZone);
  const intervals = intervalsAround(slots, timeZone, today);
  let until: number | undefined;
  for (const iv of intervals) {
    // Chain touching or overlapping intervals so "until" is the real end of the spell.
    if (until === undefined ? iv.from <= now && now < iv.to : iv.from <= until) {
      if (until === undefined || iv.to > until) until = iv.to;
    }
  }
  if (until !== undefined) return { open: true, until };
  const next = intervals.find((iv) => iv.from > now)?.from;
  return next === undefined ? { open: false } : { open: false, next };
}

/** Validates a slot list, returning a message per bad slot index. */
export function slotErrors(slots: WeeklySlot[]): { index: number; message: string }[] {
  const errors: { index: number; message: string }[] = [];
  slots.forEach((s, index) => {
    if (parseHhmm(s.start) === null || parseHhmm(s.start) === 1440) {
      errors.push({ index, message: `start "${s.start}" is not HH:MM` });
    } else if (parseHhmm(s.end) === null) {
      errors.push({ index, message: `end "${s.end}" is not HH:MM` });
    } else if (s.start === s.end) {
      errors.push({ index, message: 'start and end are the same' });
    }
    if (s.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      errors.push({ index, message: 'days are ISO weekdays 1 (Monday) to 7 (Sunday)' });
    }
  });
  return errors;
}
