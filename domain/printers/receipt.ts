import { formatYuan } from '../money';
/*
 * Receipt and kitchen-ticket layout: an order becomes a list of printer-neutral blocks that
 * the encoders (`receipt-encoders.ts`, the Feieyun driver) turn into bytes or vendor markup.
 * Columns are counted the way a GB-mode thermal printer prints them: ASCII is one column,
 * CJK and fullwidth characters two (Font A: 58 mm ≈ 32 columns, 80 mm ≈ 48).
 */

export interface TicketOrder {
  id: string;
  ticketNo: string;
  mode: 'dine_in' | 'pickup' | 'delivery';
  tableName?: string | null;
  pickupAt?: string | null;
  deliveryAddress?: string | null;
  /** The guest's special-care note for the rider (孕妇, 易碎, 汤汁, 不要按门铃 …). */
  careNote?: string | null;
  /** ISO 8601 with the store's offset; printed as the wall time written there. */
  createdAt: string;
  note?: string | null;
  lines: {
    name: string;
    specName?: string;
    options: { name: string }[];
    quantity: number;
    unitPrice: number;
    /** After `discount` (pricing engine's `PricedLine.total`). */
    total: number;
    discount: number;
  }[];
  discounts: { name: string; amount: number }[];
  itemsSubtotal: number;
  packingFee: number;
  deliveryFee: number;
  total: number;
  storeName: string;
  orderUrl: string;
}

/** 58 mm ≈ 32 half-width columns, 80 mm ≈ 48 (at Font A). */
export type Width = 58 | 80;

export type Block =
  | { kind: 'text'; text: string; align?: 'left' | 'center' | 'right'; bold?: boolean; size?: 1 | 2 | 3 }
  | { kind: 'rule' }
  | { kind: 'row'; left: string; right: string; bold?: boolean }
  | { kind: 'qr'; data: string }
  | { kind: 'feed'; lines: number }
  | { kind: 'cut' };

type TextBlock = Extract<Block, { kind: 'text' }>;

export const COLUMNS: Record<Width, number> = { 58: 32, 80: 48 };

const MODE_LABEL = { dine_in: '堂食 Dine-in', pickup: '自取 Pickup', delivery: '外送 Delivery' } as const;

// East Asian Wide/Fullwidth blocks (simplified from Unicode EastAsianWidth.txt).
const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];
// East Asian Ambiguous symbols that GB fonts print full width (each is a two-byte GB2312 code).
const AMBIGUOUS_WIDE = new Set('×÷·—…‘’“”°±§№※→←↑↓★☆○●◎◇◆□■△▲℃');
// Closing punctuation stays on the line of the character before it.
const CLOSING = new Set('，。、；：？！）」』】》〉,.;:!?)]}%');

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0;
  if (cp < 0x1100) return AMBIGUOUS_WIDE.has(ch) ? 2 : 1;
  for (const [lo, hi] of WIDE) if (cp >= lo && cp <= hi) return 2;
  return AMBIGUOUS_WIDE.has(ch) ? 2 : 1;
}

/** Printed columns of `s`: CJK, fullwidth and GB full-width symbols count 2, controls 0. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

/** Removes control characters (a note must never smuggle printer commands); tabs become spaces. */
function clean(s: string): string {
  let out = '';
  for (const ch of s.replace(/\r\n?/g, '\n')) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') out += ch;
    else if (ch === '\t') out += ' ';
    else if (cp >= 0x20 && (cp < 0x7f || cp >= 0xa0)) out += ch;
  }
  return out;
}

