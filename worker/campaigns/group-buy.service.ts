import {
  type GroupOrderFacts,
  type GroupRefusal,
  groupClosed,
  groupIssueKey,
  groupRefundId,
  groupRewardAmount,
  joinRefusal,
  type OrderIneligibility,
  orderIneligibility,
  splitReward,
} from '../../domain/campaigns/groups';
import { log } from '../../domain/log';
import { isoInZone, localTime, zonedEpoch } from '../../domain/zoned-time';
import type { OrderView } from '../../durable-objects/store/orders/order-types';
import { storeOfOrder } from '../../durable-objects/store/orders/orders';
import type { CampaignConfig } from '../../schema/api/campaigns.schemas';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { phoneLookupHash } from '../members/phone';
import { orderPayments, type PaymentRow } from '../payments/payments.service';
import { refundCancelledOrder, refundPayment } from '../payments/refunds.service';
import { storeContext, storeStub, unwrap } from '../stores/store-gateway';
import { type Campaign, getCampaign, liveCampaign } from './campaigns.service';

export const CAMPAIGN_TZ = 'Asia/Shanghai';
/** A settlement left unfinished (a refund that failed, a crash) is retried after this quiet time. */
const RETRY_AFTER = 10 * 60_000;

type GroupConfig = Extract<CampaignConfig, { kind: 'group_buy' }>;

export interface GroupRow {
  id: string;
  campaign_id: string;
  brand_id: string;
  leader_id: string;
  size: number;
  joined: number;
  status: 'open' | 'filled' | 'failed';
  expires_at: number;
  created_at: number;
  settled_at: number | null;
}

/** Device ids are kept only as keyed hashes, as referrals keep them. */
export const deviceKey = (env: Env, deviceId: string | undefined) =>
  deviceId ? phoneLookupHash(env, `device:${deviceId}`) : Promise.resolve(null);

/** Local midnight of `now` in the brand's zone: where a per-day limit starts counting. */
export const dayStart = (now: number) => zonedEpoch(localTime(now, CAMPAIGN_TZ), 0, CAMPAIGN_TZ);

const configOf = (c: Campaign): GroupConfig => {
  if (c.config.kind !== 'group_buy') throw notFound('campaign', c.id);
  return c.config;
};

const refusalText: Record<GroupRefusal, string> = {
  already_in_group: 'You are already in this group.',
  device_used: 'This device already joined this group.',
  daily_limit: 'You have joined as many groups of this campaign as allowed today.',
  order_not_eligible: 'That order cannot take a place in a group.',
};

const refuse = (reason: GroupRefusal, extra: Record<string, unknown> = {}) =>
  new ApiError(422, 'group.refused', refusalText[reason], { extra: { reason, ...extra } });

const closedError = (why: 'full' | 'expired') =>
  why === 'full'
    ? new ApiError(409, 'group.full', 'This group is already full.')
    : new ApiError(409, 'group.expired', 'This group ran out of time.');

/** The group as members and their friends see it. */
export function groupView(env: Env, c: Campaign, g: GroupRow, youAreIn: boolean, now = Date.now()) {
  const cfg = configOf(c);
  const status = g.status === 'open' && g.expires_at <= now ? 'failed' : g.status;
  const left = status === 'open' ? g.size - g.joined : 0;
  return {
    id: g.id,
    campaignId: g.campaign_id,
    status,
    size: g.size,
    joined: g.joined,
    left,
    expiresAt: isoInZone(g.expires_at, CAMPAIGN_TZ),
    youAreIn,
    reward: { itemId: cfg.itemId, percentOff: cfg.percentOff, templateId: c.templateId },
    share: {
      shareUrl: `${env.H5_BASE_URL}/g/${c.id}/${g.id}`,
      path: `pages/group/index?c=${c.id}&g=${g.id}`,
      poster: { page: 'pages/group/index', scene: `g=${g.id}`, title: `${g.size} together, ${cfg.percentOff}% back` },
    },
  };
}

async function loadGroup(env: Env, c: Campaign, groupId: string): Promise<GroupRow> {
  const g = await env.DB.prepare('SELECT * FROM group_buys WHERE id = ? AND campaign_id = ? AND brand_id = ?')
    .bind(groupId, c.id, c.brandId)
    .first<GroupRow>();
  if (!g) throw notFound('group', groupId);
  return g;
}

