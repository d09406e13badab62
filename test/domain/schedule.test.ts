import { describe, expect, it } from 'vitest';
import { scheduleAt, slotErrors, type WeeklySlot } from '../../domain/schedule';

/** An instant written as local wall time with its offset, e.g. `2026-11-23T21:59+08:00`. */
const at = (iso: string) => Date.parse(iso);

// 2026-11-23 is a Monday; 2026-11-28/29 are Saturday/Sunday.
const SHANGHAI_HOURS: WeeklySlot[] = [
  { days: [1, 2, 3, 4, 5], start: '07:00', end: '22:00' },
  { days: [6, 7], start: '08:00', end: '02:00' },
];
const SINGAPORE_HOURS: WeeklySlot[] = [{ days: [], start: '10:00', end: '22:30' }];

describe('opening hours in the store’s own time zone', () => {
  it('a Shanghai store is open on a weekday at 21:59 local and says it closes at 22:00', () => {
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', at('2026-11-23T21:59+08:00'))).toEqual({
      open: true,
      until: at('2026-11-23T22:00+08:00'),
    });
  });

  it('at 22:00 sharp it is closed and next opens at 07:00 the next morning', () => {
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', at('2026-11-23T22:00+08:00'))).toEqual({
      open: false,
      next: at('2026-11-24T07:00+08:00'),
    });
  });

  it('on Friday night the next opening is the later weekend slot at 08:00 on Saturday', () => {
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', at('2026-11-27T22:30+08:00'))).toEqual({
      open: false,
      next: at('2026-11-28T08:00+08:00'),
    });
  });

  it('a weekend slot 08:00–02:00 keeps the store open at 01:30 on Sunday, from Saturday’s slot', () => {
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', at('2026-11-29T01:30+08:00'))).toEqual({
      open: true,
      until: at('2026-11-29T02:00+08:00'),
    });
  });

  it('and closes at 02:00, reopening at 08:00 the same Sunday', () => {
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', at('2026-11-29T02:00+08:00'))).toEqual({
      open: false,
      next: at('2026-11-29T08:00+08:00'),
    });
  });

  it('Sunday’s late slot runs into Monday 01:30, but Friday’s weekday slot does not run into Saturday', () => {
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', at('2026-11-30T01:30+08:00'))).toEqual({
      open: true,
      until: at('2026-11-30T02:00+08:00'),
    });
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', at('2026-11-28T01:30+08:00'))).toEqual({
      open: false,
      next: at('2026-11-28T08:00+08:00'),
    });
  });

  it('the weekday is the local one: 07:30 Monday in Shanghai is still Sunday in UTC', () => {
    const instant = Date.UTC(2026, 10, 22, 23, 30); // Sunday 23:30 UTC
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', instant)).toEqual({
      open: true,
      until: at('2026-11-23T22:00+08:00'),
    });
  });

  it('at the same instant a Singapore store is open while a Shanghai store is closed', () => {
    const instant = at('2026-11-23T14:15Z'); // 22:15 on Monday in both (UTC+8)
    expect(scheduleAt(SINGAPORE_HOURS, 'Asia/Singapore', instant)).toEqual({
      open: true,
      until: at('2026-11-23T22:30+08:00'),
    });
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', instant)).toEqual({
      open: false,
      next: at('2026-11-24T07:00+08:00'),
    });
    // Same hours, same offset: the same answer.
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Singapore', instant)).toEqual(
      scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', instant),
    );
  });

  it('the same wall-clock hours mean different instants in another zone', () => {
    const instant = at('2026-11-23T23:30Z'); // 07:30 Tuesday in Shanghai, 18:30 Monday in New York
    expect(scheduleAt(SHANGHAI_HOURS, 'Asia/Shanghai', instant).open).toBe(true);
    expect(scheduleAt(SHANGHAI_HOURS, 'America/New_York', instant)).toEqual({
      open: true,
      until: at('2026-11-23T22:00-05:00'),
    });
    expect(scheduleAt(SHANGHAI_HOURS, 'America/New_York', at('2026-11-24T03:30Z'))).toEqual({
      open: false,
      next: at('2026-11-24T07:00-05:00'),
    });
  });

  describe('a New York store on the day clocks spring forward (2026-03-08, 02:00 EST → 03:00 EDT)', () => {
    const DAILY: WeeklySlot[] = [{ days: [], start: '07:00', end: '22:00' }];

    it('opens at 07:00 EDT on Sunday, one hour earlier in UTC than on Saturday', () => {
      expect(scheduleAt(DAILY, 'America/New_York', at('2026-03-07T06:59-05:00'))).toEqual({
        open: false,
        next: Date.UTC(2026, 2, 7, 12, 0),
      });
      expect(scheduleAt(DAILY, 'America/New_York', at('2026-03-08T06:59-04:00'))).toEqual({
        open: false,
        next: Date.UTC(2026, 2, 8, 11, 0),
      });
      expect(scheduleAt(DAILY, 'America/New_York', at('2026-03-08T07:00-04:00'))).toEqual({
        open: true,
        until: at('2026-03-08T22:00-04:00'),
      });
    });

    it('a bar open Saturday 18:00–02:30 stays open until the clock jumps past 02:30 (03:00 EDT)', () => {
      const BAR: WeeklySlot[] = [{ days: [6], start: '18:00', end: '02:30' }];
      const jump = at('2026-03-08T03:00-04:00'); // = 07:00 UTC, the instant the wall clock skips 02:00–03:00
      expect(scheduleAt(BAR, 'America/New_York', at('2026-03-08T01:45-05:00'))).toEqual({ open: true, until: jump });
      expect(scheduleAt(BAR, 'America/New_York', jump).open).toBe(false);
    });

    it('in autumn the repeated hour keeps the bar open until 02:30 EST', () => {
      const BAR: WeeklySlot[] = [{ days: [6], start: '18:00', end: '02:30' }];
      // 2026-11-01 02:00 EDT → 01:00 EST; 01:15 EST is the second 01:15 of the night.
      expect(scheduleAt(BAR, 'America/New_York', at('2026-11-01T01:15-05:00'))).toEqual({
        open: true,
        until: at('2026-11-01T02:30-05:00'),
      });
    });
  });

  it('an empty schedule is always open; a schedule with no slot this week has no next opening', () => {
    expect(scheduleAt([], 'Asia/Shanghai', at('2026-11-23T03:00+08:00'))).toEqual({ open: true });
  });

  it('reports malformed slots by index', () => {
    expect(
      slotErrors([
        { days: [1], start: '07:00', end: '22:00' },
        { days: [], start: '7am', end: '22:00' },
        { days: [8], start: '10:00', end: '10:00' },
      ]),
    ).toEqual([
      { index: 1, message: 'start "7am" is not HH:MM' },
      { index: 2, message: 'start and end are the same' },
      { index: 2, message: 'days are ISO weekdays 1 (Monday) to 7 (Sunday)' },
    ]);
  });
});
