import { and, eq, sql } from 'drizzle-orm';
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
import { members, orderHistory, payments, pointsLedger, refunds } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { ensureStanding } from './loyalty-account.service';
import { loyaltyRules } from './loyalty-rules.service';
import { ledgerEntry, movePoints } from './points.service';
import { revokeReferralMilestones } from './referrals.service';

/**
 * Brings an order's points to what it deserves now: the earning when it completes
 * (pending through the refund window), less what refunds took back. Safe to call any
 * number of times from any path (the events consumer, a refund settling): it posts only
 * the difference, and each posting is keyed so a replay posts nothing.
 */
export async function settleOrderPoints(env: Env, orderId: string, now = Date.now()) {
  const d = db(env);
  const [h, r, p] = await d.batch([
    d
      .select({
        brandId: orderHistory.brandId,
        memberId: orderHistory.memberId,
        status: orderHistory.status,
        body: orderHistory.body,
        createdAt: orderHistory.createdAt,
        updatedAt: orderHistory.updatedAt,
      })
      .from(orderHistory)
      .where(eq(orderHistory.id, orderId)),
    d
      .select({ lines: refunds.lines })
      .from(refunds)
      .where(and(eq(refunds.orderId, orderId), eq(refunds.status, 'succeeded'))),
    d
      .select({ cents: sql<number>`COALESCE(SUM(${payments.amount}), 0)`.as('cents') })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.method, 'points'), eq(payments.status, 'succeeded'))),
  ]);
  const order = h[0];
  if (!order?.memberId) return { earned: 0, reversed: 0 };
  const earnedEntry = await ledgerEntry(env, 'earn', orderId);
  if (!earnedEntry && order.status !== 'completed') return { earned: 0, reversed: 0 };
  const member = { id: order.memberId, brandId: order.brandId };
  const rules = await loyaltyRules(env, order.brandId, now);

  // Order refunds always name their lines (a full refund names every line left), once per
  // refund however many tenders it spans; refunds without lines pay back an overpayment.
  const refundedUnits = new Map<number, number>();
  for (const row of r) {
    for (const l of JSON.parse(row.lines) as { index: number; quantity: number }[]) {
      refundedUnits.set(l.index, (refundedUnits.get(l.index) ?? 0) + l.quantity);
    }
  }
  const byPoints = p[0]!.cents;

  let earning: OrderEarning;
  if (earnedEntry) {
    earning = (JSON.parse(earnedEntry.detail) as { earning: OrderEarning }).earning;
  } else {
    const standing = await ensureStanding(env, member, now, rules);
    const birthday = await d
      .select({ birthday: members.birthday })
      .from(members)
      .where(eq(members.id, member.id))
      .get();
    const body = JSON.parse(order.body) as { lines?: PricedLine[] };
    earning = orderEarning(
      (body.lines ?? []).map((l) => ({ index: l.index, quantity: l.quantity, total: l.total, gift: l.gift })),
      {
        perYuan: rules.points.perYuan,
        multiplier: earnMultiplier(
          rules,
          tierById(rules, standing.tierId),
          order.createdAt,
          birthday?.birthday ?? null,
        ),
        paidWithPoints: byPoints,
      },
    );
  }
  const target = order.status === 'refunded' ? 0 : pointsAfterRefunds(earning, refundedUnits);
  const completedAt = order.updatedAt;

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
  if (order.status === 'refunded') await reverseReferralRewards(env, order.brandId, orderId, now);
  return posted.ok ? posted.value : { earned: 0, reversed: 0 };
}

/**
 * A referred guest's first order refunded in full: the referral points both sides got for
 * it come back (the lots carry the order, so they are taken first), once each, and unused
 * milestone coupons the inviter no longer reaches are revoked (`revokeReferralMilestones`).
 */
async function reverseReferralRewards(env: Env, brandId: string, orderId: string, now: number) {
  await revokeReferralMilestones(env, brandId, orderId, now);
  const results = await db(env)
    .select({ memberId: pointsLedger.memberId, ref: pointsLedger.ref, amount: pointsLedger.amount })
    .from(pointsLedger)
    .where(and(eq(pointsLedger.kind, 'referral'), eq(pointsLedger.orderId, orderId)));
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
