import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { EXPO } from '../../durable-objects/store/kitchen/kitchen';
import type { StoreDO } from '../../durable-objects/store/store.do';
import type { StoreParts } from '../../durable-objects/store/store-parts';
import { createCampaign } from '../../worker/campaigns/campaigns.service';
import { wechatMember } from './factories';
import { call } from './http';
import { paidOrder } from './loyalty';

/** The orders on the expeditor's screen. */
export const kitchenOrders = (storeId: string) =>
  runInDurableObject(env.STORE.getByName(storeId), (i: StoreDO) =>
    (i as unknown as { parts: StoreParts }).parts.kitchen.snapshot(EXPO).tickets.map((t) => t.orderId),
  );

/** A group-buy order: paid now, held from the kitchen until its group fills. */
export const groupOrder = (storeId: string, token: string, lines: unknown[]) =>
  paidOrder(storeId, token, lines, { groupBuy: true });

export type Guest = Awaited<ReturnType<typeof wechatMember>>;
export type Order = Awaited<ReturnType<typeof paidOrder>>;

export async function adminTemplate(admin: string, name = 'Free tea egg') {
  const res = await call('/v1/admin/coupon-templates', {
    method: 'POST',
    token: admin,
    body: { name, rule: { kind: 'free_item', itemId: 'itm_teaegg' }, validity: { days: 30 } },
  });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

export async function groupCampaign(admin: string, patch: { size?: number; maxGroupsPerMemberPerDay?: number } = {}) {
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

export async function bargainCampaign(admin: string, helpers: number[], maxHelpsPerMemberPerDay = 3) {
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

export const guests = async (n: number) => {
  const out: Guest[] = [];
  for (let i = 0; i < n; i++) out.push(await wechatMember());
  return out;
};

export const open = (campaignId: string, g: Guest, orderId: string, deviceId?: string) =>
  call(`/v1/campaigns/${campaignId}/groups`, { method: 'POST', token: g.token, body: { orderId, deviceId } });

export const join = (campaignId: string, groupId: string, g: Guest, orderId: string, deviceId?: string) =>
  call(`/v1/campaigns/${campaignId}/groups/${groupId}/members`, {
    method: 'POST',
    token: g.token,
    body: { orderId, deviceId },
  });

export const help = (campaignId: string, bargainId: string, g: Guest, deviceId?: string) =>
  call(`/v1/campaigns/${campaignId}/bargains/${bargainId}/helps`, {
    method: 'POST',
    token: g.token,
    body: deviceId ? { deviceId } : {},
  });

export const refundsOf = async (orderId: string) =>
  (
    await env.DB.prepare('SELECT id, amount, status, reason FROM refunds WHERE order_id = ? ORDER BY created_at')
      .bind(orderId)
      .all<{ id: string; amount: number; status: string; reason: string }>()
  ).results;

export const paymentsOf = async (orderId: string) =>
  (
    await env.DB.prepare("SELECT amount, refunded FROM payments WHERE order_id = ? AND status = 'succeeded'")
      .bind(orderId)
      .all<{ amount: number; refunded: number }>()
  ).results;

export const campaignCoupons = async (memberId: string, campaignId: string) =>
  (
    await env.DB.prepare('SELECT template_id, issue_key FROM member_coupons WHERE member_id = ? AND source = ?')
      .bind(memberId, `campaign:${campaignId}`)
      .all<{ template_id: string; issue_key: string }>()
  ).results;

export const expiresAt = async (groupId: string) =>
  (await env.DB.prepare('SELECT expires_at FROM group_buys WHERE id = ?')
    .bind(groupId)
    .first<{ expires_at: number }>())!.expires_at;

/** Half of what the order paid for its potstickers, rounded down. */
export const halfOfPotstickers = (o: Order) =>
  Math.floor(
    (o.lines as { itemId?: string; total: number }[])
      .filter((l) => l.itemId === 'itm_potstickers')
      .reduce((s, l) => s + l.total, 0) / 2,
  );
