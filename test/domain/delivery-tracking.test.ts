import { describe, expect, it } from 'vitest';
import {
  applyDeliveryUpdate,
  type DeliveryTracking,
  type DeliveryUpdate,
  orderMovesFor,
} from '../../domain/delivery/tracking';

const t0 = Date.UTC(2026, 11, 3, 4, 0);
const min = 60_000;
const dada = (status: DeliveryUpdate['status'], at: number, over: Partial<DeliveryUpdate> = {}): DeliveryUpdate => ({
  provider: 'dada',
  status,
  at,
  trackingNo: 'DD-1',
  ...over,
});

/** Feeds callbacks in the order they arrive, as the store would. */
function replay(updates: DeliveryUpdate[]): { tracking: DeliveryTracking | null; changes: boolean[] } {
  let tracking: DeliveryTracking | null = null;
  const changes: boolean[] = [];
  for (const u of updates) {
    const r = applyDeliveryUpdate(tracking, u);
    tracking = r.tracking;
    changes.push(r.changed);
  }
  return { tracking, changes };
}

describe('one delivery status model for every carrier', () => {
  it('a rider is found, arrives, picks up and delivers: each status once, in order', () => {
    const { tracking, changes } = replay([
      dada('awaiting_rider', t0),
      dada('rider_assigned', t0 + min, { rider: { name: '王师傅', phone: '13800000001' } }),
      dada('at_store', t0 + 8 * min),
      dada('picked_up', t0 + 10 * min),
      dada('delivered', t0 + 25 * min),
    ]);
    expect(changes).toEqual([true, true, true, true, true]);
    expect(tracking!.status).toBe('delivered');
    expect(tracking!.rider).toEqual({ name: '王师傅', phone: '13800000001' });
    expect(tracking!.history.map((h) => h.status)).toEqual([
      'awaiting_rider',
      'rider_assigned',
      'at_store',
      'picked_up',
      'delivered',
    ]);
  });

  it('the same callback sent twice changes nothing the second time', () => {
    const { changes } = replay([dada('awaiting_rider', t0), dada('at_store', t0 + min), dada('at_store', t0 + min)]);
    expect(changes).toEqual([true, true, false]);
  });

  it('a late "assigned" after "picked up" does not move the delivery back, but its newer position is kept', () => {
    const { tracking, changes } = replay([
      dada('picked_up', t0 + 10 * min, { position: { lat: 31.2, lng: 121.4 } }),
      dada('rider_assigned', t0 + 2 * min),
      dada('rider_assigned', t0 + 12 * min, { position: { lat: 31.25, lng: 121.45 } }),
    ]);
    expect(changes).toEqual([true, false, true]);
    expect(tracking!.status).toBe('picked_up');
    expect(tracking!.position).toEqual({ lat: 31.25, lng: 121.45, at: t0 + 12 * min });
  });

  it('nothing moves a delivered order, not even a cancel', () => {
    const { tracking, changes } = replay([dada('delivered', t0), dada('cancelled', t0 + min)]);
    expect(changes).toEqual([true, false]);
    expect(tracking!.status).toBe('delivered');
  });

  it('after Dada cancels, SF may take it; a late Dada callback about the old order is ignored', () => {
    const { tracking, changes } = replay([
      dada('rider_assigned', t0),
      dada('cancelled', t0 + min, { reason: '骑手取消' }),
      { provider: 'sf', status: 'awaiting_rider', at: t0 + 2 * min, trackingNo: 'SF-9' },
      dada('at_store', t0 + 3 * min),
      { provider: 'sf', status: 'rider_assigned', at: t0 + 4 * min, trackingNo: 'SF-9' },
    ]);
    expect(changes).toEqual([true, true, true, false, true]);
    expect(tracking).toMatchObject({ provider: 'sf', trackingNo: 'SF-9', status: 'rider_assigned' });
    expect(tracking!.history).toContainEqual({ status: 'cancelled', at: t0 + min, reason: '骑手取消' });
  });

  it('a stale callback from a cancelled dispatch does not revive it', () => {
    const { tracking, changes } = replay([
      dada('rider_assigned', t0),
      dada('cancelled', t0 + min),
      dada('at_store', t0),
    ]);
    expect(changes).toEqual([true, true, false]);
    expect(tracking!.status).toBe('cancelled');
  });
});

describe('what a delivery status does to the order', () => {
  it('a pickup proves the food was ready and sends it on its way', () => {
    expect(orderMovesFor('preparing', 'picked_up')).toEqual(['ready', 'dispatch']);
    expect(orderMovesFor('ready', 'picked_up')).toEqual(['dispatch']);
    expect(orderMovesFor('paid', 'picked_up')).toEqual(['accept', 'ready', 'dispatch']);
  });

  it('a delivery completes the order', () => {
    expect(orderMovesFor('delivering', 'delivered')).toEqual(['complete']);
    expect(orderMovesFor('ready', 'delivered')).toEqual(['dispatch', 'complete']);
  });

  it('statuses before pickup move nothing, and nothing moves a finished order', () => {
    expect(orderMovesFor('preparing', 'at_store')).toEqual([]);
    expect(orderMovesFor('completed', 'delivered')).toEqual([]);
    expect(orderMovesFor('cancelled', 'picked_up')).toEqual([]);
  });
});
