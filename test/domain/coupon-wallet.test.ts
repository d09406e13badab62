import { describe, expect, it } from 'vitest';
import { couponShelf, couponSummary } from '../../domain/pricing/coupon-wallet';

describe('a coupon in the wallet', () => {
  const now = 1_800_000_000_000;

  it('is usable while available or held by an unpaid order and not past its end', () => {
    expect(couponShelf('available', now + 1, now)).toBe('usable');
    expect(couponShelf('locked', now + 1, now)).toBe('usable');
    expect(couponShelf('available', now, now)).toBe('expired');
  });

  it('is used once used, expired once lapsed or taken back', () => {
    expect(couponShelf('used', now - 1, now)).toBe('used');
    expect(couponShelf('expired', now + 1, now)).toBe('expired');
    expect(couponShelf('revoked', now + 1, now)).toBe('expired');
  });

  it('reads its rule in one line, in integer yuan', () => {
    expect(couponSummary({ kind: 'amount', threshold: 3000, amountOff: 500 })).toBe('¥5.00 off orders from ¥30.00');
    expect(couponSummary({ kind: 'amount', threshold: 0, amountOff: 1 })).toBe('¥0.01 off');
    expect(couponSummary({ kind: 'percent', percentOff: 15 })).toBe('15% off');
    expect(couponSummary({ kind: 'percent', percentOff: 15, cap: 1000 })).toBe('15% off (up to ¥10.00)');
    expect(couponSummary({ kind: 'free_item', itemId: 'itm_teaegg' }, 'Tea egg')).toBe('a free Tea egg');
    expect(couponSummary({ kind: 'delivery_waiver' })).toBe('free delivery');
  });
});
