import { and, asc, eq } from 'drizzle-orm';
import { lotExpiresAt } from '../../domain/loyalty/points';
import { pointsCatalog as pointsCatalogTable } from '../../schema/d1/tables';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import type { MemberRef } from '../members/members.service';
import { loyaltyRules } from './loyalty-rules.service';
import { creditPoints, ledgerEntry, spendPoints } from './points.service';

export async function pointsCatalog(env: Env, brandId: string, includeInactive = false) {
  const results = await db(env)
    .select({
      id: pointsCatalogTable.id,
      name: pointsCatalogTable.name,
      kind: pointsCatalogTable.kind,
      cost: pointsCatalogTable.cost,
      templateId: pointsCatalogTable.templateId,
      active: pointsCatalogTable.active,
    })
    .from(pointsCatalogTable)
    .where(
      and(eq(pointsCatalogTable.brandId, brandId), includeInactive ? undefined : eq(pointsCatalogTable.active, true)),
    )
    .orderBy(asc(pointsCatalogTable.cost), asc(pointsCatalogTable.id));
  return results.map(({ active, ...r }) => (includeInactive ? { ...r, active } : r));
}

/**
 * Redeems points for a catalog item: the points are spent (FIFO, never below zero, keyed
 * by `ref` so a retried request spends once), then the coupon is issued under the same
 * key. If the coupon cannot be issued (out of stock), the points come straight back.
 */
export async function redeem(env: Env, m: MemberRef, catalogItemId: string, ref: string, now = Date.now()) {
  const item = await db(env)
    .select({
      id: pointsCatalogTable.id,
      name: pointsCatalogTable.name,
      cost: pointsCatalogTable.cost,
      templateId: pointsCatalogTable.templateId,
    })
    .from(pointsCatalogTable)
    .where(
      and(
        eq(pointsCatalogTable.id, catalogItemId),
        eq(pointsCatalogTable.brandId, m.brandId),
        eq(pointsCatalogTable.active, true),
      ),
    )
    .get();
  if (!item) throw notFound('catalog_item', catalogItemId);
  // A key whose first attempt found no coupon and gave the points back stays spent-and-undone.
  if (await ledgerEntry(env, 'adjust', `redeem_undo:${ref}`)) {
    throw new ApiError(
      409,
      'points.redemption_undone',
      'That redemption found no coupon and your points came back; send a new request.',
    );
  }
  const spent = await spendPoints(env, m, 'redeem', ref, item.cost, { catalogItemId: item.id }, now);
  if (!spent.ok) {
    throw new ApiError(
      409,
      'points.insufficient',
      `${item.name} costs ${item.cost} points; you have ${spent.spendable}.`,
      {
        extra: { available: spent.spendable, needed: item.cost },
      },
    );
  }
  const issued = await issueCoupon(
    env,
    { brandId: m.brandId, memberId: m.id, templateId: item.templateId, issueKey: `points:${ref}`, source: 'points' },
    now,
  );
  if (issued.issued || issued.reason === 'duplicate') {
    return { catalogItemId: item.id, spent: item.cost, couponId: issued.couponId!, available: spent.spendable };
  }
  const rules = await loyaltyRules(env, m.brandId, now);
  await creditPoints(
    env,
    m,
    {
      kind: 'adjust',
      ref: `redeem_undo:${ref}`,
      amount: item.cost,
      detail: { reason: issued.reason, catalogItemId: item.id },
      lot: { availableAt: now, expiresAt: lotExpiresAt(now, rules.timeZone, rules.points.expiryMonths) },
    },
    now,
  );
  throw new ApiError(
    409,
    'coupon.out_of_stock',
    `${item.name} is not available right now; your points were not spent.`,
    {
      extra: { reason: issued.reason },
    },
  );
}
