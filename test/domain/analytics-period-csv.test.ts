import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kpiFields, zeroBrand, zeroMembers, zeroSales } from '../../domain/analytics/kpis';
import { addDays, daysIn, eachDay, isoWeekday, periodProblem, previousPeriod } from '../../domain/analytics/period';
import { hoursCsv, summaryCsv } from '../../domain/analytics/report-csv';
import { DEFAULT_TARGETS } from '../../domain/analytics/targets';
import { csvCell, neutralize, toCsv, yuanCell } from '../../domain/csv-export';

describe('periods of business days', () => {
  it('a year of 2028 (a leap year) is 366 days and still allowed; one more day is not', () => {
    expect(daysIn('2028-01-01', '2028-12-31')).toBe(366);
    expect(periodProblem('2028-01-01', '2028-12-31')).toBeNull();
    expect(periodProblem('2028-01-01', '2029-01-01')).toMatchObject({ path: 'to' });
  });

  it('refuses `to` before `from` and dates that do not exist', () => {
    expect(periodProblem('2026-11-30', '2026-11-29')?.message).toMatch(/before/);
    expect(periodProblem('2026-02-30', '2026-03-01')).toMatchObject({ path: 'from' });
  });

  it('the previous period has the same length and ends the day before', () => {
    expect(previousPeriod('2026-11-01', '2026-11-30')).toEqual({ from: '2026-10-02', to: '2026-10-31' });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 366 }), (start, n) => {
        const from = addDays('2024-01-01', start);
        const to = addDays(from, n - 1);
        const prev = previousPeriod(from, to);
        expect(daysIn(prev.from, prev.to)).toBe(n);
        expect(addDays(prev.to, 1)).toBe(from);
        expect(eachDay(from, to)).toHaveLength(n);
      }),
    );
  });

  it('weekdays are ISO: 2026-11-30 is a Monday (1), 2026-12-06 a Sunday (7)', () => {
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(isoWeekday('2026-12-06')).toBe(7);
    expect(isoWeekday('1969-12-31')).toBe(3);
  });
});

describe('CSV for the spreadsheet', () => {
  it('starts with a BOM, ends lines with CRLF and quotes what needs quoting', () => {
    const file = toCsv(
      ['name', 'revenue_yuan'],
      [
        ['宫保鸡丁, 大份', yuanCell(2800)],
        ['say "hi"', yuanCell(-5)],
      ],
    );
    expect(file).toBe('\uFEFFname,revenue_yuan\r\n"宫保鸡丁, 大份",28.00\r\n"say ""hi""",-0.05\r\n');
  });

  it('a text cell a spreadsheet would run as a formula gets a leading apostrophe', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)'])
      expect(csvCell(evil).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell('Noodles')).toBe('Noodles');
  });

  it('numbers stay numbers: a negative change is not neutralized; null is an empty cell', () => {
    expect(csvCell(-0.25)).toBe('-0.25');
    expect(csvCell(null)).toBe('');
  });

  it('no neutralized text ever starts with = + - @', () => {
    fc.assert(fc.property(fc.string(), (s) => !/^[=+\-@]/.test(neutralize(s))));
  });

  it('the summary is one header row and one data row, money in yuan', () => {
    const k = kpiFields({ ...zeroSales(), revenue: 12_345, orders: 2 }, zeroMembers(), zeroBrand());
    const file = summaryCsv({
      from: '2026-11-01',
      to: '2026-11-30',
      stores: ['sto_a', 'sto_b'],
      ...k,
      targets: DEFAULT_TARGETS,
    });
    const [header, row, end] = file.slice(1).split('\r\n');
    expect(end).toBe('');
    expect(header!.split(',')).toContain('net_revenue_yuan');
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(cells).toMatchObject({
      stores: 'sto_a sto_b',
      net_revenue_yuan: '123.45',
      average_order_value_yuan: '61.73',
      repurchase_rate_30d: '',
    });
  });

  it('the hour grid is one row per cell', () => {
    const file = hoursCsv({ cells: [{ weekday: 1, hour: 12, orders: 3, revenue: 9000 }] });
    expect(file).toBe('\uFEFFweekday,hour,orders,revenue_yuan\r\n1,12,3,90.00\r\n');
  });
});
