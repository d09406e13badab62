import { and, eq, gt, lt, notExists, sql } from 'drizzle-orm';
import {
  type GroupOrderFacts,
  type GroupRefusal,
  groupClosed,
  joinRefusal,
  type OrderIneligibility,
  orderIneligibility,
} from '../../domain/campaigns/groups';
import { isoInZone, localTime, zonedEpoch } from '../../domain/zoned-time';
import { groupBuys, groupMembers } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { type Db, db } from '../lib/db';
import { h5Url } from '../lib/h5-links';
import { newId } from '../lib/ids';
import { insertWhere } from '../lib/insert-select';
import type { MemberRef } from '../members/members.service';
import { phoneLookupHash } from '../members/phone';
import { type Campaign, getCampaign, liveCampaign } from './campaigns.service';
import { type GroupConfig, type GroupRow, groupConfig, paidOrder, seatsTakenSince } from './group-buy.reads';
import { rewardGroup } from './group-settlement.service';

export const CAMPAIGN_TZ = 'Asia/Shanghai';

/** Device ids are kept only as keyed hashes, as referrals keep them. */
export const deviceKey = (env: Env, deviceId: string | undefined) =>
  deviceId ? phoneLookupHash(env, `device:${deviceId}`) : Promise.resolve(null);

/** Local midnight of `now` in the brand's zone: where a per-day limit starts counting. */
export const dayStart = (now: number) => zonedEpoch(localTime(now, CAMPAIGN_TZ), 0, CAMPAIGN_TZ);

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
  const cfg = groupConfig(c);
  const status = g.status === 'open' && g.expiresAt <= now ? 'failed' : g.status;
  const left = status === 'open' ? g.size - g.joined : 0;
  return {
    id: g.id,
    campaignId: g.campaignId,
    status,
    size: g.size,
    joined: g.joined,
    left,
    expiresAt: isoInZone(g.expiresAt, CAMPAIGN_TZ),
    youAreIn,
    reward: { itemId: cfg.itemId, percentOff: cfg.percentOff, templateId: c.templateId },
    share: {
      shareUrl: h5Url(env, `/g/${c.id}/${g.id}`),
      path: `pages/group/index?c=${c.id}&g=${g.id}`,
      poster: { page: 'pages/group/index', scene: `g=${g.id}`, title: `${g.size} together, ${cfg.percentOff}% back` },
    },
  };
}

async function loadGroup(env: Env, c: Campaign, groupId: string): Promise<GroupRow> {
  const g = await db(env)
    .select()
    .from(groupBuys)
    .where(and(eq(groupBuys.id, groupId), eq(groupBuys.campaignId, c.id), eq(groupBuys.brandId, c.brandId)))
    .get();
  if (!g) throw notFound('group', groupId);
  return g;
}

const seatOfOrder = (env: Env, orderId: string) =>
  db(env)
    .select({ groupId: groupMembers.groupId, memberId: groupMembers.memberId, campaignId: groupMembers.campaignId })
    .from(groupMembers)
    .where(eq(groupMembers.orderId, orderId))
    .get();

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
  (await seatsTakenSince(db(env), memberId, campaignId, dayStart(now)).get())!.n;

/** A seat in the group taken by this member, or from this device (no device matches no row: `= NULL` never holds). */
const seatInGroup = (d: Db, groupId: string, by: 'member' | 'device', id: string | null) =>
  d
    .select({ x: sql`1` })
    .from(groupMembers)
    .where(
      and(
        eq(groupMembers.groupId, groupId),
        by === 'member' ? eq(groupMembers.memberId, id!) : sql`${groupMembers.deviceHash} = ${id}`,
      ),
    );

/** A seat already taken with this order, in any group. */
const seatOfOrderQuery = (d: Db, orderId: string) =>
  d.select({ x: sql`1` }).from(groupMembers).where(eq(groupMembers.orderId, orderId));

