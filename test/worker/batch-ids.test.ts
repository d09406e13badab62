import { describe, expect, it } from 'vitest';
import { batchIds, newId } from '../../worker/lib/ids';

describe('ids for rows written together', () => {
  it("a campaign slice's 500 coupon ids: newId's shape, all different, sorting in the slice's order", () => {
    const ids = batchIds('cpn', 500, Date.UTC(2026, 11, 5, 12));
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
    expect(ids.every((id) => /^cpn_[0-9a-f]{20}$/.test(id))).toBe(true);
    expect(newId('cpn')).toHaveLength(ids[0]!.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('two slices in the same millisecond get different ids, and a later slice sorts after an earlier one', () => {
    const at = Date.UTC(2026, 11, 5, 12);
    const [a, b] = [batchIds('cpn', 500, at), batchIds('cpn', 500, at)];
    expect(a.some((id) => b.includes(id))).toBe(false);
    const [later] = batchIds('cpn', 1, at + 1);
    expect(later! > a[499]! && later! > b[499]!).toBe(true);
  });

  it('a batch larger than the row number can count is refused rather than given duplicate ids', () => {
    expect(() => batchIds('cpn', 4097)).toThrow(RangeError);
  });
});
