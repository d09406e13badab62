import { and, count, eq, gte } from 'drizzle-orm';
import { storeOfOrder } from '../../domain/orders/order-ids';
import type { OrderView } from '../../durable-objects/store/contract';
import type { CampaignConfig } from '../../schema/api/campaigns.schemas';
import { type groupBuys, groupMembers } from '../../schema/d1/tables';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import type { Db } from '../lib/db';
import { orderPayments, type PaymentRow } from '../payments/payments.service';
import { storeContext, storeStub } from '../stores/store-gateway';
import type { Campaign } from './campaigns.service';

/*
 * What both halves of a group buy read: the members' side (open, join, show) and the
 * settlement (fill, fail, refund).
 */

export type GroupConfig = Extract<CampaignConfig, { kind: 'group_buy' }>;

export type GroupRow = typeof groupBuys.$inferSelect;

/** The campaign's group-buy settings; any other kind of campaign is not found here. */
export const groupConfig = (c: Campaign): GroupConfig => {
  if (c.config.kind !== 'group_buy') throw notFound('campaign', c.id);
  return c.config;
};

/** The seats a member took in a campaign's groups since `since`: the per-day limit counts these. */
export const seatsTakenSince = (d: Db, memberId: string, campaignId: string, since: number) =>
  d
    .select({ n: count() })
    .from(groupMembers)
    .where(
      and(
        eq(groupMembers.memberId, memberId),
        eq(groupMembers.campaignId, campaignId),
        gte(groupMembers.joinedAt, since),
      ),
    );

/** The order, its succeeded payments and its store's brand; null when there is no such order. */
export async function paidOrder(
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