/** The seat row, written only if the statement before it (the group's conditional count) changed a row. */
const takeSeat = (
  d: Db,
  groupId: string,
  m: MemberRef,
  c: Campaign,
  orderId: string,
  device: string | null,
  now: number,
) =>
  insertWhere(
    d,
    groupMembers,
    { groupId, memberId: m.id, campaignId: c.id, orderId, deviceHash: device, joinedAt: now },
    sql`changes() = 1`,
  );

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
  const cfg = groupConfig(c);
  const replay = async () => {
    const seat = await seatOfOrder(env, input.orderId);
    if (!seat) return null;
    const g = await loadGroup(env, c, seat.groupId).catch(() => null);
    if (g && seat.memberId === m.id && g.leaderId === m.id)
      return { group: groupView(env, c, g, true, now), created: false };
    throw refuse('order_not_eligible', { why: 'already_grouped' });
  };
  const earlier = await replay();
  if (earlier) return earlier;
  await assertEligible(env, m, cfg, input.orderId);
  if ((await groupsToday(env, m.id, c.id, now)) >= cfg.maxGroupsPerMemberPerDay) throw refuse('daily_limit');
  const id = newId('grp');
  const device = await deviceKey(env, input.deviceId);
  const d = db(env);
  const [opened] = await d.batch([
    insertWhere(
      d,
      groupBuys,
      {
        id,
        campaignId: c.id,
        brandId: c.brandId,
        leaderId: m.id,
        size: cfg.size,
        joined: 1,
        status: 'open',
        expiresAt: now + cfg.minutes * 60_000,
        createdAt: now,
      },
      and(
        notExists(seatOfOrderQuery(d, input.orderId)),
        lt(seatsTakenSince(d, m.id, c.id, dayStart(now)), cfg.maxGroupsPerMemberPerDay),
      )!,
    ),
    takeSeat(d, id, m, c, input.orderId, device, now),
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
  const closed = groupClosed(g, now);
  if (closed) throw closedError(closed);
  const d = db(env);
  const [mine, dev] = await d.batch([seatInGroup(d, g.id, 'member', m.id), seatInGroup(d, g.id, 'device', device)]);
  const reason = joinRefusal({
    alreadyMember: mine.length > 0,
    deviceUsed: device !== null && dev.length > 0,
    groupsToday: await groupsToday(env, m.id, g.campaignId, now),
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
  const cfg = groupConfig(c);
  const g = await loadGroup(env, c, groupId);
  const seat = await seatOfOrder(env, input.orderId);
  if (seat?.groupId === g.id && seat.memberId === m.id) return groupView(env, c, g, true, now);
  const device = await deviceKey(env, input.deviceId);
  await explainJoin(env, m, cfg, g, device, now);
  if (seat) throw refuse('order_not_eligible', { why: 'already_grouped' });
  await assertEligible(env, m, cfg, input.orderId);
  const d = db(env);
  const gb = groupBuys;
  const [took, , filled, after] = await d.batch([
    d
      .update(gb)
      .set({ joined: sql`${gb.joined} + 1` })
      .where(
        and(
          eq(gb.id, g.id),
          eq(gb.status, 'open'),
          lt(gb.joined, gb.size),
          gt(gb.expiresAt, now),
          notExists(seatInGroup(d, g.id, 'member', m.id)),
          device === null ? undefined : notExists(seatInGroup(d, g.id, 'device', device)),
          notExists(seatOfOrderQuery(d, input.orderId)),
          lt(seatsTakenSince(d, m.id, c.id, dayStart(now)), cfg.maxGroupsPerMemberPerDay),
        ),
      ),
    takeSeat(d, g.id, m, c, input.orderId, device, now),
    d
      .update(gb)
      .set({ status: 'filled' })
      .where(and(eq(gb.id, g.id), eq(gb.status, 'open'), sql`${gb.joined} >= ${gb.size}`)),
    d.select().from(gb).where(eq(gb.id, g.id)),
  ]);
  const fresh = after[0]!;
  if (took.meta.changes !== 1) {
    const again = await seatOfOrder(env, input.orderId);
    if (again?.groupId === g.id && again.memberId === m.id) return groupView(env, c, fresh, true, now);
    await explainJoin(env, m, cfg, fresh, device, now);
    if (again) throw refuse('order_not_eligible', { why: 'already_grouped' });
    throw closedError('full');
  }
  // Only the join whose UPDATE filled the group pays out; a retry comes from the cron.
  if (filled.meta.changes === 1) await rewardGroup(env, c, fresh, now);
  return groupView(env, c, fresh, true, now);
}

/** A group as one member sees it. */
export async function showGroup(env: Env, m: MemberRef, campaignId: string, groupId: string, now = Date.now()) {
  const c = await getCampaign(env, m.brandId, campaignId);
  groupConfig(c);
  const g = await loadGroup(env, c, groupId);
  const mine = await seatInGroup(db(env), g.id, 'member', m.id).get();
  return groupView(env, c, g, mine !== undefined, now);
}
