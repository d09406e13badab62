import { and, asc, eq, isNull, lt, lte, max, or } from 'drizzle-orm';
import { groupIssueKey, groupRefundId, groupRewardAmount, splitReward } from '../../domain/campaigns/groups';
import { log } from '../../domain/log';
import { storeOfOrder } from '../../domain/orders/order-ids';
import { groupBuys, groupMembers } from '../../schema/d1/tables';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { db } from '../lib/db';
import { refundCancelledOrder, refundPayment } from '../payments/refunds.service';
import { storeStub, unwrap } from '../stores/store-gateway';
import { type Campaign, getCampaign } from './campaigns.service';
import { type GroupRow, groupConfig, paidOrder } from './group-buy.reads';

/** A settlement left unfinished (a refund that failed, a crash) is retried after this quiet time. */
const RETRY_AFTER = 10 * 60_000;

const seatsOf = (env: Env, groupId: string) =>
  db(env)
    .select({ memberId: groupMembers.memberId, orderId: groupMembers.orderId })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(groupMembers.joinedAt));

const markSettled = (env: Env, groupId: string, now: number) =>
  db(env)
    .update(groupBuys)
    .set({ settledAt: now })
    .where(and(eq(groupBuys.id, groupId), isNull(groupBuys.settledAt)))
    .run();

/**
 * The reward of a filled group, for every member: `percentOff`% of what they paid for the
 * group item (its order lines' totals, rounded down) goes back to their own tenders, split in
 * proportion to what each tender paid, plus the campaign's coupon. Money back, not a coupon
 * for next time, is what "3 people → 50% off" promises a guest who already paid full price.
 * Refund ids and the coupon issue key are fixed per (payment or member, group), so a retry
 * pays nothing twice; the group is marked settled only when every member's reward went out.
 */
export async function rewardGroup(env: Env, c: Campaign, g: GroupRow, now: number) {
  const cfg = groupConfig(c);
  let complete = true;
  let coupons = 0;
  for (const seat of await seatsOf(env, g.id)) {
    try {
      const found = await paidOrder(env, seat.orderId);
      if (!found) throw new Error(`order ${seat.orderId} unreadable`);
      // A member who cancelled while waiting was refunded in full: no rebate, no coupon.
      if (found.order.status === 'cancelled' || found.order.status === 'refunded') continue;
      // The group filled: the kitchen can start on it now.
      unwrap(await storeStub(env, found.order.storeId).releaseKitchenHold(seat.orderId, now));
      const tenders = found.payments.filter((p) => p.brand_id === g.brandId);
      const amount = groupRewardAmount(found.order.lines, cfg.itemId, cfg.percentOff);
      const split = splitReward(
        amount,
        tenders.map((p) => p.amount),
      );
      for (const [i, p] of tenders.entries()) {
        const share = split[i]!;
        if (share <= 0) continue;
        const reason = `group buy ${cfg.percentOff}% back`;
        const r = await refundPayment(env, p, share, reason, groupRefundId(p.id, g.id), [], now);
        // null: the tender has nothing left (refunded meanwhile); failed: try again next run.
        if (r?.status === 'failed') complete = false;
      }
      if (c.templateId) {
        const issued = await issueCoupon(
          env,
          {
            brandId: g.brandId,
            memberId: seat.memberId,
            templateId: c.templateId,
            issueKey: groupIssueKey(g.id, seat.memberId),
            source: `campaign:${c.id}`,
          },
          now,
        );
        if (issued.issued) coupons++;
      }
    } catch (e) {
      complete = false;
      log.warn('group reward failed', { groupId: g.id, error: e });
    }
  }
  if (complete) await markSettled(env, g.id, now);
  return { complete, coupons };
}

/**
 * A failed group: every member's order, still held from the kitchen, is cancelled by the
 * system, which pays it back in full through the same keyed refunds a cancellation
 * always uses, so the events consumer and this run can never refund it twice.
 */
async function refundGroup(env: Env, g: GroupRow, now: number) {
  let complete = true;
  let refunded = 0;
  for (const seat of await seatsOf(env, g.id)) {
    try {
      const storeId = storeOfOrder(seat.orderId);
      if (!storeId) throw new Error(`order ${seat.orderId} has no store`);
      const stub = storeStub(env, storeId);
      const order = await stub.getOrder(seat.orderId, { actor: 'system' });
      if (order.ok && order.value.status !== 'cancelled' && order.value.status !== 'refunded') {
        unwrap(
          await stub.act(
            { orderId: seat.orderId, action: 'cancel', actor: 'system', reason: 'group did not fill' },
            now,
          ),
        );
      }
      await refundCancelledOrder(env, storeId, seat.orderId, now);
      refunded++;
    } catch (e) {
      complete = false;
      log.warn('group refund failed', { groupId: g.id, error: e });
    }
  }
  if (complete) await markSettled(env, g.id, now);
  return { complete, refunded };
}

/**
 * Groups past their time limit that did not fill: failed (a conditional UPDATE, once),
 * every member's order refunded in full. Also finishes settlements a failed refund or a
 * crash left open (failed or filled groups without `settled_at`, quiet for ten minutes).
 * Safe to run twice or concurrently with joins.
 */
export async function settleExpiredGroups(env: Env, now = Date.now()) {
  const out = { failed: 0, refundedOrders: 0, rewarded: 0, unfinished: 0 };
  const d = db(env);
  const g = groupBuys;
  const due = await d
    .select()
    .from(g)
    .where(and(eq(g.status, 'open'), lte(g.expiresAt, now)))
    .orderBy(asc(g.expiresAt))
    .limit(200);
  for (const group of due) {
    const moved = await d
      .update(g)
      .set({ status: 'failed' })
      .where(and(eq(g.id, group.id), eq(g.status, 'open'), lt(g.joined, g.size), lte(g.expiresAt, now)))
      .run();
    if (moved.meta.changes !== 1) continue;
    out.failed++;
    const r = await refundGroup(env, group, now);
    out.refundedOrders += r.refunded;
    if (!r.complete) out.unfinished++;
  }
  const quiet = now - RETRY_AFTER;
  const lastJoin = d
    .select({ at: max(groupMembers.joinedAt) })
    .from(groupMembers)
    .where(eq(groupMembers.groupId, g.id));
  const stuck = await d
    .select()
    .from(g)
    .where(
      and(
        isNull(g.settledAt),
        or(and(eq(g.status, 'failed'), lte(g.expiresAt, quiet)), and(eq(g.status, 'filled'), lte(lastJoin, quiet))),
      ),
    )
    .limit(100);
  for (const group of stuck) {
    if (group.status === 'failed') {
      const r = await refundGroup(env, group, now);
      out.refundedOrders += r.refunded;
      if (!r.complete) out.unfinished++;
    } else {
      const r = await rewardGroup(env, await getCampaign(env, group.brandId, group.campaignId), group, now);
      if (r.complete) out.rewarded++;
      else out.unfinished++;
    }
  }
  return out;
}
