import { earnMultiplier } from '../../domain/loyalty/perks';
import {
  lotExpiresAt,
  type OrderEarning,
  orderEarning,
  planDebit,
  pointsAfterRefunds,
} from '../../domain/loyalty/points';
import { tierById } from '../../domain/loyalty/rules';
import type { PricedLine } from '../../domain/pricing';
import { DAY } from '../../domain/time';
import type { Env } from '../env';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';
import { ledgerEntry, movePoints } from './points.service';

interface HistoryRow {
  id: string;
  brand_id: string;
  member_id: string | null;
  status: string;
  total: number;
  body: string;
  created_at: number;
  updated_at: number;
}

/**
 * Brings an order's points to what it deserves now: the earning when it completes
 * (pending through the refund window), less what refunds took back. Safe to call any
 * number of times from any path (the events consumer, a refund settling): it posts only
 * the difference, and each posting is keyed so a replay posts nothing.
 */
export async function settleOrderPoints(env: Env, orderId: string, now = Date.now()) {
  const [h, r, p] = await env.DB.batch([
    env.DB.prepare(
      'SELECT id, brand_id, member_id, status, total, body, created_at, updated_at FROM order_history WHERE id = ?',
    ).bind(orderId),
    env.DB.prepare(`SELECT lines FROM refunds WHERE order_id = ? AND status = 'succeeded'`).bind(orderId),
    env.DB.prepare(
      `SELECT COALESCE(SUM(amount), 0) AS cents FROM payments WHERE order_id = ? AND method = 'points' AND status = 'succeeded'`,
    ).bind(orderId),
  ]);
  const order = h!.results[0] as HistoryRow | undefined;
  if (!order?.member_id) return { earned: 0, reversed: 0 };
  const earnedEntry = await ledgerEntry(env, 'earn', orderId);
  if (!earnedEntry && order.status !== 'completed') return { earned: 0, reversed: 0 };
  const member = { id: order.member_id, brandId: order.brand_id };
  const rules = await loyaltyRules(env, order.brand_id, now);

  // Order refunds always name their lines (a full refund names every line left), once per
  // refund however many tenders it spans; refunds without lines pay back an overpayment.
  const refundedUnits = new Map<number, number>();
  for (const row of r!.results as { lines: string }[]) {
    for (const l of JSON.parse(row.lines) as { index: number; quantity: number }[]) {
      refundedUnits.set(l.index, (refundedUnits.get(l.index) ?? 0) + l.quantity);
    }
  }
  const byPoints = (p!.results[0] as { cents: number }).cents;

  let earning: OrderEarning;
  if (earnedEntry) {
    earning = (JSON.parse(earnedEntry.detail) as { earning: OrderEarning }).earning;
  } else {
    const standing = await ensureStanding(env, member, now, rules);
    const birthday = await env.DB.prepare('SELECT birthday FROM members WHERE id = ?')
      .bind(member.id)
      .first<{ birthday: string | null }>();
    const body = JSON.parse(order.body) as { lines?: PricedLine[] };
    earning = orderEarning(
      (body.lines ?? []).map((l) => ({ index: l.index, quantity: l.quantity, total: l.total, gift: l.gift })),
      {
        perYuan: rules.points.perYuan,
        multiplier: earnMultiplier(
          rules,
          tierById(rules, standing.tierId),
          order.created_at,
          birthday?.birthday ?? null,
        ),
        paidWithPoints: byPoints,
      },
    );
  }
  const target = order.status === 'refunded' ? 0 : pointsAfterRefunds(earning, refundedUnits);
  const completedAt = order.updated_at;

  const posted = await movePoints(
    env,
    member,
    ({ lots, order: held }) => {
      if (!held?.earned) {
        if (order.status !== 'completed' || target <= 0) return { entries: [], value: { earned: 0, reversed: 0 } };
        return {
          entries: [
            {
              kind: 'earn',
              ref: orderId,
              amount: target,
              orderId,
              detail: { earning, refundedBeforeCompletion: earning.total - target },
              lot: {
                availableAt: completedAt + rules.points.refundWindowDays * DAY,
                expiresAt: lotExpiresAt(completedAt, rules.timeZone, rules.points.expiryMonths),
              },
            },
          ],
          value: { earned: target, reversed: 0 },
        };
      }
      const back = held.net - target;
      if (back <= 0) return { entries: [], value: { earned: 0, reversed: 0 } };
      // The order's own lot first (usually still pending), then spendable lots; never below zero.
      const plan = planDebit(lots, back, now, { reversalOf: orderId });
      const taken = back - plan.shortfall;
      return {
        entries: [
          {
            kind: 'reverse',
            ref: `${orderId}:${held.entries}`,
            amount: -taken,
            orderId,
            detail: { target, shortfall: plan.shortfall },
            take: plan.take,
          },
        ],
        value: { earned: 0, reversed: taken },
      };
    },
    now,
    { orderId },
  );
  if (order.status === 'refunded') await reverseReferralRewards(env, order.brand_id, orderId, now);
  return posted.ok ? posted.value : { earned: 0, reversed: 0 };
}

/**
 * A referred guest's first order refunded in full: the referral points both sides got for
 * it come back (the lots carry the order, so they are taken first), once each. Milestone
 * coupons already issued stay issued.
 */
async function reverseReferralRewards(env: Env, brandId: string, orderId: string, now: number) {
  const { results } = await env.DB.prepare(
    `SELECT member_id AS memberId, ref, amount FROM points_ledger WHERE kind = 'referral' AND order_id = ?`,
  )
    .bind(orderId)
    .all<{ memberId: string; ref: string; amount: number }>();
  for (const credit of results) {
    const ref = `referral_reverse:${credit.ref}`;
    if (await ledgerEntry(env, 'adjust', ref)) continue;
    await movePoints(
      env,
      { id: credit.memberId, brandId },
      ({ lots }) => {
        const plan = planDebit(lots, credit.amount, now, { reversalOf: orderId });
        return {
          entries: [
            {
              kind: 'adjust',
              ref,
              amount: -(credit.amount - plan.shortfall),
              detail: { reason: 'referred order refunded', shortfall: plan.shortfall },
              take: plan.take,
            },
          ],
          value: null,
        };
      },
      now,
    );
  }
}
