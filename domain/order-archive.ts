import { DAY } from './time';

/*
 * The order-history archive: whole store business months older than a configurable age move
 * from D1 to one R2 object each, `orders/<storeId>/<yyyy-mm>.ndjson`, one history row a line.
 *
 * Plain NDJSON, not gzip: a member's list reads their own lines by byte range (the offsets sit
 * in D1, `order_archive_members`), which a compressed stream would not allow. A re-archive
 * (rows that came back to D1 after a crash or a late event) appends lines, so offsets already
 * handed out stay valid; the last line of an id is the order. Pure: no I/O, no clock.
 */

/** Default of `ORDER_ARCHIVE_AFTER_DAYS`: a year and a month, so a year-on-year report still reads D1. */
export const DEFAULT_ARCHIVE_AFTER_DAYS = 400;
/** Never sooner than this: the StoreDO keeps finished orders for 90 days, refunds take their time. */
export const MIN_ARCHIVE_AFTER_DAYS = 120;

/** One `order_history` row as an archive line (`body` is the stored JSON text, unchanged). */
export interface ArchivedOrder {
  id: string;
  brandId: string;
  storeId: string;
  memberId: string | null;
  ticketNo: string;
  mode: string;
  status: string;
  total: number;
  body: string;
  lastSeq: number;
  createdAt: number;
  updatedAt: number;
  businessDay: string | null;
  localHour: number | null;
}

/** Where one order's line sits: `[createdAt, id, offset, length]`. */
export type ArchiveRef = [number, string, number, number];

export interface EncodedMonth {
  bytes: Uint8Array;
  /** Distinct orders the object holds. */
  orders: number;
  /** Each member's orders in the object, newest first. */
  members: Map<string, ArchiveRef[]>;
  /** The orders the object holds (the last line of each id), with the seq that line has. */
  seqs: Map<string, number>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The age in days from the `ORDER_ARCHIVE_AFTER_DAYS` var: a bad or too small value falls back or is raised. */
export function archiveAfterDays(raw: string | undefined): number {
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n <= 0) return DEFAULT_ARCHIVE_AFTER_DAYS;
  return Math.max(n, MIN_ARCHIVE_AFTER_DAYS);
}

/** The instant before which history is old enough. */
export const archiveCutoff = (at: number, days: number) => at - days * DAY;

/**
 * The first business month still kept in D1, given the business day the cutoff falls on:
 * only months that end before that day are archived whole.
 */
export const firstKeptMonth = (cutoffDay: string) => cutoffDay.slice(0, 7);

export const archiveKey = (storeId: string, month: string) => `orders/${storeId}/${month}.ndjson`;

/** The business days of a month, as bounds for a `business_day BETWEEN` query. */
export const monthDays = (month: string) => ({ from: `${month}-01`, to: `${month}-31` });

/** Decodes an archive object into its lines with their byte places, in file order. */
export function decodeMonth(bytes: Uint8Array): { order: ArchivedOrder; offset: number; length: number }[] {
  const out: { order: ArchivedOrder; offset: number; length: number }[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 10) continue;
    if (i > start) out.push({ order: parseLine(bytes.subarray(start, i)), offset: start, length: i - start });
    start = i + 1;
  }
  if (start < bytes.length) {
    out.push({ order: parseLine(bytes.subarray(start)), offset: start, length: bytes.length - start });
  }
  return out;
}

/** One line's order (a ranged read returns exactly one line). */
export const parseLine = (bytes: Uint8Array) => JSON.parse(decoder.decode(bytes)) as ArchivedOrder;

/** The orders an object holds: the last line of each id. */
export function latestOrders(bytes: Uint8Array): ArchivedOrder[] {
  const last = new Map<string, ArchivedOrder>();
  for (const l of decodeMonth(bytes)) last.set(l.order.id, l.order);
  return [...last.values()];
}

const byTime = (a: ArchivedOrder, b: ArchivedOrder) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The object after appending `rows` to `prior` (empty for a new month), with every member's
 * refs and the count recomputed over the whole object. A row whose line the object already
 * holds unchanged is not written again, so rearchiving the same rows changes nothing.
 */
export function appendMonth(prior: Uint8Array, rows: ArchivedOrder[]): EncodedMonth {
  const held = new Map<string, string>();
  for (const l of decodeMonth(prior)) held.set(l.order.id, JSON.stringify(l.order));
  const fresh = [...rows]
    .sort(byTime)
    .map((r) => JSON.stringify(lineOf(r)))
    .filter((line) => held.get((JSON.parse(line) as ArchivedOrder).id) !== line);
  const sep = prior.length > 0 && prior[prior.length - 1] !== 10 ? '\n' : '';
  const tail = fresh.length > 0 ? encoder.encode(`${sep}${fresh.join('\n')}\n`) : new Uint8Array();
  const bytes = new Uint8Array(prior.length + tail.length);
  bytes.set(prior);
  bytes.set(tail, prior.length);
  return summarize(bytes);
}

/** A fresh object of exactly these orders (a rewrite: erasure). */
export function encodeMonth(rows: ArchivedOrder[]): EncodedMonth {
  return appendMonth(new Uint8Array(), rows);
}

function summarize(bytes: Uint8Array): EncodedMonth {
  const last = new Map<string, { order: ArchivedOrder; offset: number; length: number }>();
  for (const l of decodeMonth(bytes)) last.set(l.order.id, l);
  const members = new Map<string, ArchiveRef[]>();
  const seqs = new Map<string, number>();
  for (const { order, offset, length } of last.values()) {
    seqs.set(order.id, order.lastSeq);
    if (!order.memberId) continue;
    const refs = members.get(order.memberId) ?? [];
    refs.push([order.createdAt, order.id, offset, length]);
    members.set(order.memberId, refs);
  }
  for (const refs of members.values()) refs.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
  return { bytes, orders: last.size, members, seqs };
}

/** The line's fields in a fixed order, so the same row always encodes to the same bytes. */
const lineOf = (r: ArchivedOrder): ArchivedOrder => ({
  id: r.id,
  brandId: r.brandId,
  storeId: r.storeId,
  memberId: r.memberId,
  ticketNo: r.ticketNo,
  mode: r.mode,
  status: r.status,
  total: r.total,
  body: r.body,
  lastSeq: r.lastSeq,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  businessDay: r.businessDay,
  localHour: r.localHour,
});

/** Keyset order of a member's list, newest first: is (at, id) before the cursor (at, id)? */
export const olderThan = (at: number, id: string, cursorAt: number, cursorId: string) =>
  at < cursorAt || (at === cursorAt && id < cursorId);
