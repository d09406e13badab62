import { describe, expect, it } from 'vitest';
import { type OutboxEvent, webhookBody, webhookEventsOf } from '../../domain/webhooks/events';

const at = Date.UTC(2026, 11, 3, 4, 30); // 12:30 in Shanghai
const order = (status: string) => ({ id: 'ord_1', status, ticketNo: 'B012', total: 3200 });
const outbox = (over: Partial<OutboxEvent> & Pick<OutboxEvent, 'type'>): OutboxEvent =>
  ({ eventId: 'evt_9', storeId: 'sto_1', brandId: 'brd_1', seq: 41, occurredAt: at, ...over }) as OutboxEvent;

describe("a store's outbox becomes the webhooks partners subscribe to", () => {
  it('a placed order is order.created, with the store sequence and a local time', () => {
    const [created, ...rest] = webhookEventsOf(
      outbox({ type: 'order.placed', order: order('placed') }),
      'Asia/Shanghai',
    );
    expect(rest).toEqual([]);
    expect(created!.type).toBe('order.created');
    expect(created!.id).toBe('evt_9_order_created');
    expect(JSON.parse(webhookBody(created!))).toEqual({
      type: 'order.created',
      timestamp: '2026-12-03T12:30:00+08:00',
      data: { order: order('placed'), storeId: 'sto_1', storeSeq: 41 },
    });
  });

  it('paying, cancelling and refunding are events of their own besides the status change', () => {
    for (const [status, named] of [
      ['paid', 'order.paid'],
      ['cancelled', 'order.cancelled'],
      ['refunded', 'order.refunded'],
    ] as const) {
      const events = webhookEventsOf(outbox({ type: 'order.status_changed', order: order(status) }), 'Asia/Shanghai');
      expect(events.map((e) => e.type)).toEqual(['order.status_changed', named]);
      expect(new Set(events.map((e) => e.id)).size).toBe(2);
      expect(events.every((e) => e.data.storeSeq === 41)).toBe(true);
    }
    const ready = webhookEventsOf(outbox({ type: 'order.status_changed', order: order('ready') }), 'Asia/Shanghai');
    expect(ready.map((e) => e.type)).toEqual(['order.status_changed']);
  });

  it("a delivery platform's agreed partial refund is order.refunded, the order's status unchanged; asked or withdrawn is nothing", () => {
    const refund = { id: 'rf_1', status: 'agreed', amount: 300, lines: [{ index: 1, quantity: 1 }], reason: null };
    const updated = (r: typeof refund) =>
      webhookEventsOf(
        outbox({ type: 'order.updated', order: { ...order('accepted'), change: 'refund', refund: r } }),
        'Asia/Shanghai',
      );
    const [event, ...rest] = updated(refund);
    expect(rest).toEqual([]);
    expect(event!.type).toBe('order.refunded');
    expect(event!.data).toEqual({
      order: order('accepted'),
      refund: { ...refund, partial: true },
      storeId: 'sto_1',
      storeSeq: 41,
    });
    expect(updated({ ...refund, status: 'requested' })).toEqual([]);
    expect(updated({ ...refund, status: 'withdrawn' })).toEqual([]);
  });

  it('a low dish is stock.low; urges, edits and closed tables are not sent', () => {
    const stock = { itemId: 'itm_1', name: '锅贴', remaining: 3, level: 5 };
    expect(webhookEventsOf(outbox({ type: 'stock.low', stock }), 'Asia/Shanghai')[0]!.data).toEqual({
      stock,
      storeId: 'sto_1',
      storeSeq: 41,
    });
    expect(webhookEventsOf(outbox({ type: 'order.urged', order: order('accepted') }), 'Asia/Shanghai')).toEqual([]);
    expect(webhookEventsOf(outbox({ type: 'session.closed', session: {} }), 'Asia/Shanghai')).toEqual([]);
  });

  it('the same outbox event always makes the same ids and bodies (a replay is the same delivery)', () => {
    const e = outbox({ type: 'order.status_changed', order: order('paid') });
    expect(webhookEventsOf(e, 'Asia/Shanghai')).toEqual(webhookEventsOf(e, 'Asia/Shanghai'));
    for (const w of webhookEventsOf(e, 'Asia/Shanghai')) expect(w.id).toMatch(/^[\w-]+$/);
  });
});
