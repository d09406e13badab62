import { scheduleAt, type WeeklySlot } from '../schedule';
import { HOUR } from '../time';

/*
 * Sales velocity: units per open hour so far today, against the same stretch of the same
 * weekday in past weeks (each day counted from its start to the same time of day).
 */

/** Open time between two instants under a weekly schedule (an empty schedule is always open), in ms. */
export function openMsBetween(slots: WeeklySlot[], timeZone: string, from: number, to: number): number {
  let total = 0;
  let t = from;
  // Each step jumps a whole open or closed spell: a day has only a few.
  for (let guard = 0; t < to && guard < 50; guard++) {
    const s = scheduleAt(slots, timeZone, t);
    if (s.open) {
      const until = Math.min(s.until ?? to, to);
      total += until - t;
      t = until;
    } else {
      if (s.next === undefined) break;
      t = s.next;
    }
  }
  return total;
}

export interface Velocity {
  /** Units sold so far today and per open hour (null before the store has been open). */
  today: { units: number; perHour: number | null };
  /** The same weekday in past weeks, to the same time of day: mean units and per open hour. */
  sameWeekday: { weeks: number; units: number; perHour: number | null };
  /** today.perHour / sameWeekday.perHour; null when either is unknown or the past sold nothing. */
  ratio: number | null;
}

/**
 * One dish's velocity from its units today and on each past same weekday (up to the same
 * time of day), with the open hours each of those stretches had.
 */
export function velocity(
  today: { units: number; openMs: number },
  past: { units: number; openMs: number }[],
): Velocity {
  const rate = (units: number, ms: number) => (ms > 0 ? units / (ms / HOUR) : null);
  const todayRate = rate(today.units, today.openMs);
  const units = past.reduce((a, p) => a + p.units, 0);
  const ms = past.reduce((a, p) => a + p.openMs, 0);
  const pastRate = past.length > 0 ? rate(units, ms) : null;
  return {
    today: { units: today.units, perHour: todayRate },
    sameWeekday: { weeks: past.length, units: past.length > 0 ? units / past.length : 0, perHour: pastRate },
    ratio: todayRate !== null && pastRate ? todayRate / pastRate : null,
  };
}
