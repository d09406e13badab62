import { describe, expect, it } from 'vitest';
import { newOrderId, storeOfOrder } from '../../domain/orders/order-ids';

describe('an order id carries its store', () => {
  it('a new id names its store, and the store is read back from it', () => {
    const id = newOrderId('sto_demo_peoplesq');
    expect(id).toMatch(/^ord_[0-9a-f]{12}_sto_demo_peoplesq$/);
    expect(storeOfOrder(id)).toBe('sto_demo_peoplesq');
    expect(newOrderId('sto_demo_peoplesq')).not.toBe(id);
  });

  it('a malformed id belongs to no store', () => {
    for (const bad of [
      '',
      'ord_',
      'ord_123_sto',
      'ord_0123456789ab_',
      'pay_0123456789ab_sto',
      'ord_0123456789AB_sto',
    ]) {
      expect(storeOfOrder(bad), bad).toBeNull();
    }
  });
});