const seatOfOrder = (env: Env, orderId: string) =>
  env.DB.prepare('SELECT group_id, member_id, campaign_id FROM group_members WHERE order_id = ?')
    .bind(orderId)
    .first<{ group_id: string; member_id: string; campaign_id: string }>();

/** The order, its succeeded payments and its store's brand; null when there is no such order. */
async function paidOrder(
  env: Env,
  orderId: string,
): Promise<{ order: OrderView; brandId: string; payments: PaymentRow[] } | null> {
  const storeId = storeOfOrder(orderId);
  if (!storeId) return null;
  const store = await storeContext(env, storeId).catch(() => null);
  if (!store) return null;
  const r = await storeStub(env, storeId).getOrder(orderId, { actor: 'system' });
  if (!r.ok) return null;
  const payments = (await orderPayments(env, orderId)).filter((p) => p.status === 'succeeded');
  return { order: r.value, brandId: store.store.brandId, payments };
}

async function assertEligible(env: Env, m: MemberRef, cfg: GroupConfig, orderId: string) {
  const found = await paidOrder(env, orderId);
  let why: OrderIneligibility | null = 'not_found';
  if (found) {
    const facts: GroupOrderFacts = {
      memberId: found.order.memberId,
      brandId: found.brandId,
      status: found.order.status,
      total: found.order.total,
      paid: found.payments.filter((p) => p.brand_id === m.brandId).reduce((s, p) => s + p.amount, 0),
      refunded: found.payments.reduce((s, p) => s + p.refunded, 0),
      lines: found.order.lines,
      kitchenHold: found.order.kitchenHold,
    };
    why = orderIneligibility(facts, { memberId: m.id, brandId: m.brandId, itemId: cfg.itemId });
  }
  if (why) throw refuse('order_not_eligible', { why });
}

const groupsToday = async (env: Env, memberId: string, campaignId: string, now: number) =>
  (await env.DB.prepare(
    'SELECT COUNT(*) AS n FROM group_members WHERE member_id = ? AND campaign_id = ? AND joined_at >= ?',
  )
    .bind(memberId, campaignId, dayStart(now))
    .first<{ n: number }>())!.n;

/** The seat row, written only if the statement before it (the group's conditional count) changed a row. */
const takeSeat = (
  env: Env,
  groupId: string,
  m: MemberRef,
  c: Campaign,
  orderId: string,
  device: string | null,
  now: number,
) =>
  env.DB.prepare(
    `INSERT INTO group_members (group_id, member_id, campaign_id, order_id, device_hash, joined_at)
     SELECT ?, ?, ?, ?, ?, ? WHERE changes() = 1`,
  ).bind(groupId, m.id, c.id, orderId, device, now);

/**
 * A member opens a group with their own paid order for the campaign's item. Replaying the
 * same order answers the group it already opened (`created: false`).
 */
