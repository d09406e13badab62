import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { EXPO } from '../../durable-objects/store/kitchen/kitchen';
import { checkKitchenHold } from '../../durable-objects/store/orders/actions';
import type { StoreDO } from '../../durable-objects/store/store.do';
import type { StoreParts } from '../../durable-objects/store/store-parts';
import { helpBargain, startBargain } from '../../worker/campaigns/bargain.service';
import { createCampaign } from '../../worker/campaigns/campaigns.service';
import { settleExpiredGroups } from '../../worker/campaigns/group-settlement.service';
import { openStore, potstickers, teaEgg, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { flushEvents, paidOrder } from '../support/loyalty';

/** The orders on the expeditor's screen. */
const kitchenOrders = (storeId: string) =>
  runInDurableObject(env.STORE.getByName(storeId), (i: StoreDO) =>
    (i as unknown as { parts: StoreParts }).parts.kitchen.snapshot(EXPO).tickets.map((t) => t.orderId),
  );

/** A group-buy order: paid now, held from the kitchen until its group fills. */
const groupOrder = (storeId: string, token: string, lines: unknown[]) =>
  paidOrder(storeId, token, lines, { groupBuy: true });

type Guest = Awaited<ReturnType<typeof wechatMember>>;
type Order = Awaited<ReturnType<typeof paidOrder>>;

async function adminTemplate(admin: string, name = 'Free tea egg') {
  const res = await call('/v1/admin/coupon-templates', {
    method: 'POST',
    token: admin,
    body: { name, rule: { kind: 'free_item', itemId: 'itm_teaegg' }, validity: { days: 30 } },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

async function groupCampaign(admin: string, patch: { size?: number; maxGroupsPerMemberPerDay?: number } = {}) {
  const templateId = await adminTemplate(admin);
  const c = await createCampaign(env, 'brd_demo', {
    name: '3 together, half back',
    templateId,
    config: {
      kind: 'group_buy',
      itemId: 'itm_potstickers',
      size: patch.size ?? 3,
      percentOff: 50,
      minutes: 60,
      maxGroupsPerMemberPerDay: patch.maxGroupsPerMemberPerDay ?? 2,
    },
    holdoutPercent: 0,
    status: 'active',
  });
  return { campaignId: c.id, templateId };
}

async function bargainCampaign(admin: string, helpers: number[], maxHelpsPerMemberPerDay = 3) {
  const rungs = [];
  for (const n of helpers) rungs.push({ helpers: n, templateId: await adminTemplate(admin, `Rung ${n}`) });
  const c = await createCampaign(env, 'brd_demo', {
    name: 'Share for rising rewards',
    config: { kind: 'bargain', rungs, hours: 24, maxHelpsPerMemberPerDay },
    holdoutPercent: 0,
    status: 'active',
  });
  return { campaignId: c.id, rungs };
}

const guests = async (n: number) => {
  const out: Guest[] = [];
  for (let i = 0; i < n; i++) out.push(await wechatMember());
  return out;
};

const open = (campaignId: string, g: Guest, orderId: string, deviceId?: string) =>
  call(`/v1/campaigns/${campaignId}/groups`, { method: 'POST', token: g.token, body: { orderId, deviceId } });

const join = (campaignId: string, groupId: string, g: Guest, orderId: string, deviceId?: string) =>
  call(`/v1/campaigns/${campaignId}/groups/${groupId}/members`, {
    method: 'POST',
    token: g.token,
    body: { orderId, deviceId },
  });

const help = (campaignId: string, bargainId: string, g: Guest, deviceId?: string) =>
  call(`/v1/campaigns/${campaignId}/bargains/${bargainId}/helps`, {
    method: 'POST',
    token: g.token,
    body: deviceId ? { deviceId } : {},
  });

const refundsOf = async (orderId: string) =>
  (
    await env.DB.prepare('SELECT id, amount, status, reason FROM refunds WHERE order_id = ? ORDER BY created_at')
      .bind(orderId)
      .all<{ id: string; amount: number; status: string; reason: string }>()
  ).results;

const paymentsOf = async (orderId: string) =>
  (
    await env.DB.prepare("SELECT amount, refunded FROM payments WHERE order_id = ? AND status = 'succeeded'")
      .bind(orderId)
      .all<{ amount: number; refunded: number }>()
  ).results;

const campaignCoupons = async (memberId: string, campaignId: string) =>
  (
    await env.DB.prepare('SELECT template_id, issue_key FROM member_coupons WHERE member_id = ? AND source = ?')
      .bind(memberId, `campaign:${campaignId}`)
      .all<{ template_id: string; issue_key: string }>()
  ).results;

const expiresAt = async (groupId: string) =>
  (await env.DB.prepare('SELECT expires_at FROM group_buys WHERE id = ?')
    .bind(groupId)
    .first<{ expires_at: number }>())!.expires_at;

/** Half of what the order paid for its potstickers, rounded down. */
const halfOfPotstickers = (o: Order) =>
  Math.floor(
    (o.lines as { itemId?: string; total: number }[])
      .filter((l) => l.itemId === 'itm_potstickers')
      .reduce((s, l) => s + l.total, 0) / 2,
  );

describe('group buy: 3 people, 50% off', () => {
  it('three guests fill a group in time: each gets half their potstickers back and the coupon, once', async () => {
    const { storeId, admin } = await openStore();
    const { campaignId, templateId } = await groupCampaign(admin);
    const [a, b, c] = await guests(3);
    const orders = [
      await groupOrder(storeId, a!.token, [potstickers(2), teaEgg(1)]),
      await groupOrder(storeId, b!.token, [potstickers(1)]),
      await groupOrder(storeId, c!.token, [potstickers(1)]),
    ];

    const opened = await open(campaignId, a!, orders[0]!.id, 'device-aaaa-1');
    expect(opened.status, opened.text).toBe(201);
    expect(opened.json).toMatchObject({ status: 'open', size: 3, joined: 1, left: 2, youAreIn: true });
    expect(opened.json.expiresAt).toMatch(/\+08:00$/);
    expect(opened.json.share.poster.scene.length).toBeLessThanOrEqual(32);
    const groupId = opened.json.id as string;
    const again = await open(campaignId, a!, orders[0]!.id);
    expect(again.status, again.text).toBe(200);
    expect(again.json.id).toBe(groupId);

    const second = await join(campaignId, groupId, b!, orders[1]!.id, 'device-bbbb-1');
    expect(second.status, second.text).toBe(200);
    expect(second.json).toMatchObject({ status: 'open', joined: 2, left: 1 });
    const seen = await call(`/v1/campaigns/${campaignId}/groups/${groupId}`, { token: c!.token });
    expect(seen.json).toMatchObject({ youAreIn: false, joined: 2 });
    // Paid, but nothing reaches the kitchen until the group fills.
    expect(await kitchenOrders(storeId)).toEqual([]);

    const last = await join(campaignId, groupId, c!, orders[2]!.id, 'device-cccc-1');
    expect(last.status, last.text).toBe(200);
    expect(last.json).toMatchObject({ status: 'filled', joined: 3, left: 0 });
    expect((await kitchenOrders(storeId)).sort()).toEqual(orders.map((o) => o.id).sort());

    // Replays and the cron, now and after its retry delay, pay nothing more.
    expect((await join(campaignId, groupId, c!, orders[2]!.id)).status).toBe(200);
    const at = await expiresAt(groupId);
    await settleExpiredGroups(env, at + 1);
    await settleExpiredGroups(env, at + 1);
    await settleExpiredGroups(env, at + 3_600_000);

    const members = [a!, b!, c!];
    for (const [i, o] of orders.entries()) {
      const refunds = await refundsOf(o.id);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ amount: halfOfPotstickers(o), status: 'succeeded' });
      expect(refunds[0]!.id.length).toBeLessThanOrEqual(64);
      expect((await paymentsOf(o.id)).reduce((s, p) => s + p.refunded, 0)).toBe(halfOfPotstickers(o));
      expect(await campaignCoupons(members[i]!.memberId, campaignId)).toEqual([
        { template_id: templateId, issue_key: `group:${groupId}:${members[i]!.memberId}` },
      ]);
    }
    expect(halfOfPotstickers(orders[0]!)).toBeGreaterThan(halfOfPotstickers(orders[1]!));
    const settled = await env.DB.prepare('SELECT status, settled_at FROM group_buys WHERE id = ?')
      .bind(groupId)
      .first<{ status: string; settled_at: number | null }>();
    expect(settled?.status).toBe('filled');
    expect(settled?.settled_at).not.toBeNull();
  });

  it('a group that does not fill by its deadline refunds every member’s order in full, once', async () => {
    const { storeId, admin } = await openStore();
    const { campaignId } = await groupCampaign(admin);
    const [a, b, late] = await guests(3);
    const oa = await groupOrder(storeId, a!.token, [potstickers(1), teaEgg(2)]);
    const ob = await groupOrder(storeId, b!.token, [potstickers(1)]);
    const groupId = (await open(campaignId, a!, oa.id)).json.id as string;
    expect((await join(campaignId, groupId, b!, ob.id)).status).toBe(200);

    const at = await expiresAt(groupId);
    expect((await settleExpiredGroups(env, at - 1)).failed).toBe(0);
    expect(await refundsOf(oa.id)).toEqual([]);
    const first = await settleExpiredGroups(env, at + 1);
    expect(first.failed).toBeGreaterThanOrEqual(1);
    await settleExpiredGroups(env, at + 1);
    await settleExpiredGroups(env, at + 3_600_000);

    for (const o of [oa, ob]) {
      const refunds = await refundsOf(o.id);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ amount: o.total, status: 'succeeded', reason: 'order cancelled' });
      for (const p of await paymentsOf(o.id)) expect(p.refunded).toBe(p.amount);
      // Held from the kitchen all along, the order is cancelled with nothing cooked.
      const seen = await call(`/v1/orders/${o.id}`, { token: o.id === oa.id ? a!.token : b!.token });
      expect(seen.json).toMatchObject({ status: 'refunded', kitchenHold: true });
    }
    expect(await campaignCoupons(a!.memberId, campaignId)).toEqual([]);
    const seen = await call(`/v1/campaigns/${campaignId}/groups/${groupId}`, { token: a!.token });
    expect(seen.json).toMatchObject({ status: 'failed', joined: 2, left: 0 });
    const tooLate = await join(
      campaignId,
      groupId,
      late!,
      (await groupOrder(storeId, late!.token, [potstickers(1)])).id,
    );
    expect(tooLate.json).toMatchObject({ status: 409, code: 'group.expired' });
  });

  it('five guests race for the last two places: exactly two join, the others hear the group is full', async () => {
    const { storeId, admin } = await openStore();
    const { campaignId } = await groupCampaign(admin);
    const [leader, ...racers] = await guests(6);
    const lo = await groupOrder(storeId, leader!.token, [potstickers(1)]);
    const groupId = (await open(campaignId, leader!, lo.id)).json.id as string;
    const orders: Order[] = [];
    for (const r of racers) orders.push(await groupOrder(storeId, r.token, [potstickers(1)]));

    const results = await Promise.all(racers.map((r, i) => join(campaignId, groupId, r, orders[i]!.id)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(2);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.json, r.text).toMatchObject({ status: 409, code: 'group.full' });
    }
    const seats = await env.DB.prepare('SELECT COUNT(*) AS n FROM group_members WHERE group_id = ?')
      .bind(groupId)
      .first<{ n: number }>();
    expect(seats?.n).toBe(3);
    const g = await call(`/v1/campaigns/${campaignId}/groups/${groupId}`, { token: leader!.token });
    expect(g.json).toMatchObject({ status: 'filled', joined: 3 });
    // Rewards: the leader and the two who joined, nobody else.
    const rewarded = [];
    for (const o of [lo, ...orders]) if ((await refundsOf(o.id)).length) rewarded.push(o.id);
    expect(rewarded).toHaveLength(3);
  });

  it('refuses a second seat for one member, a reused device, the daily limit and ineligible orders', async () => {
    const { storeId, admin } = await openStore();
    const { campaignId } = await groupCampaign(admin, { maxGroupsPerMemberPerDay: 2 });
    const [a, b, c, d] = await guests(4);
    const refused = (res: Awaited<ReturnType<typeof call>>, reason: string, why?: string) =>
      expect(res.json, res.text).toMatchObject({
        status: 422,
        code: 'group.refused',
        reason,
        ...(why ? { why } : {}),
      });

    const groupId = (await open(campaignId, a!, (await groupOrder(storeId, a!.token, [potstickers(1)])).id)).json
      .id as string;
    refused(
      await join(campaignId, groupId, a!, (await groupOrder(storeId, a!.token, [potstickers(1)])).id),
      'already_in_group',
    );

    const ob = await groupOrder(storeId, b!.token, [potstickers(1)]);
    expect((await join(campaignId, groupId, b!, ob.id, 'device-shared-1')).status).toBe(200);
    const oc = await groupOrder(storeId, c!.token, [potstickers(1)]);
    refused(await join(campaignId, groupId, c!, oc.id, 'device-shared-1'), 'device_used');

    refused(await join(campaignId, groupId, c!, ob.id), 'order_not_eligible', 'already_grouped');
    refused(
      await join(campaignId, groupId, c!, (await groupOrder(storeId, d!.token, [potstickers(1)])).id),
      'order_not_eligible',
      'not_yours',
    );
    refused(
      await join(campaignId, groupId, c!, (await groupOrder(storeId, c!.token, [teaEgg(1)])).id),
      'order_not_eligible',
      'no_item',
    );
    const unpaid = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: c!.token,
      body: { mode: 'pickup', lines: [potstickers(1)] },
    });
    refused(await join(campaignId, groupId, c!, unpaid.json.id), 'order_not_eligible', 'not_paid');
    refused(await join(campaignId, groupId, c!, 'ord_000000000000_nowhere'), 'order_not_eligible', 'not_found');
    // The group is still waiting for its third guest.
    expect((await call(`/v1/campaigns/${campaignId}/groups/${groupId}`, { token: c!.token })).json.joined).toBe(2);

    for (let i = 0; i < 2; i++) {
      const res = await open(campaignId, d!, (await groupOrder(storeId, d!.token, [potstickers(1)])).id);
      expect(res.status, res.text).toBe(201);
    }
    refused(await open(campaignId, d!, (await groupOrder(storeId, d!.token, [potstickers(1)])).id), 'daily_limit');
    const other = await call('/v1/campaigns/cmp_missing/groups', {
      method: 'POST',
      token: d!.token,
      body: { orderId: ob.id },
    });
    expect(other.status).toBe(404);
    const staff = await call(`/v1/campaigns/${campaignId}/groups/${groupId}`, { token: admin });
    expect(staff.status).toBe(403);
  });
});

