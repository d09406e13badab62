import { describe, expect, it } from 'vitest';
// @ts-expect-error: the console's modules are plain browser ES modules without type declarations
import * as untyped from '../../web/manage/period.js';

interface Selection {
  preset: string;
  from: string;
  to: string;
  storeIds: string[];
}
const period = untyped as {
  todayIn(timeZone: string, now?: number): string;
  addDays(day: string, days: number): string;
  daysBetween(from: string, to: string): string[];
  rangeOf(preset: string, today: string): { from: string; to: string };
  readSelection(search: string, today: string): Selection;
  writeSelection(s: Selection): string;
  rangeProblem(from: string, to: string): string | null;
};

describe('the console’s period and stores, as kept in the address', () => {
  const today = '2026-12-02';

  it('counts "today" in the store’s own time zone', () => {
    // 2026-12-02 17:30 UTC is already the 3rd in Shanghai, still the 2nd in New York.
    const now = Date.UTC(2026, 11, 2, 17, 30);
    expect(period.todayIn('Asia/Shanghai', now)).toBe('2026-12-03');
    expect(period.todayIn('America/New_York', now)).toBe('2026-12-02');
  });

  it('presets cover complete days ending yesterday; "this month" runs through today', () => {
    expect(period.rangeOf('yesterday', today)).toEqual({ from: '2026-12-01', to: '2026-12-01' });
    expect(period.rangeOf('7d', today)).toEqual({ from: '2026-11-25', to: '2026-12-01' });
    expect(period.daysBetween('2026-11-25', '2026-12-01')).toHaveLength(7);
    expect(period.rangeOf('30d', today)).toEqual({ from: '2026-11-02', to: '2026-12-01' });
    expect(period.rangeOf('month', today)).toEqual({ from: '2026-12-01', to: '2026-12-02' });
    expect(period.addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('a shared link brings back the same stores and period', () => {
    const chosen = { preset: 'custom', from: '2026-10-01', to: '2026-10-31', storeIds: ['sto_a', 'sto_b'] };
    const search = period.writeSelection(chosen);
    expect(search).toBe('?period=custom&from=2026-10-01&to=2026-10-31&store=sto_a&store=sto_b');
    expect(period.readSelection(search, today)).toEqual(chosen);
    // A preset follows the calendar, so its link carries no dates.
    expect(period.writeSelection({ ...chosen, preset: '7d' })).toBe('?period=7d&store=sto_a&store=sto_b');
  });

  it('a missing or broken address falls back to the last 7 days of every store', () => {
    expect(period.readSelection('', today)).toEqual({
      preset: '7d',
      from: '2026-11-25',
      to: '2026-12-01',
      storeIds: [],
    });
    expect(period.readSelection('?period=custom&from=2026-10-31&to=2026-10-01', today).preset).toBe('7d');
    expect(period.readSelection('?period=forever', today).preset).toBe('7d');
  });

  it('says why a custom range cannot be asked for', () => {
    expect(period.rangeProblem('2026-10-01', '2026-10-31')).toBeNull();
    expect(period.rangeProblem('', '2026-10-31')).toBe('rangeMissing');
    expect(period.rangeProblem('2026-10-31', '2026-10-01')).toBe('rangeBackwards');
    expect(period.rangeProblem('2025-01-01', '2026-10-01')).toBe('rangeTooLong');
  });
});
