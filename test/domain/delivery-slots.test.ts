import { describe, expect, it } from 'vitest';
import { arrivedOnTime, asapPromise, findSlot, type SlotRules, upcomingSlots } from '../../domain/delivery/slots';
import type { WeeklySlot } from '../../domain/schedule';

const at = (iso: string) => Date.parse(iso);
const TZ = 'Asia/Shanghai';
const rules: SlotRules = { slotMinutes: 30, leadMinutes: 30, prepMinutes: 20, riderMetresPerMinute: 250 };
const lunchAndDinner: WeeklySlot[] = [
  { days: [], start: '11:00', end: '14:00' },
  { days: [], start: '17:00', end: '21:00' },
];
const iso = (ms: number) => new Date(ms).toISOString();

describe('delivery slots', () => {
  it('start after the lead time on the half hour, promised by their end', () => {
    const slots = upcomingSlots([], TZ, rules, at('2026-12-03T12:07+08:00'), 3);
    expect(slots.map((s) => [iso(s.start), iso(s.promisedBy)])).toEqual([
      [iso(at('2026-12-03T13:00+08:00')), iso(at('2026-12-03T13:30+08:00'))],
      [iso(at('2026-12-03T13:30+08:00')), iso(at('2026-12-03T14:00+08:00'))],
      [iso(at('2026-12-03T14:00+08:00')), iso(at('2026-12-03T14:30+08:00'))],
    ]);
  });

  it('lie wholly inside opening hours: lunch ends at 14:00, dinner starts at 17:00', () => {
    const slots = upcomingSlots(lunchAndDinner, TZ, rules, at('2026-12-03T12:50+08:00'), 3);
    expect(slots.map((s) => iso(s.start))).toEqual([
      iso(at('2026-12-03T13:30+08:00')),
      iso(at('2026-12-03T17:00+08:00')),
      iso(at('2026-12-03T17:30+08:00')),
    ]);
  });

  it('a chosen start is found only when it is one of the offered slots', () => {
    const now = at('2026-12-03T12:50+08:00');
    expect(findSlot(lunchAndDinner, TZ, rules, now, at('2026-12-03T17:30+08:00'))?.end).toBe(
      at('2026-12-03T18:00+08:00'),
    );
    for (const bad of [
      '2026-12-03T13:00+08:00',
      '2026-12-03T15:00+08:00',
      '2026-12-03T17:10+08:00',
      '2026-12-01T17:00+08:00',
    ]) {
      expect(findSlot(lunchAndDinner, TZ, rules, now, at(bad)), bad).toBeUndefined();
    }
    expect(findSlot(lunchAndDinner, TZ, rules, now, Number.NaN)).toBeUndefined();
  });

  it('stop two days ahead at a store that never opens', () => {
    expect(
      upcomingSlots([{ days: [1], start: '10:00', end: '10:20' }], TZ, rules, at('2026-12-03T12:00+08:00')),
    ).toEqual([]);
  });
});

describe('the on-time promise', () => {
  it('ASAP is placement + preparation + travel at the rider’s speed, rounded up to a minute', () => {
    const placed = at('2026-12-03T12:00+08:00');
    expect(asapPromise(placed, 1100, rules)).toBe(at('2026-12-03T12:25+08:00'));
    expect(asapPromise(placed, 0, rules)).toBe(at('2026-12-03T12:20+08:00'));
  });

  it('on time means arrived by the promise', () => {
    const promise = at('2026-12-03T12:30+08:00');
    expect(arrivedOnTime(promise, promise)).toBe(true);
    expect(arrivedOnTime(promise + 1, promise)).toBe(false);
  });
});
