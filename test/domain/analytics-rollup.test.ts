import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointsDay, pointsEffect } from '../../domain/analytics/brand-day';
import { dayBounds, daysFrom, orderDay } from '../../domain/analytics/days';
import {
  actionMovesFigures,
  isCancelled,
  lineRefund,
  memberDays,
  movesFigures,
  type RollupDay,
  type RollupOrder,
  type RollupRow,
  rollupDay,
} from '../../domain/analytics/rollup';
import { orderActions, orderStatuses, transition } from '../../domain/orders/order-state';
import { allocate } from '../../domain/pricing';
import { concreteDay, dayArb } from '../support/rollup-arbitraries';

const order = (o: Partial<RollupOrder> & Pick<RollupOrder, 'id'>): RollupOrder => ({
  memberId: null,
  mode: 'pickup',
  status: 'completed',
  localHour: 12,
  createdAt: 0,
  paid: true,
  total: 0,
  discountTotal: 0,
  sessionId: null,
  addedBy: 'member:x',
  lines: [],
  ...o,
});

const find = (rows: RollupRow[], dim: string, key = '') => rows.find((r) => r.dim === dim && r.key === key)!;

/**
 * A worked day by hand. Noodles ¥28 ×2 with ¥6 off (line total 5000), an egg ¥3: a pickup
 * of 5300 by member M, paid by WeChat 5000 + balance 300. A dine-in round of one noodle
 * 2800 at table session S (two diners), paid by Alipay. An unpaid pickup cancelled. The
 * pickup's noodles: one refunded the next day (2500), on the order's own day.
 */
const worked: RollupDay = {
  orders: [
    order({
      id: 'o1',
      memberId: 'M',
      localHour: 11,
      createdAt: 1,
      total: 5300,
      discountTotal: 600,
      lines: [
        { index: 0, itemId: 'noodle', name: '牛肉面', quantity: 2, total: 5000, discount: 600 },
        { index: 1, itemId: 'egg', name: '茶叶蛋', quantity: 1, total: 300, discount: 0 },
      ],
    }),
    order({
      id: 'o2',
      mode: 'dine_in',
      localHour: 12,
      createdAt: 2,
      total: 2800,
      sessionId: 'S',
      lines: [{ index: 0, itemId: 'noodle', name: '红烧牛肉面', quantity: 1, total: 2800, discount: 0 }],
    }),
    order({
      id: 'o3',
      status: 'cancelled',
      paid: false,
      localHour: 12,
      total: 300,
      lines: [{ index: 0, itemId: 'egg', name: '茶叶蛋', quantity: 1, total: 300, discount: 0 }],
    }),
  ],
  payments: [
    { id: 'p1', orderId: 'o1', method: 'wechat', amount: 5000 },
    { id: 'p2', orderId: 'o1', method: 'balance', amount: 300 },
    { id: 'p3', orderId: 'o2', method: 'alipay', amount: 2800 },
  ],
  refunds: [{ orderId: 'o1', paymentId: 'p1', amount: 2500, lines: [{ index: 0, quantity: 1 }] }],
  seatings: [{ id: 'S', diners: 2, openedAt: 0, closedAt: 50 * 60_000 }],
  reportedSessions: new Set(['S']),
  tables: 10,
};

