import { and, eq, isNull } from 'drizzle-orm';
import { mergeTags, orderTags } from '../../domain/loyalty/perks';
import type { PricedLine } from '../../domain/pricing';
import { localTime } from '../../domain/zoned-time';
import { members, orderHistory } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import { getSnapshot } from '../menu/menu.service';
import { settleOrderPoints } from './order-points.service';
import { rewardReferral } from './referrals.service';
import { upgradeAfterOrder } from './tiers.service';

/**
 * What a completed order does for the member: points (pending through the refund
 * window), a tier upgrade if the rolling figures now reach one, preference tags, and the
 * referral reward on a first paid order. Every step is idempotent on its own, so the
 * events consumer can run this for a replayed event without changing anything.
 */
export async function onOrderCompleted(
  env: Env,
  e: {
    brandId: string;
    storeId: string;
    occurredAt: number;
    order: { id: string; memberId?: string | null; total: number };
  },
) {
  const memberId = e.order.memberId;
  if (!memberId) return;
  const alive = await db(env)
    .select({ tags: members.tags })
    .from(members)
    .where(and(eq(members.id, memberId), isNull(members.deletedAt)))
    .get();
  if (!alive) return;
  const m = { id: memberId, brandId: e.brandId };
  await settleOrderPoints(env, e.order.id, e.occurredAt);
  await upgradeAfterOrder(env, m, e.order.id, e.occurredAt);
  await learnTags(env, m, e.storeId, e.order.id, json<string[]>(alive.tags, []));
  await rewardReferral(env, m, e.order.id, e.order.total, e.occurredAt);
}

/** Tags from the dishes, their categories and options, and the hour (store time) the order was placed. */
async function learnTags(env: Env, m: { id: string }, storeId: string, orderId: string, existing: string[]) {
  const d = db(env);
  const row = await d
    .select({ body: orderHistory.body, createdAt: orderHistory.createdAt })
    .from(orderHistory)
    .where(eq(orderHistory.id, orderId))
    .get();
  if (!row) return;
  const lines = json<{ lines?: PricedLine[] }>(row.body, {}).lines ?? [];
  const menu = await getSnapshot(env, storeId).catch(() => null);
  const items = new Map<string, { tags: string[]; category: string }>();
  for (const c of menu?.categories ?? []) for (const i of c.items) items.set(i.id, { tags: i.tags, category: c.name });
  const learned = orderTags(
    lines
      .filter((l) => !l.gift)
      .map((l) => ({
        tags: items.get(l.itemId)?.tags ?? [],
        category: items.get(l.itemId)?.category ?? null,
        optionNames: l.options.map((o) => o.name),
      })),
    Math.floor(localTime(row.createdAt, menu?.timeZone ?? 'Asia/Shanghai').minutes / 60),
  );
  const tags = mergeTags(existing, learned);
  if (JSON.stringify(tags) !== JSON.stringify(existing)) {
    await d
      .update(members)
      .set({ tags: JSON.stringify(tags) })
      .where(and(eq(members.id, m.id), isNull(members.deletedAt)))
      .run();
  }
}
