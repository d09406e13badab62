import { beforeAll, describe, expect, it } from 'vitest';
import { storeOfOrder } from '../../domain/orders/order-ids';
import type { DemoHistory } from '../../schema/d1/seed-history';
import { demoHistory, HISTORY_DAYS, historyRange, historySql } from '../../schema/d1/seed-history';

/*
 * The demo history `npm start` seeds: a believable, self-consistent 60 days for the demo
 * brand that always comes out the same for the same moment.
 */

const NOW = Date.parse('2026-12-02T07:00:00Z'); // 15:00 in Shanghai
const DAY = 86_400_000;

interface Line {
  index: number;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  total: number;
}
interface Body {
  status: string;
  lines: Line[];
  itemsSubtotal: number;
  discountTotal: number;
  packingFee: number;
  deliveryFee: number;
  total: number;
  paid: number;
  memberId: string | null;
}

let h: DemoHistory;
beforeAll(() => {
  h = demoHistory(NOW);
});

const bodies = () => h.rows.order_history.map((r) => ({ row: r, body: JSON.parse(String(r.body)) as Body }));
const sumBy = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

describe('the demo history', () => {
  it('covers the 60 business days before today, every store every day', () => {
    expect(historyRange(NOW)).toEqual({ from: '2026-10-03', to: '2026-12-01' });
    const storeDays = new Set(h.orders.map((o) => `${o.store.id}|${o.dayNo}`));
    expect(storeDays.size).toBe(HISTORY_DAYS * 3);
    const perDay = h.orders.length / HISTORY_DAYS;
    expect(perDay).toBeGreaterThan(180);
    expect(perDay).toBeLessThan(400);
    // Order ids have the real shape, so `/v1/orders/{id}` routing finds their store.
    for (const o of h.orders.slice(0, 500)) expect(storeOfOrder(o.id)).toBe(o.store.id);
    expect(h.orders[41]?.id).toBe('ord_de2610030042_sto_demo_peoplesq');
  });

  it('is the same SQL for the same moment, and a day keeps its orders when run again tomorrow', () => {
    expect(historySql(NOW)).toBe(historySql(NOW));
    const tomorrow = demoHistory(NOW + DAY);
    const key = (o: DemoHistory['orders'][number]) => `${o.id}|${o.total}|${o.ticketNo}|${o.member?.id ?? ''}`;
    const today = new Map(h.orders.map((o) => [o.id, key(o)]));
    const shared = tomorrow.orders.filter((o) => today.has(o.id));
    expect(shared.length).toBeGreaterThan(h.orders.length * 0.95);
    for (const o of shared) expect(key(o)).toBe(today.get(o.id));
    expect(tomorrow.to).toBe('2026-12-02');
  });

  it('prices every order as the engine does: lines − discounts + fees, and pays exactly that', () => {
    const payments = new Map<string, { amount: number; status: unknown; refunded: number }[]>();
    for (const p of h.rows.payments.filter((p) => p.purpose === 'order')) {
      const list = payments.get(String(p.order_id)) ?? [];
      list.push({ amount: Number(p.amount), status: p.status, refunded: Number(p.refunded) });
      payments.set(String(p.order_id), list);
    }
    for (const { row, body } of bodies()) {
      for (const l of body.lines) {
        expect(l.subtotal).toBe(l.unitPrice * l.quantity);
        expect(l.total).toBe(l.subtotal - l.discount);
      }
      expect(body.itemsSubtotal).toBe(sumBy(body.lines, (l) => l.subtotal));
      expect(body.discountTotal).toBe(sumBy(body.lines, (l) => l.discount));
      expect(body.total).toBe(body.itemsSubtotal - body.discountTotal + body.packingFee + body.deliveryFee);
      expect(row.total).toBe(body.total);
      const paid = (payments.get(String(row.id)) ?? []).filter((p) => p.status === 'succeeded');
      expect(sumBy(paid, (p) => p.amount)).toBe(body.paid);
      expect(body.paid).toBe(body.status === 'cancelled' ? 0 : body.total);
    }
  });

  it('refunds about 2 % of orders (some in part, some the next day) within what was paid; cancels about 1 %', () => {
    const orders = h.rows.order_history.length;
    const refunded = new Set(h.rows.refunds.map((r) => String(r.order_id)));
    const payments = new Map(h.rows.payments.map((p) => [String(p.id), p]));
    for (const r of h.rows.refunds) {
      const p = payments.get(String(r.payment_id));
      expect(p).toBeDefined();
      expect(Number(r.amount)).toBeLessThanOrEqual(Number(p?.amount));
      expect(Number(p?.refunded)).toBe(Number(r.amount));
    }
    const byStatus = (s: string) => h.rows.order_history.filter((o) => o.status === s).length;
    const cancelled = byStatus('cancelled') + h.rows.refunds.filter((r) => r.reason === 'order cancelled').length;
    const complaints = refunded.size - h.rows.refunds.filter((r) => r.reason === 'order cancelled').length;
    expect(complaints / orders).toBeGreaterThan(0.012);
    expect(complaints / orders).toBeLessThan(0.03);
    expect(cancelled / orders).toBeGreaterThan(0.005);
    expect(cancelled / orders).toBeLessThan(0.016);
    // Partly refunded orders stay completed; some refunds land on the next day.
    const partial = h.rows.refunds.filter((r) => {
      const o = h.rows.order_history.find((x) => x.id === r.order_id);
      return o?.status === 'completed';
    });
    expect(partial.length).toBeGreaterThan(0);
    const nextDay = h.orders.filter((o) => o.nextDay && refunded.has(o.id));
    expect(nextDay.length).toBeGreaterThan(0);
  });

  it('is busier at weekends and peaks at lunch and dinner', () => {
    const weekday = (d: number) => new Date(d * DAY).getUTCDay();
    const perDay = new Map<number, number>();
    for (const o of h.orders) perDay.set(o.dayNo, (perDay.get(o.dayNo) ?? 0) + 1);
    const avg = (days: number[]) => sumBy(days, (d) => perDay.get(d) ?? 0) / days.length;
    const days = [...perDay.keys()];
    expect(avg(days.filter((d) => [0, 6].includes(weekday(d))))).toBeGreaterThan(
      1.15 * avg(days.filter((d) => ![0, 5, 6].includes(weekday(d)))),
    );
    const hour = (t: number) => new Date(t + 8 * 3_600_000).getUTCHours();
    const byHour = Array(24).fill(0) as number[];
    for (const o of h.orders) byHour[hour(o.placedAt)]! += 1;
    expect(byHour[12]!).toBeGreaterThan(2 * byHour[15]!);
    expect(byHour[19]!).toBeGreaterThan(2 * byHour[15]!);
  });

  it('seats dine-in parties at free tables for 30 to 90 minutes or so, never two at once', () => {
    const seatings = h.rows.table_seatings;
    expect(seatings.length).toBeGreaterThan(h.orders.length * 0.25);
    const minutes = seatings.map((s) => (Number(s.closed_at) - Number(s.opened_at)) / 60_000);
    // A party whose order is cancelled leaves within minutes; meals take half an hour to an hour and a half.
    for (const m of minutes) expect(m).toBeGreaterThanOrEqual(5);
    expect(minutes.filter((m) => m >= 25 && m <= 100).length).toBeGreaterThan(0.95 * minutes.length);
    const byTable = new Map<string, { from: number; to: number }[]>();
    for (const s of seatings) {
      const list = byTable.get(String(s.table_id)) ?? [];
      list.push({ from: Number(s.opened_at), to: Number(s.closed_at) });
      byTable.set(String(s.table_id), list);
    }
    for (const list of byTable.values()) {
      list.sort((a, b) => a.from - b.from);
      for (let i = 1; i < list.length; i++) expect(list[i]!.from).toBeGreaterThanOrEqual(list[i - 1]!.to);
    }
  });

  it('has about 250 members, some new in the period, and about 45 % of buyers come back within 30 days', () => {
    const members = h.rows.members;
    expect(members.length).toBeGreaterThan(200);
    expect(members.length).toBeLessThan(330);
    const from = Date.parse(`${h.from}T00:00:00+08:00`);
    const joined = members.filter((m) => Number(m.created_at) >= from).length;
    expect(joined).toBeGreaterThan(30);
    for (const m of members) {
      expect(m.phone_sealed).toBeNull();
      expect(m.phone_hash).toBeNull();
    }
    // Day-dedup, member-based: buyers in the last 30 days with purchases on two or more days.
    const last30 = h.orders.filter(
      (o) => o.member && o.dayNo > h.orders.at(-1)!.dayNo - 30 && o.ending !== 'unpaid_cancel',
    );
    const days = new Map<string, Set<number>>();
    for (const o of last30) days.set(o.member!.id, (days.get(o.member!.id) ?? new Set()).add(o.dayNo));
    const rate = [...days.values()].filter((d) => d.size >= 2).length / days.size;
    expect(rate).toBeGreaterThan(0.38);
    expect(rate).toBeLessThan(0.55);
  });

  it("keeps every member's points ledger equal to their lots, earns on completion, spends and expires some", () => {
    const ledger = new Map<string, number>();
    for (const e of h.rows.points_ledger)
      ledger.set(String(e.member_id), (ledger.get(String(e.member_id)) ?? 0) + Number(e.amount));
    const lots = new Map<string, number>();
    for (const l of h.rows.points_lots)
      lots.set(String(l.member_id), (lots.get(String(l.member_id)) ?? 0) + Number(l.remaining));
    expect(ledger).toEqual(lots);
    const kinds = (k: string) => h.rows.points_ledger.filter((e) => e.kind === k);
    expect(kinds('earn').length).toBeGreaterThan(100);
    expect(kinds('redeem').length).toBeGreaterThan(20);
    expect(kinds('expire').length).toBeGreaterThan(5);
    const completed = new Set(
      h.rows.order_history.filter((o) => o.member_id && o.status !== 'cancelled').map((o) => o.id),
    );
    for (const e of kinds('earn')) expect(completed.has(e.order_id)).toBe(true);
  });

  it('issues coupons, some used on orders as discounts, and balance payments are topped up first', () => {
    const coupons = h.rows.member_coupons;
    const used = coupons.filter((c) => c.status === 'used');
    expect(used.length).toBeGreaterThan(20);
    expect(coupons.length).toBeGreaterThan(used.length * 2);
    const discounted = new Map(bodies().map(({ row, body }) => [String(row.id), body.discountTotal]));
    for (const c of used) expect(discounted.get(String(c.order_id))).toBeGreaterThan(0);
    const wallet = new Map<string, number>();
    for (const w of h.rows.wallet_ledger)
      wallet.set(String(w.member_id), (wallet.get(String(w.member_id)) ?? 0) + Number(w.amount));
    expect(h.rows.wallet_ledger.length).toBeGreaterThan(0);
    for (const balance of wallet.values()) expect(balance).toBe(0);
    const methods = new Set(h.rows.payments.map((p) => p.method));
    expect([...methods].sort()).toEqual(['alipay', 'balance', 'wechat']);
  });
});