function tokens(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let kind = '';
  for (const ch of s) {
    const k = ch === ' ' ? 'space' : charWidth(ch) === 2 ? 'wide' : 'word';
    if (CLOSING.has(ch) && cur && kind !== 'space') {
      cur += ch;
      continue;
    }
    if (k === kind) {
      cur += ch;
      continue;
    }
    if (cur) out.push(cur);
    cur = ch;
    kind = k;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Wraps by display width: Latin words and space-delimited CJK phrases move whole when they
 * fit a line, unspaced Chinese fills lines character by character, closing punctuation never
 * starts a line, anything wider than `cols` is split. Newlines in `s` start new lines; an
 * empty string gives one empty line.
 */
export function wrap(s: string, cols: number): string[] {
  const out: string[] = [];
  for (const para of clean(s).split('\n')) {
    let line = '';
    let w = 0;
    const flush = () => {
      out.push(line.trimEnd());
      line = '';
      w = 0;
    };
    const put = (ch: string) => {
      if (w + charWidth(ch) > cols && w > 0) {
        const chars = [...line];
        const carried = CLOSING.has(ch) && chars.length > 1 ? chars.pop()! : '';
        line = chars.join('');
        flush();
        line = carried;
        w = displayWidth(carried);
      }
      line += ch;
      w += charWidth(ch);
    };
    for (const tok of tokens(para)) {
      const tw = displayWidth(tok);
      const wide = charWidth(String.fromCodePoint(tok.codePointAt(0)!)) === 2;
      if (w + tw <= cols) {
        line += tok;
        w += tw;
      } else if (tok.trim() === '') {
        flush();
      } else if (tw <= cols && (line.endsWith(' ') || !wide)) {
        flush();
        line = tok;
        w = tw;
      } else {
        if (!wide && w > 0) flush();
        for (const ch of tok) put(ch);
      }
    }
    flush();
  }
  return out;
}

/**
 * `right` flush right on the first line; a `left` too long continues below, indented two
 * columns. A `right` too wide to share a line goes on its own lines, right-aligned.
 */
export function rowLines(left: string, right: string, cols: number): string[] {
  const r = clean(right).replace(/\n/g, ' ');
  const rw = displayWidth(r);
  if (rw > cols - 6) return [...wrap(left, cols), ...wrap(r, cols).map((l) => alignLine(l, 'right', cols))];
  const [first = '', ...rest] = wrap(left, cols - Math.max(rw, 1) - 1);
  return [first + ' '.repeat(cols - displayWidth(first) - rw) + r, ...rest.map((l) => `  ${l}`)];
}

/** Pads a line that fits in `cols` to the given alignment (no trailing spaces). */
export function alignLine(line: string, align: TextBlock['align'], cols: number): string {
  const gap = Math.max(0, cols - displayWidth(line));
  if (align === 'center') return ' '.repeat(Math.floor(gap / 2)) + line;
  if (align === 'right') return ' '.repeat(gap) + line;
  return line;
}

/** The printed lines of a text, row or rule block; text at size n has `cols / n` columns. */
export function blockLines(block: Block, cols: number): string[] {
  if (block.kind === 'text') return wrap(block.text, Math.max(2, Math.floor(cols / (block.size ?? 1))));
  if (block.kind === 'row') return rowLines(block.left, block.right, cols);
  if (block.kind === 'rule') return ['-'.repeat(cols)];
  return [];
}

export { formatYuan };

const ISO_LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/;

/** Wall time as written in an ISO string with offset: "2026-11-23 11:02" (no clock, no zone math). */
function wallTime(iso: string, sameDayAs?: string): string {
  const m = ISO_LOCAL.exec(iso);
  if (!m) return iso;
  const ref = sameDayAs ? ISO_LOCAL.exec(sameDayAs) : null;
  if (ref && ref[1] === m[1]) return m[2]!;
  return `${m[1]} ${m[2]}`;
}

/** One text block per wrapped line, so every encoder breaks lines at the same places. */
function text(s: string, cols: number, style: Omit<TextBlock, 'kind' | 'text'> = {}): Block[] {
  return wrap(s, Math.floor(cols / (style.size ?? 1))).map((t) => ({ kind: 'text', text: t, ...style }));
}

/** `prefix` on the first line, later lines indented under the text after it. */
function hanging(prefix: string, s: string, cols: number, style: Omit<TextBlock, 'kind' | 'text'>): Block[] {
  const inner = Math.floor(cols / (style.size ?? 1));
  const pw = displayWidth(prefix);
  return wrap(s, Math.max(2, inner - pw)).map((t, i) => ({
    kind: 'text',
    text: (i === 0 ? prefix : ' '.repeat(pw)) + t,
    ...style,
  }));
}

function itemName(line: TicketOrder['lines'][number]): string {
  return line.specName ? `${line.name} ${line.specName}` : line.name;
}

function modeHeadline(order: TicketOrder): string {
  if (order.mode === 'dine_in') return order.tableName ? `堂食 桌 ${order.tableName}` : MODE_LABEL.dine_in;
  if (order.mode === 'pickup')
    return order.pickupAt ? `自取 ${wallTime(order.pickupAt, order.createdAt)}` : MODE_LABEL.pickup;
  return MODE_LABEL.delivery;
}

/**
 * A kitchen ticket: big ticket number, mode and table or pickup time, REPRINT / ADD-ON
 * banners, "2 × 红烧牛肉面 大碗" lines with options indented, the note emphasised, no prices.
 * `lines` picks line indexes (a station's share or an add-on round); default all.
 */
export function kitchenTicket(
  order: TicketOrder,
  opts: { station?: string; width: Width; addOn?: boolean; reprint?: boolean; lines?: number[] },
): Block[] {
  const cols = COLUMNS[opts.width];
  const big = { align: 'center', bold: true, size: 2 } as const;
  const out: Block[] = [];
  if (opts.reprint) out.push(...text('重打 REPRINT', cols, big));
  if (opts.addOn) out.push(...text('加菜 ADD-ON', cols, big));
  if (opts.station) out.push(...text(`[${opts.station}]`, cols, { align: 'center', bold: true }));
  out.push(...text(order.ticketNo, cols, { align: 'center', bold: true, size: 3 }));
  out.push(...text(modeHeadline(order), cols, big));
  if (order.mode === 'delivery' && order.deliveryAddress) out.push(...text(order.deliveryAddress, cols));
  if (order.careNote) out.push(...text(`特别关照 CARE: ${order.careNote}`, cols, { bold: true, size: 2 }));
  out.push(...text(`下单 ${wallTime(order.createdAt)}`, cols), ...text(order.id, cols));
  out.push({ kind: 'rule' });
  const picked = opts.lines ?? order.lines.map((_, i) => i);
  for (const i of picked) {
    const line = order.lines[i];
    if (!line) continue;
    out.push(...hanging(`${line.quantity} × `, itemName(line), cols, { bold: true, size: 2 }));
    for (const o of line.options) out.push(...hanging('  + ', o.name, cols, { size: 2 }));
  }
  out.push({ kind: 'rule' });
  if (order.note) {
    out.push(...text('备注 NOTE', cols, { bold: true }));
    out.push(...text(order.note, cols, { bold: true, size: 2 }));
  }
  out.push({ kind: 'feed', lines: 2 }, { kind: 'cut' });
  return out;
}

/**
 * A customer receipt: store, ticket number, time, lines at their pre-discount amounts
 * (they add up to `itemsSubtotal`), each discount, packing and delivery fees, the total in
 * bold, a QR code of `orderUrl`, then a cut.
 */
export function customerReceipt(order: TicketOrder, opts: { width: Width; reprint?: boolean }): Block[] {
  const cols = COLUMNS[opts.width];
  const out: Block[] = [];
  out.push(...text(order.storeName, cols, { align: 'center', bold: true, size: 2 }));
  if (opts.reprint) out.push(...text('** 重打 REPRINT **', cols, { align: 'center', bold: true }));
  out.push(...text(`取餐号 ${order.ticketNo}`, cols, { align: 'center', bold: true, size: 2 }));
  out.push(...text(modeHeadline(order), cols, { align: 'center' }));
  if (order.mode === 'delivery' && order.deliveryAddress) out.push(...text(order.deliveryAddress, cols));
  if (order.careNote) out.push(...text(`特别关照 CARE: ${order.careNote}`, cols, { bold: true }));
  out.push({ kind: 'row', left: '时间 Time', right: wallTime(order.createdAt) });
  out.push({ kind: 'row', left: '单号', right: order.id });
  out.push({ kind: 'rule' });
  for (const line of order.lines) {
    out.push({
      kind: 'row',
      left: `${line.quantity} × ${itemName(line)}`,
      right: formatYuan(line.total + line.discount),
    });
    for (const o of line.options) out.push(...hanging('    + ', o.name, cols, {}));
  }
  out.push({ kind: 'rule' });
  out.push({ kind: 'row', left: '小计 Subtotal', right: formatYuan(order.itemsSubtotal) });
  for (const d of order.discounts) out.push({ kind: 'row', left: d.name, right: formatYuan(-d.amount) });
  if (order.packingFee) out.push({ kind: 'row', left: '打包费 Packing', right: formatYuan(order.packingFee) });
  if (order.deliveryFee) out.push({ kind: 'row', left: '配送费 Delivery', right: formatYuan(order.deliveryFee) });
  out.push({ kind: 'row', left: '合计 Total', right: formatYuan(order.total), bold: true });
  out.push({ kind: 'rule' });
  if (order.note) out.push(...text(`备注 Note: ${order.note}`, cols));
  out.push({ kind: 'feed', lines: 1 }, { kind: 'qr', data: order.orderUrl });
  out.push(...text('扫码查看订单 Scan to view order', cols, { align: 'center' }));
  out.push({ kind: 'feed', lines: 1 }, { kind: 'cut' });
  return out;
}
