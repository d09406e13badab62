import { describe, expect, it } from 'vitest';
import { isoInZone, localTime, offsetMinutes, zonedEpoch } from '../../domain/zoned-time';

describe('store-local time', () => {
  it('reads a Shanghai wall clock from a UTC instant', () => {
    const t = localTime(Date.UTC(2026, 10, 23, 0, 30), 'Asia/Shanghai');
    expect(t).toMatchObject({ year: 2026, month: 11, day: 23, weekday: 1, minutes: 8 * 60 + 30 });
    expect(offsetMinutes(Date.UTC(2026, 10, 23), 'Asia/Shanghai')).toBe(480);
  });

  it('turns a wall time back into the instant, across DST in New York', () => {
    const date = { year: 2026, month: 3, day: 8, weekday: 7 };
    expect(zonedEpoch(date, 60, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 6, 0));
    expect(zonedEpoch(date, 4 * 60, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 8, 0));
    expect(isoInZone(Date.UTC(2026, 2, 8, 8, 0), 'America/New_York')).toBe('2026-03-08T04:00:00-04:00');
  });
});

describe('wall times the clocks skip', () => {
  it('a New York wall time inside the spring-forward gap lands on the jump (03:00 EDT), never before it', () => {
    const date = { year: 2026, month: 3, day: 8, weekday: 7 };
    expect(zonedEpoch(date, 2 * 60 + 30, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 0));
    expect(zonedEpoch(date, 2 * 60, 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 7, 0));
  });

  it('so does a Berlin one, east of UTC (02:30 on 2026-03-29 → 03:00 CEST)', () => {
    const date = { year: 2026, month: 3, day: 29, weekday: 7 };
    expect(zonedEpoch(date, 2 * 60 + 30, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 0));
  });
});