export async function openGroup(
  env: Env,
  m: MemberRef,
  campaignId: string,
  input: { orderId: string; deviceId?: string },
  now = Date.now(),
) {
  const c = await liveCampaign(env, m.brandId, campaignId, 'group_buy', now);
  const cfg = configOf(c);
  const replay = async () => {
    const seat = await seatOfOrder(env, input.orderId);
    if (!seat) return null;
    const g = await loadGroup(env, c, seat.group_id).catch(() => null);
    if (g && seat.member_id === m.id && g.leader_id === m.id)
      return { group: groupView(env, c, g, true, now), created: false };
    throw refuse('order_not_eligible', { why: 'already_grouped' });
  };
  const earlier = await replay();
  if (earlier) return earlier;
  await assertEligible(env, m, cfg, input.orderId);
  if ((await groupsToday(env, m.id, c.id, now)) >= cfg.maxGroupsPerMemberPerDay) throw refuse('daily_limit');
  const id = newId('grp');
  const device = await deviceKey(env, input.deviceId);
  const [opened] = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO group_buys (id, campaign_id, brand_id, leader_id, size, joined, status, expires_at, created_at)
       SELECT ?, ?, ?, ?, ?, 1, 'open', ?, ?
       WHERE NOT EXISTS (SELECT 1 FROM group_members WHERE order_id = ?)
         AND (SELECT COUNT(*) FROM group_members WHERE member_id = ? AND campaign_id = ? AND joined_at >= ?) < ?`,
    ).bind(
      id,
      c.id,
      c.brandId,
      m.id,
      cfg.size,
      now + cfg.minutes * 60_000,
      now,
      input.orderId,
      m.id,
      c.id,
      dayStart(now),
      cfg.maxGroupsPerMemberPerDay,
    ),
    takeSeat(env, id, m, c, input.orderId, device, now),
  ]);
  if (opened!.meta.changes !== 1) {
    // A concurrent request took the order or the last place of the day.
    const again = await replay();
    if (again) return again;
    throw refuse('daily_limit');
  }
  return { group: groupView(env, c, await loadGroup(env, c, id), true, now), created: true };
}

async function explainJoin(env: Env, m: MemberRef, cfg: GroupConfig, g: GroupRow, device: string | null, now: number) {
  const closed = groupClosed({ ...g, expiresAt: g.expires_at }, now);
  if (closed) throw closedError(closed);
  const [mine, dev] = await env.DB.batch([
    env.DB.prepare('SELECT 1 FROM group_members WHERE group_id = ? AND member_id = ?').bind(g.id, m.id),
    env.DB.prepare('SELECT 1 FROM group_members WHERE group_id = ? AND device_hash = ?').bind(g.id, device),
  ]);
  const reason = joinRefusal({
    alreadyMember: mine!.results.length > 0,
    deviceUsed: device !== null && dev!.results.length > 0,
    groupsToday: await groupsToday(env, m.id, g.campaign_id, now),
    maxGroupsPerDay: cfg.maxGroupsPerMemberPerDay,
  });
  if (reason) throw refuse(reason);
}

/**
 * A member takes a place in an open group with their own paid order. The place is taken by
 * one conditional UPDATE (open, not full, not expired, member/device/order/day rules) and the
 * seat row is written only if it moved, in one transaction, so a group can never overfill.
 * The join that fills the group pays every member's reward.
 */
export async function joinGroup(
  env: Env,
  m: MemberRef,
  campaignId: string,
  groupId: string,
  input: { orderId: string; deviceId?: string },
  now = Date.now(),
) {
  const c = await liveCampaign(env, m.brandId, campaignId, 'group_buy', now);
  const cfg = configOf(c);
  const g = await loadGroup(env, c, groupId);
  const seat = await seatOfOrder(env, input.orderId);
  if (seat?.group_id === g.id && seat.member_id === m.id) return groupView(env, c, g, true, now);
  const device = await deviceKey(env, input.deviceId);
  await explainJoin(env, m, cfg, g, device, now);
  if (seat) throw refuse('order_not_eligible', { why: 'already_grouped' });
  await assertEligible(env, m, cfg, input.orderId);
  const [took, , filled, after] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE group_buys SET joined = joined + 1
       WHERE id = ? AND status = 'open' AND joined < size AND expires_at > ?
         AND NOT EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND member_id = ?)
         AND (? IS NULL OR NOT EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND device_hash = ?))
         AND NOT EXISTS (SELECT 1 FROM group_members WHERE order_id = ?)
         AND (SELECT COUNT(*) FROM group_members WHERE member_id = ? AND campaign_id = ? AND joined_at >= ?) < ?`,
    ).bind(
      g.id,
      now,
      g.id,
      m.id,
      device,
      g.id,
      device,
      input.orderId,
      m.id,
      c.id,
      dayStart(now),
      cfg.maxGroupsPerMemberPerDay,
    ),
    takeSeat(env, g.id, m, c, input.orderId, device, now),
    env.DB.prepare(`UPDATE group_buys SET status = 'filled' WHERE id = ? AND status = 'open' AND joined >= size`).bind(
      g.id,
    ),
    env.DB.prepare('SELECT * FROM group_buys WHERE id = ?').bind(g.id),
  ]);
  const fresh = after!.results[0] as GroupRow;
  if (took!.meta.changes !== 1) {
    const again = await seatOfOrder(env, input.orderId);
    if (again?.group_id === g.id && again.member_id === m.id) return groupView(env, c, fresh, true, now);
    await explainJoin(env, m, cfg, fresh, device, now);
    if (again) throw refuse('order_not_eligible', { why: 'already_grouped' });
    throw closedError('full');
  }
  // Only the join whose UPDATE filled the group pays out; a retry comes from the cron.
  if (filled!.meta.changes === 1) await rewardGroup(env, c, fresh, now);
  return groupView(env, c, fresh, true, now);
}

