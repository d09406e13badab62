import { formatYuan } from './money';

/*
 * CSV for spreadsheets (RFC 4180): a header row, CRLF line ends, UTF-8 with a byte-order mark
 * so Excel reads Chinese names right. Text cells that a spreadsheet would run as a formula
 * (starting with = + - @, or a tab or CR) get a leading `'` (OWASP CSV injection); numbers
 * are written as numbers, so a real −0.25 stays a number.
 */

/** A number we formatted ourselves (money with two decimals): written as is, never neutralized. */
export interface NumericText {
  numeric: string;
}

export type CsvCell = string | number | NumericText | null | undefined;

const BOM = '\uFEFF';
const FORMULA = /^[=+\-@\t\r]/;

/** A text cell made safe to open: a would-be formula gets a leading `'`. */
export function neutralize(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}

/** One cell as written: quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'string') text = neutralize(value);
  else text = value.numeric;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Cents as a yuan cell with two decimals (2800 → 28.00, −5 → -0.05). */
export const yuanCell = (cents: number | null): NumericText | null =>
  cents === null ? null : { numeric: formatYuan(cents) };

/** A whole file: BOM, the header row, then one row per record, each line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