describe('a day’s rollup, worked by hand', () => {
  const rows = rollupDay(worked);

  it('the day: revenue before refunds, refunds on the order’s day, guests, seatings and tables', () => {
    expect(find(rows, 'day')).toMatchObject({
      orders: 2,
      cancelled: 1,
      quantity: 4,
      revenue: 8100,
      refunds: 2500,
      discounts: 600,
      // One pickup guest plus the table's two diners.
      guests: 3,
      seatings: 1,
      turnMinutes: 50,
      tables: 10,
      memberOrders: 1,
    });
  });

  it('hours, modes and payment methods split the same day', () => {
    expect(find(rows, 'hour', '11')).toMatchObject({ orders: 1, revenue: 5300, refunds: 2500 });
    expect(find(rows, 'hour', '12')).toMatchObject({ orders: 1, cancelled: 1, revenue: 2800 });
    expect(find(rows, 'mode', 'pickup')).toMatchObject({ orders: 1, cancelled: 1, revenue: 5300 });
    expect(find(rows, 'mode', 'dine_in')).toMatchObject({ orders: 1, revenue: 2800 });
    expect(find(rows, 'payment', 'wechat')).toMatchObject({ orders: 1, revenue: 5000, refunds: 2500 });
    expect(find(rows, 'payment', 'balance')).toMatchObject({ orders: 1, revenue: 300, refunds: 0 });
  });

  it('dishes: units, line revenue, the units refunded and the name last sold under', () => {
    expect(find(rows, 'item', 'noodle')).toMatchObject({
      name: '红烧牛肉面',
      orders: 2,
      quantity: 3,
      revenue: 7800,
      refunds: 2500,
      refundQuantity: 1,
      discounts: 600,
    });
    // The cancelled unpaid egg sold nothing.
    expect(find(rows, 'item', 'egg')).toMatchObject({ orders: 1, quantity: 1, revenue: 300 });
  });

  it('member days: a visit per member and day, net of refunds', () => {
    expect(memberDays(worked)).toEqual([{ memberId: 'M', orders: 1, revenue: 2800 }]);
  });

  it('a table seated twice is two seatings; a seating still open counts the guests of its paid rounds', () => {
    const twice = rollupDay({
      ...worked,
      seatings: [
        { id: 'S', diners: 2, openedAt: 0, closedAt: 30 * 60_000 },
        { id: 'S2', diners: 3, openedAt: 60 * 60_000, closedAt: 100 * 60_000 },
      ],
      reportedSessions: new Set(['S', 'S2']),
    });
    expect(find(twice, 'day')).toMatchObject({ seatings: 2, turnMinutes: 70, guests: 1 + 2 + 3 });
    const open = rollupDay({ ...worked, seatings: [], reportedSessions: new Set() });
    expect(find(open, 'day')).toMatchObject({ seatings: 0, guests: 1 + 1 });
  });
});

