import fc from 'fast-check';
import { dayBounds, orderDay } from '../../domain/analytics/days';
import type { RollupDay, RollupLine, RollupOrder, RollupPayment, RollupRefund } from '../../domain/analytics/rollup';

/*
 * Random store-days for the rollup properties: orders (paid or not, cancelled, refunded,
 * at tables or not), their payments and refunds (some failed), seatings and tables.
 */

export const CLOCK = { timeZone: 'Asia/Shanghai', dayStartsAt: '04:00' };
export const DAY = '2026-11-20';
const ITEMS: Record<string, string> = { itm_a: '牛肉面', itm_b: '茶叶蛋', itm_c: '小笼包' };
const HOUR_MS = 3_600_000;

export interface GeneratedDay extends RollupDay {
  refundsAll: (RollupRefund & { id: string; status: string })[];
}

const lineArb = fc
  .record({
    itemId: fc.constantFrom(...Object.keys(ITEMS)),
    quantity: fc.integer({ min: 1, max: 4 }),
    unit: fc.integer({ min: 100, max: 2_000 }),
    discountShare: fc.integer({ min: 0, max: 50 }),
  })
  .map(({ itemId, quantity, unit, discountShare }) => {
    const subtotal = quantity * unit;
    const discount = Math.floor((subtotal * discountShare) / 100);
    return { itemId, name: ITEMS[itemId]!, quantity, total: subtotal - discount, discount };
  });

const orderArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }),
  mode: fc.constantFrom('pickup', 'delivery', 'dine_in'),
  paid: fc.boolean(),
  fate: fc.constantFrom('open', 'completed', 'cancelled', 'refunded'),
  member: fc.constantFrom(null, 'mem_p1', 'mem_p2'),
  session: fc.constantFrom('ses_1', 'ses_2', 'ses_3'),
  diner: fc.constantFrom('member:x', 'member:y'),
  minute: fc.integer({ min: 0, max: 23 * 60 }),
  split: fc.boolean(),
  methods: fc.tuple(fc.constantFrom('wechat', 'alipay', 'balance'), fc.constantFrom('wechat', 'sandbox')),
  refunds: fc.array(
    fc.record({
      share: fc.integer({ min: 1, max: 100 }),
      status: fc.constantFrom('succeeded', 'processing', 'failed'),
      units: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
});

export const dayArb = fc.record({
  orders: fc.array(orderArb, { minLength: 0, maxLength: 8 }),
  seatings: fc.array(
    fc.record({
      id: fc.constantFrom('ses_1', 'ses_2', 'ses_3'),
      diners: fc.integer({ min: 0, max: 4 }),
      openMinute: fc.integer({ min: 0, max: 20 * 60 }),
      minutes: fc.integer({ min: 1, max: 180 }),
    }),
    { maxLength: 3 },
  ),
  tables: fc.integer({ min: 0, max: 3 }),
});

export type DayInput = typeof dayArb extends fc.Arbitrary<infer T> ? T : never;

/** A generated day made concrete for a store: ids, instants, payments and refunds. */
export function concreteDay(g: DayInput, prefix: string): GeneratedDay {
  const { start } = dayBounds(DAY, CLOCK);
  const orders: RollupOrder[] = [];
  const payments: RollupPayment[] = [];
  const refundsAll: GeneratedDay['refundsAll'] = [];
  g.orders.forEach((o, i) => {
    const id = `ord_${prefix}_${i}`;
    const createdAt = start + o.minute * 60_000 + i;
    const lines: RollupLine[] = o.lines.map((l, index) => ({ ...l, index }));
    const total = lines.reduce((s, l) => s + l.total, 0);
    const status = !o.paid && (o.fate === 'completed' || o.fate === 'refunded') ? 'pending_payment' : o.fate;
    orders.push({
      id,
      memberId: o.member,
      mode: o.mode,
      status: status === 'open' ? (o.paid ? 'paid' : 'pending_payment') : status,
      localHour: orderDay(createdAt, CLOCK).localHour,
      createdAt,
      paid: o.paid,
      total,
      discountTotal: lines.reduce((s, l) => s + l.discount, 0),
      sessionId: o.mode === 'dine_in' ? `${prefix}_${o.session}` : null,
      addedBy: o.diner,
      lines,
    });
    if (!o.paid) return;
    const first = o.split ? Math.floor(total / 2) : total;
    const paidWith = [
      { id: `pay_${prefix}_${i}_0`, orderId: id, method: o.methods[0], amount: first },
      ...(total - first > 0
        ? [{ id: `pay_${prefix}_${i}_1`, orderId: id, method: o.methods[1], amount: total - first }]
        : []),
    ].filter((p) => p.amount > 0);
    payments.push(...paidWith);
    const left = new Map(paidWith.map((p) => [p.id, p.amount]));
    const unitsLeft = new Map(lines.map((l) => [l.index, l.quantity]));
    o.refunds.forEach((r, k) => {
      const p = paidWith[k % paidWith.length]!;
      const amount = Math.floor(((left.get(p.id) ?? 0) * r.share) / 100);
      if (amount <= 0) return;
      const taken = r.units
        ? lines.flatMap((l) => {
            const n = unitsLeft.get(l.index) ?? 0;
            if (n === 0) return [];
            unitsLeft.set(l.index, r.status === 'failed' ? n : n - 1);
            return [{ index: l.index, quantity: 1 }];
          })
        : [];
      if (r.status !== 'failed') left.set(p.id, (left.get(p.id) ?? 0) - amount);
      refundsAll.push({
        id: `rfd_${prefix}_${i}_${k}`,
        orderId: id,
        paymentId: p.id,
        amount,
        lines: taken,
        status: r.status,
      });
    });
  });
  const seen = new Set<string>();
  const seatings = g.seatings
    .filter((s) => !seen.has(s.id) && seen.add(s.id))
    .map((s) => {
      const openedAt = start + s.openMinute * 60_000;
      return { id: `${prefix}_${s.id}`, diners: s.diners, openedAt, closedAt: openedAt + s.minutes * 60_000 + 7_000 };
    });
  return {
    orders,
    payments,
    refunds: refundsAll.filter((r) => r.status !== 'failed'),
    refundsAll,
    seatings,
    reportedSessions: new Set(seatings.map((s) => s.id)),
    tables: g.tables,
  };
}

/** Instants well inside the generated day, for events' `occurredAt`. */
export const within = (n: number) => dayBounds(DAY, CLOCK).start + HOUR_MS + n;
