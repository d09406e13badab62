/*
 * The points a member's demo order moves: earned on completion (1 point a yuan paid for
 * dishes, pending through the 7-day refund window, expiring twelve months on), given back
 * by its refund, and often spent in the points mall a week or three later for a coupon.
 * Each debit draws from the order's own lot, so the lot's remainder is a pure function of
 * the order and `now` (rewritten on every run as spends come due).
 */

import { DAY, MINUTE, monthsLater } from './calendar.ts';
import type { HistoryRows, RefundPlan } from './order-rows.ts';
import type { DemoOrder } from './orders.ts';
import { allocate, rng } from './rng.ts';

/** Points redeemable in the demo points mall: [cost, coupon amount off, threshold]. */
const MALL: [number, number, number][] = [
  [30, 200, 1500],
  [50, 300, 2000],
  [80, 500, 2500],
  [100, 600, 3000],
  [150, 1000, 4500],
  [200, 1500, 6000],
];

/** Points per line for an earning: 1 point per yuan paid for dishes, floored once, spread by largest remainder. */
function earning(o: DemoOrder) {
  const sum = o.lines.reduce((s, l) => s + l.total, 0);
  const total = Math.floor(sum / 100);
  const shares = allocate(
    total,
    o.lines.map((l) => l.total),
  );
  return { total, perLine: o.lines.map((l, i) => ({ index: l.index, quantity: l.quantity, points: shares[i] ?? 0 })) };
}

/** Points kept after refunding units (the last units' shares go back first), as `pointsAfterRefunds`. */
function keptPoints(e: ReturnType<typeof earning>, refunded: { index: number; quantity: number }[]): number {
  let kept = 0;
  for (const l of e.perLine) {
    const units = allocate(l.points, Array(l.quantity).fill(1));
    const back = refunded.filter((x) => x.index === l.index).reduce((s, x) => s + x.quantity, 0);
    kept += units.slice(0, Math.max(0, l.quantity - back)).reduce((s, x) => s + x, 0);
  }
  return kept;
}

export function pointsMoves(
  o: DemoOrder,
  memberId: string,
  plan: RefundPlan | null,
  refundAt: number,
  now: number,
  out: HistoryRows,
) {
  const e = earning(o);
  if (e.total <= 0) return;
  const brand = o.store.brandId;
  const earnId = `pts_demo_${o.key}_e`;
  const completedAt = o.endedAt;
  let remaining = e.total;
  const ledger = (id: string, kind: string, ref: string, amount: number, detail: object, createdAt: number) => ({
    id,
    brand_id: brand,
    member_id: memberId,
    kind,
    ref,
    amount,
    order_id: kind === 'redeem' ? null : o.id,
    detail: JSON.stringify(detail),
    created_at: createdAt,
  });
  out.points_ledger.push(
    ledger(earnId, 'earn', o.id, e.total, { earning: e, refundedBeforeCompletion: 0 }, completedAt),
  );
  if (plan) {
    const target = o.ending === 'full_refund' ? 0 : keptPoints(e, plan.lines);
    const back = remaining - target;
    if (back > 0) {
      out.points_ledger.push(
        ledger(
          `pts_demo_${o.key}_r`,
          'reverse',
          `${o.id}:1`,
          -back,
          { target, shortfall: 0, lots: [{ lotId: earnId, amount: back }] },
          refundAt,
        ),
      );
      remaining -= back;
    }
  }
  // Some members spend what an order earned in the points mall once it is spendable.
  const r = rng(`redeem|${o.key}`);
  const spendAt = completedAt + r.int(8, 21) * DAY + r.int(0, 600) * MINUTE;
  const offer = [...MALL].reverse().find(([cost]) => cost <= remaining);
  if (!plan && offer && r.chance(0.8) && spendAt <= now) {
    const [cost, amountOff, threshold] = offer;
    const ref = `demo_${o.key}`;
    out.points_ledger.push(
      ledger(
        `pts_demo_${o.key}_s`,
        'redeem',
        ref,
        -cost,
        { catalogItemId: `pcat_demo_${cost}`, lots: [{ lotId: earnId, amount: cost }] },
        spendAt,
      ),
    );
    remaining -= cost;
    const name = `积分兑换 满${threshold / 100}减${amountOff / 100}`;
    out.member_coupons.push({
      id: `mcp_demo_${o.key}_p`,
      brand_id: brand,
      member_id: memberId,
      template_id: 'tpl_demo_points',
      rule: JSON.stringify({ kind: 'amount', threshold, amountOff, templateId: 'tpl_demo_points', name }),
      valid_from: spendAt,
      valid_to: spendAt + 30 * DAY,
      status: spendAt + 30 * DAY <= now ? 'expired' : 'available',
      order_id: null,
      issued_at: spendAt,
      used_at: null,
      issue_key: `points:${ref}`,
      source: 'points',
    });
  }
  out.points_lots.push({
    id: earnId,
    brand_id: brand,
    member_id: memberId,
    order_id: o.id,
    amount: e.total,
    remaining,
    available_at: completedAt + 7 * DAY,
    expires_at: monthsLater(completedAt, o.store.timeZone, 12),
    created_at: completedAt,
  });
}
