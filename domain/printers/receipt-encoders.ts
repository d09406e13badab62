/*
 * Blocks → printer bytes. Pure: no I/O, the GB18030 table is built from the runtime's
 * TextDecoder on first use.
 *
 * Sources for the command bytes (checked with the `search` tool; see each constant):
 * - ESC/POS: Epson ESC/POS reference as reproduced in vendor manuals (Epson TM-T88, HPRT
 *   TP80K, Zijiang ZJ-58, SPRT): ESC @, ESC a n, ESC E n, GS ! n (HPRT/IDIPOS: "effective
 *   for all characters, alphanumeric and Kanji"), ESC d n, GS V 66 n, GS ( k functions
 *   165/167/169/180/181, FS & (Chinese mode, GB two-byte codes).
 * - StarPRNT: Star "StarPRNT Command Specifications" / "STAR Line Mode Command
 *   Specifications" (ESC d n cutter table), cross-checked with ReceiptPrinterEncoder's
 *   star-prnt language and react-thermal-printer's star QR commands: ESC @, ESC GS a n,
 *   ESC E / ESC F, ESC i n1 n2, ESC d n, ESC GS y S/D/P.
 */
import { alignLine, type Block, blockLines, COLUMNS, type Width } from './receipt';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

// ---------------------------------------------------------------------------------------
// GB18030 (two-byte part, i.e. GBK) encoding

let gbTable: Map<string, number> | undefined;

/**
 * Character → two-byte GB18030 code (`lead << 8 | trail`), built once from
 * `TextDecoder('gb18030')` over lead 0x81–0xFE × trail 0x40–0xFE (0x7F excluded). Pairs are
 * visited in WHATWG pointer order and the first code wins, as the WHATWG encoder picks.
 * A runtime without the gb18030 decoder gets an empty table: every CJK character prints '?'.
 */
function gb(): Map<string, number> {
  if (gbTable) return gbTable;
  const codes: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail !== 0x7f) codes.push((lead << 8) | trail);
  const table = new Map<string, number>();
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('gb18030');
  } catch {
    gbTable = table;
    return table;
  }
  const bytes = new Uint8Array(codes.length * 2);
  codes.forEach((c, i) => {
    bytes[2 * i] = c >> 8;
    bytes[2 * i + 1] = c & 0xff;
  });
  const all = decoder.decode(bytes);
  // Every two-byte code decodes to one BMP character; if a decoder ever disagrees, go pair by pair.
  const chars =
    all.length === codes.length ? all : codes.map((_, i) => decoder.decode(bytes.subarray(2 * i, 2 * i + 2)));
  codes.forEach((code, i) => {
    const ch = chars[i]!;
    if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, code);
  });
  gbTable = table;
  return table;
}

/** ASCII as is, other characters as two-byte GB18030, anything else (and controls) '?'. */
export function encodeGb18030(s: string): number[] {
  const table = gb();
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out.push(cp < 0x20 || cp === 0x7f ? 0x3f : cp);
      continue;
    }
    const code = table.get(ch);
    if (code === undefined) out.push(0x3f);
    else out.push(code >> 8, code & 0xff);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// text/plain