/** A group as one member sees it. */
export async function showGroup(env: Env, m: MemberRef, campaignId: string, groupId: string, now = Date.now()) {
  const c = await getCampaign(env, m.brandId, campaignId);
  configOf(c);
  const g = await loadGroup(env, c, groupId);
  const mine = await env.DB.prepare('SELECT 1 AS x FROM group_members WHERE group_id = ? AND member_id = ?')
    .bind(g.id, m.id)
    .first();
  return groupView(env, c, g, mine !== null, now);
}

const seatsOf = async (env: Env, groupId: string) =>
  (
    await env.DB.prepare('SELECT member_id, order_id FROM group_members WHERE group_id = ? ORDER BY joined_at')
      .bind(groupId)
      .all<{ member_id: string; order_id: string }>()
  ).results;

const markSettled = (env: Env, groupId: string, now: number) =>
  env.DB.prepare('UPDATE group_buys SET settled_at = ? WHERE id = ? AND settled_at IS NULL').bind(now, groupId).run();

/**
 * The reward of a filled group, for every member: `percentOff`% of what they paid for the
 * group item (its order lines' totals, rounded down) goes back to their own tenders, split in
 * proportion to what each tender paid, plus the campaign's coupon. Money back, not a coupon
 * for next time, is what "3 people → 50% off" promises a guest who already paid full price.
 * Refund ids and the coupon issue key are fixed per (payment or member, group), so a retry
 * pays nothing twice; the group is marked settled only when every member's reward went out.
 */
async function rewardGroup(env: Env, c: Campaign, g: GroupRow, now: number) {
  const cfg = configOf(c);
  let complete = true;
  let coupons = 0;
  for (const seat of await seatsOf(env, g.id)) {
    try {
      const found = await paidOrder(env, seat.order_id);
      if (!found) throw new Error(`order ${seat.order_id} unreadable`);
      // A member who cancelled while waiting was refunded in full: no rebate, no coupon.
      if (found.order.status === 'cancelled' || found.order.status === 'refunded') continue;
      // The group filled: the kitchen can start on it now.
      unwrap(await storeStub(env, found.order.storeId).releaseKitchenHold(seat.order_id, now));
      const tenders = found.payments.filter((p) => p.brand_id === g.brand_id);
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
            brandId: g.brand_id,
            memberId: seat.member_id,
            templateId: c.templateId,
            issueKey: groupIssueKey(g.id, seat.member_id),
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
      const storeId = storeOfOrder(seat.order_id);
      if (!storeId) throw new Error(`order ${seat.order_id} has no store`);
      const stub = storeStub(env, storeId);
      const order = await stub.getOrder(seat.order_id, { actor: 'system' });
      if (order.ok && order.value.status !== 'cancelled' && order.value.status !== 'refunded') {
        unwrap(
          await stub.act(
            { orderId: seat.order_id, action: 'cancel', actor: 'system', reason: 'group did not fill' },
            now,
          ),
        );
      }
      await refundCancelledOrder(env, storeId, seat.order_id, now);
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
  const { results: due } = await env.DB.prepare(
    `SELECT * FROM group_buys WHERE status = 'open' AND expires_at <= ? ORDER BY expires_at LIMIT 200`,
  )
    .bind(now)
    .all<GroupRow>();
  for (const g of due) {
    const moved = await env.DB.prepare(
      `UPDATE group_buys SET status = 'failed' WHERE id = ? AND status = 'open' AND joined < size AND expires_at <= ?`,
    )
      .bind(g.id, now)
      .run();
    if (moved.meta.changes !== 1) continue;
    out.failed++;
    const r = await refundGroup(env, g, now);
    out.refundedOrders += r.refunded;
    if (!r.complete) out.unfinished++;
  }
  const quiet = now - RETRY_AFTER;
  const { results: stuck } = await env.DB.prepare(
    `SELECT * FROM group_buys g WHERE settled_at IS NULL AND (
       (status = 'failed' AND expires_at <= ?) OR
       (status = 'filled' AND (SELECT MAX(joined_at) FROM group_members m WHERE m.group_id = g.id) <= ?))
     LIMIT 100`,
  )
    .bind(quiet, quiet)
    .all<GroupRow>();
  for (const g of stuck) {
    if (g.status === 'failed') {
      const r = await refundGroup(env, g, now);
      out.refundedOrders += r.refunded;
      if (!r.complete) out.unfinished++;
    } else {
      const r = await rewardGroup(env, await getCampaign(env, g.brand_id, g.campaign_id), g, now);
      if (r.complete) out.rewarded++;
      else out.unfinished++;
    }
  }
  return out;
}