describe('rules behind the rollup', () => {
  it('a line refund takes the unit shares of the line total, as the refund itself did', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 9 }), fc.nat(9), (total, q, k) => {
        const shares = allocate(total, Array(q).fill(1));
        expect(lineRefund(total, q, k)).toBe(shares.slice(0, Math.min(k, q)).reduce((s, x) => s + x, 0));
      }),
    );
  });

  it('rollup of a day = sum of its orders: hours, modes and methods add up to the day', () => {
    fc.assert(
      fc.property(dayArb, (g) => {
        const day = concreteDay(g, 'x');
        const rows = rollupDay(day);
        const whole = find(rows, 'day');
        const sum = (dim: string, k: 'orders' | 'revenue' | 'refunds' | 'cancelled') =>
          rows.filter((r) => r.dim === dim).reduce((s, r) => s + r[k], 0);
        for (const dim of ['hour', 'mode'])
          for (const k of ['orders', 'revenue', 'refunds', 'cancelled'] as const) expect(sum(dim, k)).toBe(whole[k]);
        expect(sum('payment', 'revenue')).toBe(whole.revenue);
        expect(sum('payment', 'refunds')).toBe(whole.refunds);
        expect(whole.revenue).toBe(day.orders.filter((o) => o.paid).reduce((s, o) => s + o.total, 0));
      }),
    );
  });

  it('a placed order that took no money moves no figure, so its event costs no recompute of the day', () => {
    expect(movesFigures({ status: 'pending_payment' })).toBe(false);
    expect(movesFigures({ status: 'accepted', paidAt: null })).toBe(false);
    expect(movesFigures({ status: 'accepted', paidAt: '2026-11-20T04:10:00.000Z' })).toBe(true);
    expect(movesFigures({ status: 'cancelled' })).toBe(true);
    expect(movesFigures({ status: 'refunded' })).toBe(true);
    // The day with such an order is the day without it, bar rows of zeros.
    const nonZero = (rows: RollupRow[]) =>
      rows
        .filter((r) => Object.entries(r).some(([k, v]) => k !== 'dim' && k !== 'key' && k !== 'name' && v !== 0))
        .sort((a, b) => `${a.dim}|${a.key}`.localeCompare(`${b.dim}|${b.key}`));
    fc.assert(
      fc.property(dayArb, (g) => {
        const day = concreteDay(g, 'x');
        const unmoved = day.orders.filter((o) => !o.paid && !isCancelled(o.status)).map((o) => o.id);
        const without = {
          ...day,
          orders: day.orders.filter((o) => !unmoved.includes(o.id)),
          payments: day.payments.filter((p) => !unmoved.includes(p.orderId)),
          refunds: day.refunds.filter((r) => !unmoved.includes(r.orderId)),
        };
        expect(nonZero(rollupDay(without))).toEqual(nonZero(rollupDay(day)));
      }),
    );
  });

  it("the kitchen's steps move no figure: no legal one cancels, takes money or gives it back", () => {
    // Whatever takes money, cancels or gives money back re-derives the day.
    for (const a of ['pay', 'cancel', 'approve_cancel', 'expire', 'refund'] as const) {
      expect(actionMovesFigures(a), a).toBe(true);
    }
    const keeps = orderActions.filter((a) => !actionMovesFigures(a));
    expect(keeps).toContain('accept');
    expect(keeps).toContain('complete');
    // Every move the state machine allows with one of them leaves an order cancelled or not as it was.
    for (const status of orderStatuses) {
      for (const action of keeps) {
        for (const mode of ['dine_in', 'pickup', 'delivery'] as const) {
          for (const payLater of [false, true]) {
            for (const actor of ['guest', 'staff', 'system'] as const) {
              const r = transition({ status, mode, payLater, previousStatus: 'paid' }, action, actor, 'manager');
              if (r.ok) expect(isCancelled(r.status), `${status} --${action}-->`).toBe(isCancelled(status));
            }
          }
        }
      }
    }
  });

  it('points: earning and its reversal net in issued, spending and its return net in used, expiry apart', () => {
    expect(
      pointsDay([
        { kind: 'earn', amount: 100, ref: 'o1' },
        { kind: 'reverse', amount: -30, ref: 'o1:1' },
        { kind: 'checkin', amount: 5, ref: 'c' },
        { kind: 'redeem', amount: -50, ref: 'r' },
        { kind: 'adjust', amount: 50, ref: 'redeem_undo:r' },
        { kind: 'pay', amount: -40, ref: 'p' },
        { kind: 'pay_return', amount: 10, ref: 'p:r' },
        { kind: 'dice', amount: -10, ref: 'd:cost' },
        { kind: 'dice', amount: 20, ref: 'd' },
        { kind: 'expire', amount: -7, ref: 'lot' },
      ]),
    ).toEqual({ pointsIssued: 95, pointsUsed: 40, pointsExpired: 7 });
    expect(pointsEffect('adjust', -20, 'referral_reverse:x')).toEqual({ bucket: 'issued', points: -20 });
  });

  it('an order at 01:30 belongs to the day before in a store whose day starts at 04:00', () => {
    const clock = { timeZone: 'Asia/Shanghai', dayStartsAt: '04:00' };
    const at = Date.parse('2026-11-20T17:30:00Z'); // 01:30 on the 21st in Shanghai
    expect(orderDay(at, clock)).toEqual({ businessDay: '2026-11-20', localHour: 1 });
    const { start, end } = dayBounds('2026-11-20', clock);
    expect([new Date(start).toISOString(), new Date(end).toISOString()]).toEqual([
      '2026-11-19T20:00:00.000Z',
      '2026-11-20T20:00:00.000Z',
    ]);
    expect(daysFrom('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