describe('a group-buy order waiting for its group', () => {
  it('staff cannot start it; the guest who changes their mind is cancelled and refunded at once', async () => {
    const { storeId, staff } = await openStore();
    const [a] = await guests(1);
    const o = await groupOrder(storeId, a!.token, [potstickers(1)]);
    const accept = await call(`/v1/orders/${o.id}/accept`, { method: 'POST', token: staff });
    expect(accept.json).toMatchObject({ status: 409, code: 'order.held_for_group' });
    const cancel = await call(`/v1/orders/${o.id}/cancel`, {
      method: 'POST',
      token: a!.token,
      body: { reason: 'changed my mind' },
    });
    expect(cancel.status, cancel.text).toBe(200);
    expect(cancel.json.status).toBe('cancelled');
    await flushEvents(storeId, 2);
    expect((await refundsOf(o.id)).map((r) => r.amount)).toEqual([o.total]);
  });

  it('a paid group-buy order that never takes a seat is cancelled after the grace period and refunded in full', async () => {
    const { storeId } = await openStore();
    const [a] = await guests(1);
    const o = await groupOrder(storeId, a!.token, [potstickers(1)]);
    const check = (at: number) =>
      runInDurableObject(env.STORE.getByName(storeId), (i: StoreDO) =>
        checkKitchenHold((i as unknown as { parts: StoreParts }).parts, o.id, at),
      );
    await check(Date.now() + 3 * 3_600_000);
    await check(Date.now() + 3 * 3_600_000);
    await flushEvents(storeId, 2);
    expect((await refundsOf(o.id)).map((r) => r.amount)).toEqual([o.total]);
    const seen = await call(`/v1/orders/${o.id}`, { token: a!.token });
    expect(seen.json.status).toBe('refunded');
  });
});

