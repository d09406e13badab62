import { describe, expect, it } from 'vitest';
import {
  type ArchivedOrder,
  appendMonth,
  archiveAfterDays,
  decodeMonth,
  encodeMonth,
  firstKeptMonth,
  latestOrders,
  olderThan,
} from '../../domain/order-archive';

const order = (id: string, at: number, memberId: string | null, extra: Partial<ArchivedOrder> = {}): ArchivedOrder => ({
  id,
  brandId: 'brd_demo',
  storeId: 'sto_a',
  memberId,
  ticketNo: 'A001',
  mode: 'pickup',
  status: 'completed',
  total: 1600,
  body: JSON.stringify({ id, total: 1600, note: '多放香菜' }),
  lastSeq: 3,
  createdAt: at,
  updatedAt: at,
  businessDay: '2025-09-01',
  localHour: 12,
  ...extra,
});

describe('an archived month is one NDJSON object whose lines a member can read by range', () => {
  it('places each member’s orders by byte range, newest first, and counts the orders', () => {
    const m = encodeMonth([order('ord_2', 2, 'mem_a'), order('ord_1', 1, 'mem_a'), order('ord_3', 3, null)]);
    expect(m.orders).toBe(3);
    const refs = m.members.get('mem_a')!;
    expect(refs.map((r) => r[1])).toEqual(['ord_2', 'ord_1']);
    for (const [, id, offset, length] of refs) {
      const line = JSON.parse(new TextDecoder().decode(m.bytes.subarray(offset, offset + length))) as ArchivedOrder;
      expect(line.id).toBe(id);
      expect(JSON.parse(line.body).note).toBe('多放香菜');
    }
  });

  it('appending what the object holds changes nothing; a changed order is appended and wins', () => {
    const first = encodeMonth([order('ord_1', 1, 'mem_a'), order('ord_2', 2, 'mem_b')]);
    expect(appendMonth(first.bytes, [order('ord_1', 1, 'mem_a')]).bytes).toEqual(first.bytes);
    const later = appendMonth(first.bytes, [order('ord_1', 1, 'mem_a', { status: 'refunded', lastSeq: 5 })]);
    expect(later.bytes.subarray(0, first.bytes.length)).toEqual(first.bytes);
    expect(decodeMonth(later.bytes)).toHaveLength(3);
    expect(later.orders).toBe(2);
    expect(later.seqs.get('ord_1')).toBe(5);
    expect(latestOrders(later.bytes).find((o) => o.id === 'ord_1')?.status).toBe('refunded');
    // The old ref still reads a line of the same order; the new one reads the last.
    const [, , offset] = later.members.get('mem_a')![0]!;
    expect(offset).toBeGreaterThanOrEqual(first.bytes.length);
  });

  it('archives whole months older than the cutoff day, after at least 120 days, 400 by default', () => {
    expect(firstKeptMonth('2025-10-17')).toBe('2025-10');
    expect(archiveAfterDays(undefined)).toBe(400);
    expect(archiveAfterDays('abc')).toBe(400);
    expect(archiveAfterDays('30')).toBe(120);
    expect(archiveAfterDays('730')).toBe(730);
  });

  it('pages by (createdAt, id), newest first, as D1 does', () => {
    expect(olderThan(1, 'ord_z', 2, 'ord_a')).toBe(true);
    expect(olderThan(2, 'ord_a', 2, 'ord_b')).toBe(true);
    expect(olderThan(2, 'ord_b', 2, 'ord_b')).toBe(false);
    expect(olderThan(3, 'ord_a', 2, 'ord_z')).toBe(false);
  });
});
