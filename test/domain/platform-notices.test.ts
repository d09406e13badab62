import { describe, expect, it } from 'vitest';
import {
  elemePartialRefund,
  elemeUrge,
  meituanPartialRefund,
  meituanUrge,
  refundMoves,
} from '../../domain/channels/platform-notices';

describe('platform partial refunds, read from the push', () => {
  it('Meituan: notify_type gives the step, money and dishes in cents, refund_id the key', () => {
    const food = JSON.stringify([{ app_food_code: 'mt_cola', food_name: '可乐', count: 2, refund_price: 3.5 }]);
    const base = { order_id: 'mt_1', refund_id: 'rf_9', money: '7', food };
    expect(meituanPartialRefund({ ...base, notify_type: 'agree' })).toEqual({
      refundId: 'rf_9',
      step: 'agreed',
      amount: 700,
      items: [{ sku: 'mt_cola', name: '可乐', quantity: 2, unitPrice: 350 }],
      reason: null,
    });
    expect(meituanPartialRefund({ ...base, notify_type: 'apply' })?.step).toBe('requested');
    for (const t of ['reject', 'cancelRefund', 'cancelRefundComplaint']) {
      expect(meituanPartialRefund({ ...base, notify_type: t })?.step).toBe('withdrawn');
    }
    expect(meituanPartialRefund({ ...base, notify_type: 'something' })).toBeNull();
  });

  it('without a refund id, the same notice keys the same at every step', () => {
    const p = { order_id: 'mt_2', money: '3', food: '[]' };
    const apply = meituanPartialRefund({ ...p, notify_type: 'apply' })!;
    const agree = meituanPartialRefund({ ...p, notify_type: 'agree' })!;
    expect(apply.refundId).toMatch(/^fp_/);
    expect(agree.refundId).toBe(apply.refundId);
    expect(meituanPartialRefund({ ...p, money: '4', notify_type: 'agree' })!.refundId).not.toBe(apply.refundId);
  });

  it('Ele.me: only a part refund of the refund flow is one; the code gives the step', () => {
    const m = {
      orderId: 'e1',
      refundId: 'x',
      refundType: 'part',
      totalPrice: 3,
      goodsList: [{ name: 'a', quantity: 1 }],
    };
    expect(elemePartialRefund(30, m)?.step).toBe('requested');
    expect(elemePartialRefund(33, m)).toMatchObject({ step: 'agreed', amount: 300, refundId: 'x' });
    expect(elemePartialRefund(35, m)?.step).toBe('agreed');
    expect([31, 32, 36].map((t) => elemePartialRefund(t, m)?.step)).toEqual(['withdrawn', 'withdrawn', 'withdrawn']);
    expect(elemePartialRefund(34, m)).toBeNull();
    expect(elemePartialRefund(33, { ...m, refundType: 'normal' })).toBeNull();
  });

  it('a refund moves forward only: a replay or a late "asked" changes nothing; agreed can still be withdrawn', () => {
    expect(refundMoves(undefined, 'agreed')).toBe(true);
    expect(refundMoves('requested', 'requested')).toBe(false);
    expect(refundMoves('requested', 'agreed')).toBe(true);
    expect(refundMoves('agreed', 'agreed')).toBe(false);
    expect(refundMoves('agreed', 'requested')).toBe(false);
    expect(refundMoves('agreed', 'withdrawn')).toBe(true);
    expect(refundMoves('withdrawn', 'requested')).toBe(false);
    expect(refundMoves('withdrawn', 'agreed')).toBe(false);
  });
});

describe('platform urges, keyed per push', () => {
  it('by the platform’s remind id, else what a replay repeats', () => {
    expect(meituanUrge({ remind_id: 'r1', timestamp: '1' }).urgeId).toBe('r1');
    expect(meituanUrge({ timestamp: '17' }).urgeId).toBe('t17');
    expect(elemeUrge({ remindId: 9 }, 'req').urgeId).toBe('9');
    expect(elemeUrge({}, 'req').urgeId).toBe('rreq');
  });
});
