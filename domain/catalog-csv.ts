import type { ItemImport } from '../schema/api/catalog.schemas';

/*
 * The menu catalog as CSV, for the admin's bulk import/export. One record is one item;
 * this module only handles syntax, the caller validates each row with the ItemImport schema.
 *
 * Structured cells use small notations a manager can edit in a spreadsheet:
 *   ingredients, allergens, tags   "|"-separated            辣椒|花生
 *   availability                   ";"-separated slots      1-5 06:00-10:30;6,7 08:00-11:00;22:00-02:00
 *                                  (no day prefix = every day; an end at or before the start runs past midnight)
 *   specs                          "|"-separated            s1:小份:2800|大份:3600          ([id:]name:price)
 *   option_groups                  ";"-separated groups     辣度(1-1)=不辣:0|微辣:0;g2:加料(0-3)=o1:加蛋:200|去葱:-100
 *                                  ([id:]name(min-max)=option|…, each option [id:]name:priceDelta)
 *
 * Hence names and ids inside those notations must avoid | ; : = ( ) and are trimmed; plain
 * cells (name, description, image_url…) may hold anything, though a cell of only whitespace
 * reads as empty. Empty cells are omitted from the row so the schema's defaults apply, so
 * csvToItems(itemsToCsv(items)) returns `items` exactly when they also hold no '' / null / []
 * field, and returns them up to those defaults otherwise.
 */

/** The shape itemsToCsv accepts: an ItemImport whose defaulted fields may be left out. */
export type ItemImportLike = Pick<ItemImport, 'category' | 'name' | 'price'> &
  Partial<Omit<ItemImport, 'category' | 'name' | 'price'>>;

/** One converted record; `line` is the physical line where it starts (the header is line 1). */
export interface CsvRow {
  line: number;
  value: Record<string, unknown>;
}

/** A syntax error at a physical line of the file. */
export interface CsvError {
  line: number;
  message: string;
}

type Fail = (message: string) => void;

interface Codec {
  /** Converts a non-blank cell; on a syntax error calls `fail` (the return value is then ignored). */
  decode: (cell: string, fail: Fail) => unknown;
  encode: (value: unknown) => string;
  /** The cell is a number we wrote ourselves, so a leading `-` is a sign, not a formula. */
  numeric?: boolean;
}

function toInt(text: string): number | undefined {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  const n = Number(t);
  if (!Number.isSafeInteger(n)) return undefined;
  return n === 0 ? 0 : n; // no -0 from "-0"
}

