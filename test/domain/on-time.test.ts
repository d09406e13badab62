import { describe, expect, it } from 'vitest';
import { deliveryOutcomeOf, onTimeRate } from '../../domain/analytics/on-time';

const order = (status: string, deliveredAt: number, promisedBy: string | null) => ({
  delivery: {
    promisedBy,
    tracking: {
      provider: 'own' as const,
      status,
      rider: { name: '王师傅', riderId: 'rdr_1' },
      history: [
        { status: 'rider_assigned', at: deliveredAt - 600_000 },
        { status: 'delivered', at: deliveredAt },
      ],
    },
  },
});

describe('delivery outcomes', () => {
  const promise = '2026-12-03T12:30:00+08:00';
  it('a delivered order with a promise is on time when it arrived by it', () => {
    expect(deliveryOutcomeOf(order('delivered', Date.parse(promise), promise))).toMatchObject({
      provider: 'own',
      riderId: 'rdr_1',
      onTime: true,
    });
    expect(deliveryOutcomeOf(order('delivered', Date.parse(promise) + 1, promise))?.onTime).toBe(false);
  });

  it('an order not yet delivered, or without a promise, records nothing', () => {
    expect(deliveryOutcomeOf(order('picked_up', Date.parse(promise), promise))).toBeNull();
    expect(deliveryOutcomeOf(order('delivered', Date.parse(promise), null))).toBeNull();
    expect(deliveryOutcomeOf({ delivery: null })).toBeNull();
  });

  it('the rate is a share to four places, null when nothing was delivered', () => {
    expect(onTimeRate(3, 2)).toBe(0.6667);
    expect(onTimeRate(0, 0)).toBeNull();
  });
});