describe('bargain ladder: share to friends for rising rewards', () => {
  it('each rung reached issues its coupon to the initiator once; the top rung closes the bargain', async () => {
    const { admin } = await openStore();
    const { campaignId, rungs } = await bargainCampaign(admin, [1, 2, 3]);
    const [owner, ...friends] = await guests(5);
    const started = await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token });
    expect(started.status, started.text).toBe(201);
    expect(started.json).toMatchObject({ status: 'open', helpers: 0, rungsReached: 0, mine: true });
    expect(started.json.nextRung).toEqual({ helpers: 1, templateId: rungs[0]!.templateId, needed: 1 });
    const bargainId = started.json.id as string;
    const same = await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token });
    expect(same.status).toBe(200);
    expect(same.json.id).toBe(bargainId);

    for (const [i, f] of friends.slice(0, 3).entries()) {
      const res = await help(campaignId, bargainId, f, `device-friend-${i}`);
      expect(res.status, res.text).toBe(201);
      expect(res.json).toMatchObject({ helpers: i + 1, rungsReached: i + 1, youHelped: true, mine: false });
      const coupons = await campaignCoupons(owner!.memberId, campaignId);
      expect(coupons.map((x) => x.template_id).sort()).toEqual(
        rungs
          .slice(0, i + 1)
          .map((r) => r.templateId)
          .sort(),
      );
    }
    const late = await help(campaignId, bargainId, friends[3]!);
    expect(late.json).toMatchObject({ status: 409, code: 'bargain.done' });

    const view = await call(`/v1/campaigns/${campaignId}/bargains/${bargainId}`, { token: owner!.token });
    expect(view.json).toMatchObject({ status: 'done', helpers: 3, rungsReached: 3, nextRung: null });
    expect(view.json.expiresAt).toMatch(/\+08:00$/);
    expect((await campaignCoupons(owner!.memberId, campaignId)).map((x) => x.issue_key).sort()).toEqual([
      `bargain:${bargainId}:1`,
      `bargain:${bargainId}:2`,
      `bargain:${bargainId}:3`,
    ]);
    // A finished ladder lets the member start a new one.
    const next = await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token });
    expect(next.status).toBe(201);
    expect(next.json.id).not.toBe(bargainId);
  });

  it('refuses self-help, a second help, a reused device, the daily limit and an expired bargain', async () => {
    const { admin } = await openStore();
    const { campaignId } = await bargainCampaign(admin, [5, 10], 1);
    const [owner, owner2, b, c] = await guests(4);
    const bargainId = (await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token })).json
      .id as string;
    const refused = (res: Awaited<ReturnType<typeof call>>, reason: string) =>
      expect(res.json, res.text).toMatchObject({ status: 422, code: 'bargain.refused', reason });

    refused(await help(campaignId, bargainId, owner!), 'self_help');
    expect((await help(campaignId, bargainId, b!, 'device-bargain-1')).status).toBe(201);
    refused(await help(campaignId, bargainId, b!, 'device-bargain-2'), 'already_helped');
    refused(await help(campaignId, bargainId, c!, 'device-bargain-1'), 'device_used');

    const other = (await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner2!.token })).json
      .id as string;
    refused(await help(campaignId, other, b!), 'daily_limit');
    expect((await call(`/v1/campaigns/${campaignId}/bargains/${bargainId}`, { token: b!.token })).json).toMatchObject({
      helpers: 1,
      youHelped: true,
    });

    const row = await env.DB.prepare('SELECT expires_at FROM bargains WHERE id = ?')
      .bind(other)
      .first<{ expires_at: number }>();
    await expect(
      helpBargain(env, { id: c!.memberId, brandId: 'brd_demo' }, campaignId, other, {}, row!.expires_at + 1),
    ).rejects.toMatchObject({ status: 409, code: 'bargain.expired' });
    // After its deadline the owner's next start is a new bargain.
    const restarted = await startBargain(
      env,
      { id: owner2!.memberId, brandId: 'brd_demo' },
      campaignId,
      row!.expires_at + 1,
    );
    expect(restarted.created).toBe(true);
  });

  it('friends helping at the same moment count exactly, and stop at the top rung', async () => {
    const { admin } = await openStore();
    const { campaignId, rungs } = await bargainCampaign(admin, [2, 5]);
    const [owner, ...friends] = await guests(9);
    const bargainId = (await call(`/v1/campaigns/${campaignId}/bargains`, { method: 'POST', token: owner!.token })).json
      .id as string;

    const results = await Promise.all(friends.map((f, i) => help(campaignId, bargainId, f, `device-crowd-${i}`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.json, r.text).toMatchObject({ status: 409, code: 'bargain.done' });
    }
    const row = await env.DB.prepare('SELECT helpers, status FROM bargains WHERE id = ?')
      .bind(bargainId)
      .first<{ helpers: number; status: string }>();
    expect(row).toEqual({ helpers: 5, status: 'done' });
    const helps = await env.DB.prepare('SELECT COUNT(*) AS n FROM bargain_helps WHERE bargain_id = ?')
      .bind(bargainId)
      .first<{ n: number }>();
    expect(helps?.n).toBe(5);
    expect((await campaignCoupons(owner!.memberId, campaignId)).map((x) => x.template_id).sort()).toEqual(
      rungs.map((r) => r.templateId).sort(),
    );
  });
});
