import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { checkKitchenHold } from '../../durable-objects/store/orders/actions';
import type { StoreDO } from '../../durable-objects/store/store.do';
import type { StoreParts } from '../../durable-objects/store/store-parts';
import { settleExpiredGroups } from '../../worker/campaigns/group-settlement.service';
import { openStore, potstickers, teaEgg } from '../support/factories';
import {
  campaignCoupons,
  expiresAt,
  groupCampaign,
  groupOrder,
  guests,
  halfOfPotstickers,
  join,
  kitchenOrders,
  type Order,
  open,
  paymentsOf,
  refundsOf,
} from '../support/groups';
import { call } from '../support/http';
import { flushEvents } from '../support/loyalty';

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