function pieces(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

const text: Codec = { decode: (cell) => cell, encode: String };

function integer(column: string, what = 'an integer'): Codec {
  return {
    decode: (cell, fail) => {
      const n = toInt(cell);
      if (n === undefined) fail(`${column} must be ${what}, got "${cell.trim()}"`);
      return n;
    },
    encode: String,
    numeric: true,
  };
}

const list: Codec = { decode: (cell) => pieces(cell, '|'), encode: (v) => (v as string[]).join('|') };

/** "[id:]name:number" → [id, name, number], shared by specs and options. */
function namedNumber(piece: string): [string | undefined, string, number] | undefined {
  const parts = piece.split(':').map((p) => p.trim());
  const n = toInt(parts.at(-1) ?? '');
  if ((parts.length !== 2 && parts.length !== 3) || parts.includes('') || n === undefined) return undefined;
  return [parts.length === 3 ? parts[0] : undefined, parts.at(-2)!, n];
}

function withId<T extends object>(id: string | undefined, rest: T): T & { id?: string } {
  return id === undefined ? rest : { id, ...rest };
}

const idPrefix = (id: string | undefined) => (id === undefined ? '' : `${id}:`);

function parseDays(text: string): number[] | undefined {
  const days: number[] = [];
  for (const part of text.split(',')) {
    const m = /^([1-7])(?:\s*-\s*([1-7]))?$/.exec(part.trim());
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return undefined;
    for (let d = from; d <= to; d++) days.push(d);
  }
  return days;
}

/** Runs of three or more consecutive days become ranges; order is kept so parsing gives the same array. */
function encodeDays(days: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < days.length; ) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${days[i]}-${days[j]}` : days.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return parts.join(',');
}

const SLOT = /^(?:([\d,\s-]+?)\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/;

const availability: Codec = {
  decode: (cell, fail) =>
    pieces(cell, ';').map((piece) => {
      const m = SLOT.exec(piece);
      const days = m?.[1] === undefined ? [] : parseDays(m[1]);
      if (!m || !days) return fail(`availability: "${piece}" is not "[days] HH:MM-HH:MM", e.g. "1-5 06:00-10:30"`);
      return { days, start: m[2]!.padStart(5, '0'), end: m[3]!.padStart(5, '0') };
    }),
  encode: (v) =>
    (v as ItemImport['availability'])
      .map((s) => `${s.days.length > 0 ? `${encodeDays(s.days)} ` : ''}${s.start}-${s.end}`)
      .join(';'),
};

const specs: Codec = {
  decode: (cell, fail) =>
    pieces(cell, '|').map((piece) => {
      const parsed = namedNumber(piece);
      if (!parsed) return fail(`specs: "${piece}" is not "[id:]name:price" with the price in integer cents`);
      const [id, name, price] = parsed;
      return withId(id, { name, price });
    }),
  encode: (v) => (v as ItemImport['specs']).map((s) => `${idPrefix(s.id)}${s.name}:${s.price}`).join('|'),
};

const GROUP = /^(?:([^:()=]+):)?([^:()=]+)\((\d+)\s*-\s*(\d+)\)\s*=(.*)$/s;

const optionGroups: Codec = {
  decode: (cell, fail) =>
    pieces(cell, ';').map((piece) => {
      const m = GROUP.exec(piece);
      if (!m) return fail(`option_groups: "${piece}" is not "[id:]name(min-max)=option|option|…"`);
      const name = m[2]!.trim();
      const options = pieces(m[5]!, '|').map((option) => {
        const parsed = namedNumber(option);
        if (!parsed) return fail(`option_groups: option "${option}" in "${name}" is not "[id:]name:priceDelta"`);
        const [id, optionName, priceDelta] = parsed;
        return withId(id, { name: optionName, priceDelta });
      });
      return withId(m[1]?.trim(), { name, min: Number(m[3]), max: Number(m[4]), options });
    }),
  encode: (v) =>
    (v as ItemImport['optionGroups'])
      .map((g) => {
        const options = g.options.map((o) => `${idPrefix(o.id)}${o.name}:${o.priceDelta}`).join('|');
        return `${idPrefix(g.id)}${g.name}(${g.min}-${g.max})=${options}`;
      })
      .join(';'),
};

const CODECS: Record<string, Codec> = {
  id: text,
  category: text,
  name: text,
  description: text,
  price: integer('price', 'integer cents'),
  image_url: text,
  calories: integer('calories'),
  ingredients: list,
  allergens: list,
  tags: list,
  availability,
  sort: integer('sort'),
  max_per_order: integer('max_per_order'),
  prep_seconds: integer('prep_seconds'),
  specs,
  option_groups: optionGroups,
};

/** Header order used by itemsToCsv; csvToItems accepts these in any order. */
export const CSV_COLUMNS: readonly string[] = Object.keys(CODECS);

const REQUIRED_COLUMNS = ['category', 'name', 'price'];

const camel = (column: string) => column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * Splits CSV text into records (RFC 4180: comma separator, "" escapes inside double quotes,
 * quoted fields may span lines; CRLF or LF). Strips a leading BOM and skips empty lines.
 * A malformed record is reported at the line it starts on and left out of `records`.
 */
export function parseCsv(text: string): { records: { line: number; fields: string[] }[]; errors: CsvError[] } {
  const records: { line: number; fields: string[] }[] = [];
  const errors: CsvError[] = [];
  const isBreak = (i: number) => text[i] === '\n' || text[i] === '\r';
  const skipBreak = (i: number) => (text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  while (i < text.length) {
    if (isBreak(i)) {
      i = skipBreak(i);
      line++;
      continue;
    }
    const start = line;
    const fields: string[] = [];
    let problem: string | undefined;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const quoteLine = line;
        let closed = false;
        for (i++; i < text.length; i++) {
          if (text[i] === '"') {
            if (text[i + 1] !== '"') {
              closed = true;
              i++;
              break;
            }
            i++;
          } else if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
            line++;
          }
          field += text[i];
        }
        if (!closed) {
          errors.push({ line: quoteLine, message: 'unterminated quoted field: a " is never closed' });
          return { records, errors };
        }
        if (i < text.length && text[i] !== ',' && !isBreak(i)) problem ??= 'unexpected text after a closing quote';
      }
      // Unquoted text (or text after a closing quote, already reported) runs to the next comma or line break.
      while (i < text.length && text[i] !== ',' && !isBreak(i)) field += text[i++];
      fields.push(field);
      if (text[i] !== ',') break;
      i++;
    }
    if (i < text.length) {
      i = skipBreak(i);
      line++;
    }
    if (problem) errors.push({ line: start, message: problem });
    else records.push({ line: start, fields });
  }
  return { records, errors };
}

/**
 * Converts an import file to rows of ItemImport-shaped objects (camelCase keys, blank cells
 * omitted). Needs a header row naming at least category, name and price. Every syntax error
 * is reported with its line; a record with any error yields no row. Rows are not validated.
 */
export function csvToItems(text: string): { rows: CsvRow[]; errors: CsvError[] } {
  const { records, errors } = parseCsv(text);
  const rows: CsvRow[] = [];
  const [header, ...body] = records;
  // A broken header must not let the first data record pose as the header.
  if (!header || errors.some((e) => e.line <= header.line)) {
    if (errors.length === 0) errors.push({ line: 1, message: 'the file is empty: expected a header row' });
    return { rows, errors };
  }

  const columns = header.fields.map((f) => f.trim().toLowerCase());
  const headerErrors: CsvError[] = [];
  columns.forEach((column, index) => {
    if (column === '') {
      headerErrors.push({ line: header.line, message: `column ${index + 1} of the header has no name` });
    } else if (!Object.hasOwn(CODECS, column)) {
      headerErrors.push({
        line: header.line,
        message: `unknown column "${column}"; expected ${CSV_COLUMNS.join(', ')}`,
      });
    } else if (columns.indexOf(column) !== index) {
      headerErrors.push({ line: header.line, message: `duplicate column "${column}"` });
    }
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.includes(column)) headerErrors.push({ line: header.line, message: `missing column "${column}"` });
  }
  if (headerErrors.length > 0) return { rows, errors: [...headerErrors, ...errors] };

  for (const { line, fields } of body) {
    // Spreadsheets export formatted-but-empty rows as lines of bare commas.
    if (fields.every((f) => f.trim() === '')) continue;
    if (fields.length !== columns.length) {
      errors.push({ line, message: `expected ${columns.length} fields, got ${fields.length}` });
      continue;
    }
    const errorsBefore = errors.length;
    const fail: Fail = (message) => errors.push({ line, message });
    const value: Record<string, unknown> = {};
    fields.forEach((cell, index) => {
      if (cell.trim() === '') return;
      const column = columns[index]!;
      const codec = CODECS[column]!;
      value[camel(column)] = codec.decode(codec.numeric ? cell : restoreCell(cell), fail);
    });
    if (errors.length === errorsBefore) rows.push({ line, value });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

/*
 * CSV injection (OWASP): a spreadsheet runs a cell that starts with = + - @ tab or CR as a
 * formula. Text cells that would are written with a leading `'` (shown by spreadsheets as
 * plain text); numeric columns are left alone, so a real -100 stays a number. A cell that
 * already starts with quotes before such a character gets one more, and import removes
 * exactly one, so export → import gives back the text as it was.
 */
const FORMULA = /^'*[=+\-@\t\r]/;

/** The cell as written to a file a spreadsheet may open. */
export function neutralizeCell(cell: string): string {
  return FORMULA.test(cell) ? `'${cell}` : cell;
}

/** Undoes neutralizeCell on import. */
export function restoreCell(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell) ? cell.slice(1) : cell;
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * Writes items as CSV with CSV_COLUMNS as the header and CRLF line endings (what Excel
 * expects); null and absent fields become empty cells. Inverse of csvToItems, within the
 * restrictions described at the top of this file.
 */
export function itemsToCsv(items: ItemImportLike[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const item of items) {
    const fields = item as Record<string, unknown>;
    const cells = CSV_COLUMNS.map((column) => {
      const value = fields[camel(column)];
      if (value === undefined || value === null) return '';
      const codec = CODECS[column]!;
      const cell = codec.encode(value);
      return quote(codec.numeric ? cell : neutralizeCell(cell));
    });
    lines.push(cells.join(','));
  }
  return lines.map((l) => `${l}\r\n`).join('');
}
