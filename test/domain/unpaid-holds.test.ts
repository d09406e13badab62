import { describe, expect, it } from 'vitest';
import { paymentWindowMinutes, unpaidHoldRefusal } from '../../domain/orders/unpaid-holds';
import { defaultStoreSettings } from '../../domain/store-settings';

const s = defaultStoreSettings;

describe('what an unpaid order may hold', () => {
  it('a guest with the most unpaid orders allowed waits for one to be paid or cancelled', () => {
    expect(unpaidHoldRefusal(s, { unpaid: 1, strikesToday: 0 }, false)).toBeNull();
    expect(unpaidHoldRefusal(s, { unpaid: 2, strikesToday: 0 }, false)).toEqual({
      code: 'order.too_many_unpaid',
      unpaid: 2,
      limit: 2,
    });
  });

  it('strikes only refuse limited stock', () => {
    expect(unpaidHoldRefusal(s, { unpaid: 0, strikesToday: 2 }, false)).toBeNull();
    expect(unpaidHoldRefusal(s, { unpaid: 0, strikesToday: 1 }, true)).toBeNull();
    expect(unpaidHoldRefusal(s, { unpaid: 0, strikesToday: 2 }, true)).toEqual({
      code: 'order.limited_stock_refused',
      strikes: 2,
    });
  });

  it('limited stock is paid for sooner, never later than the store allows', () => {
    expect(paymentWindowMinutes(s, false)).toBe(15);
    expect(paymentWindowMinutes(s, true)).toBe(5);
    expect(paymentWindowMinutes({ unpaidExpiryMinutes: 3, limitedStockPaymentMinutes: 5 }, true)).toBe(3);
  });
});