/** UTF-8 text, aligned by display width, sizes ignored; a QR code prints as its URL, a cut as nothing. */
export function toPlainText(blocks: Block[], width: Width): string {
  const cols = COLUMNS[width];
  const lines: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'text') {
      for (const l of blockLines({ ...b, size: 1 }, cols)) lines.push(alignLine(l, b.align, cols));
    } else if (b.kind === 'row' || b.kind === 'rule') {
      lines.push(...blockLines(b, cols));
    } else if (b.kind === 'qr') {
      lines.push(...blockLines({ kind: 'text', text: b.data }, cols));
    } else if (b.kind === 'feed') {
      for (let i = 0; i < b.lines; i++) lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// Shared byte writer: both dialects print text lines as GB bytes + LF and differ in commands.

interface Dialect {
  init: number[];
  align(n: 0 | 1 | 2): number[];
  bold(on: boolean): number[];
  size(n: number): number[];
  qr(data: Uint8Array, width: Width): number[];
  feed(lines: number): number[];
  cut: number[];
}

const ALIGN = { left: 0, center: 1, right: 2 } as const;

function encode(blocks: Block[], width: Width, d: Dialect): Uint8Array {
  const cols = COLUMNS[width];
  const out: number[] = [...d.init];
  const lines = (ls: string[]) => {
    for (const l of ls) out.push(...encodeGb18030(l), LF);
  };
  for (const b of blocks) {
    if (b.kind === 'text') {
      const size = b.size ?? 1;
      out.push(...d.align(ALIGN[b.align ?? 'left']));
      if (b.bold) out.push(...d.bold(true));
      if (size > 1) out.push(...d.size(size));
      lines(blockLines(b, cols));
      if (size > 1) out.push(...d.size(1));
      if (b.bold) out.push(...d.bold(false));
      if (b.align && b.align !== 'left') out.push(...d.align(0));
    } else if (b.kind === 'row') {
      if (b.bold) out.push(...d.bold(true));
      lines(blockLines(b, cols));
      if (b.bold) out.push(...d.bold(false));
    } else if (b.kind === 'rule') {
      lines(blockLines(b, cols));
    } else if (b.kind === 'qr') {
      const data = new TextEncoder().encode([...b.data].filter((ch) => ch >= ' ' && ch !== '\u007f').join(''));
      out.push(...d.align(1), ...d.qr(data, width), LF, ...d.align(0));
    } else if (b.kind === 'feed') {
      out.push(...d.feed(b.lines));
    } else {
      out.push(...d.cut);
    }
  }
  return Uint8Array.from(out);
}

// QR module size in dots: a ~100-character URL is a version 7 symbol (45 modules) at level
// M, 270 dots at 6, within 58 mm's 384-dot line; 80 mm (576 dots) takes 8.
const QR_MODULE: Record<Width, number> = { 58: 6, 80: 8 };

const escPos: Dialect = {
  // ESC @ initialize (1B 40), then FS & (1C 26) Chinese mode: bytes ≥ 0x81 start a two-byte
  // GB code. GB18030-capable printers read GBK codes the same way as GB2312 ones.
  init: [ESC, 0x40, FS, 0x26],
  // ESC a n (1B 61 n): 0 left, 1 center, 2 right.
  align: (n) => [ESC, 0x61, n],
  // ESC E n (1B 45 n): emphasized on/off.
  bold: (on) => [ESC, 0x45, on ? 1 : 0],
  // GS ! n (1D 21 n): width multiplier - 1 in bits 4–6, height multiplier - 1 in bits 0–2.
  size: (n) => [GS, 0x21, ((n - 1) << 4) | (n - 1)],
  // GS ( k, cn = 49 (0x31): fn 65 model 2 (pL pH = 4 0, n1 = 50, n2 = 0); fn 67 module size;
  // fn 69 error correction 49 = M; fn 80 store data (pL pH = len + 3, m = 48); fn 81 print.
  qr: (data, width) => {
    const len = data.length + 3;
    return [
      ...[GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0],
      ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, QR_MODULE[width]],
      ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31],
      ...[GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30, ...data],
      ...[GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30],
    ];
  },
  // ESC d n (1B 64 n): print and feed n lines (in StarPRNT the same bytes cut the paper!).
  feed: (n) => [ESC, 0x64, Math.min(255, n)],
  // GS V 66 0 (1D 56 42 00): feed to the cutting position, partial cut (function B, so the
  // last printed lines are past the cutter).
  cut: [GS, 0x56, 0x42, 0],
};

const starPrnt: Dialect = {
  // ESC @ (1B 40) initialize. No Chinese-mode command: Star's own StarPRNT SDK sample for
  // Simplified Chinese (SimplifiedChineseReceiptsImpl, non-UTF-8 path) sends GB2312 bytes
  // with no mode or code-page command, relying on a China-model printer whose memory switch
  // selects two-byte Chinese. UNVERIFIED on hardware; GBK-only characters (outside GB2312)
  // may print as '?' on printers with a GB2312 font.
  init: [ESC, 0x40],
  // ESC GS a n (1B 1D 61 n): 0 left, 1 center, 2 right.
  align: (n) => [ESC, GS, 0x61, n],
  // ESC E (1B 45) set / ESC F (1B 46) cancel emphasized printing.
  bold: (on) => [ESC, on ? 0x45 : 0x46],
  // ESC i n1 n2 (1B 69 n1 n2): expanded height n1 + 1, width n2 + 1 times.
  size: (n) => [ESC, 0x69, n - 1, n - 1],
  // ESC GS y S 0 n model (2); ESC GS y S 1 n error correction (1 = M); ESC GS y S 2 n cell
  // size (1–8 dots); ESC GS y D 1 0 nL nH data (store, auto-analysed); ESC GS y P print.
  qr: (data, width) => [
    ...[ESC, GS, 0x79, 0x53, 0x30, 2],
    ...[ESC, GS, 0x79, 0x53, 0x31, 1],
    ...[ESC, GS, 0x79, 0x53, 0x32, QR_MODULE[width]],
    ...[ESC, GS, 0x79, 0x44, 0x31, 0, data.length & 0xff, data.length >> 8, ...data],
    ...[ESC, GS, 0x79, 0x50],
  ],
  feed: (n) => Array<number>(n).fill(LF),
  // ESC d 3 (1B 64 03): feed to the cutting position, then partial cut.
  cut: [ESC, 0x64, 3],
};

/** ESC/POS for generic (Epson-compatible, Chinese) printers: GB18030 text in FS & mode. */
export function toEscPos(blocks: Block[], width: Width): Uint8Array {
  return encode(blocks, width, escPos);
}

/** `application/vnd.star.starprnt` bytes with GB18030 text (see the Chinese-mode note). */
export function toStarPrnt(blocks: Block[], width: Width): Uint8Array {
  return encode(blocks, width, starPrnt);
}
