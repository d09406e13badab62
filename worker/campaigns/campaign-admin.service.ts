import { and, desc, eq, exists, gt, inArray, isNull, lte, notInArray, sql } from 'drizzle-orm';
import { DAY } from '../../domain/time';
import { isoInZone } from '../../domain/zoned-time';
import {
  campaignTargets,
  deadLetters as deadLetterRows,
  memberCoupons,
  members,
  notifications,
  orderHistory,
  campaignRuns as runs,
} from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import type { Campaign } from './campaigns.service';
import { fanOut } from './fanout.service';
import { segmentMembers } from './segments.service';

const TZ = 'Asia/Shanghai';

/**
 * An admin issues a campaign by hand, to a list of members or a segment. Each run is its
 * own period, so running again issues again on purpose; a replayed queue message of the
 * same run issues nothing twice.
 */
export async function runCampaign(
  env: Env,
  c: Campaign,
  input: { memberIds?: string[]; segment?: string },
  now = Date.now(),
) {
  if (!['manual', 'segment'].includes(c.kind)) {
    throw new ApiError(409, 'campaign.wrong_kind', `A ${c.kind} campaign runs by its own rule, not by hand.`);
  }
  if (c.status !== 'active') throw new ApiError(409, 'campaign.not_running', `${c.name} is ${c.status}.`);
  let memberIds: string[];
  if (input.memberIds) {
    // Only this brand's living members; unknown ids are reported, not silently dropped.
    const wanted = [...new Set(input.memberIds)];
    const found = new Set<string>();
    for (let i = 0; i < wanted.length; i += 90) {
      const slice = wanted.slice(i, i + 90);
      const rows = await db(env)
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.brandId, c.brandId), isNull(members.deletedAt), inArray(members.id, slice)));
      for (const r of rows) found.add(r.id);
    }
    const unknown = wanted.filter((id) => !found.has(id));
    if (unknown.length) {
      throw new ApiError(422, 'validation.failed', `${unknown.length} member ids are not members of this brand.`, {
        errors: unknown.slice(0, 20).map((id) => ({ path: 'memberIds', message: `no member ${id}` })),
      });
    }
    memberIds = wanted;
  } else {
    memberIds = await segmentMembers(env, c.brandId, input.segment!);
  }
  const period = `run:${now.toString(36)}`;
  const r = await fanOut(env, c, period, memberIds, { now });
  return { runId: r.runId ?? '', period, targeted: r.targeted, heldOut: r.heldOut, messages: r.messages };
}

/** The campaign's runs, newest first, with the consumer's tally of each. */
export async function campaignRuns(env: Env, campaignId: string) {
  const rows = await db(env)
    .select({
      id: runs.id,
      period: runs.period,
      targeted: runs.targeted,
      messages: runs.messages,
      startedAt: runs.startedAt,
      detail: runs.detail,
    })
    .from(runs)
    .where(eq(runs.campaignId, campaignId))
    .orderBy(desc(runs.startedAt))
    .limit(50);
  return rows.map((r) => ({
    runId: r.id,
    period: r.period,
    targeted: r.targeted,
    messages: r.messages,
    startedAt: isoInZone(r.startedAt, TZ),
    detail: JSON.parse(r.detail) as Record<string, number>,
  }));
}

/**
 * What a campaign did: issued, pushed, redeemed, revenue of the orders that used its
 * coupons, and repurchase in the target group against the holdout over `windowDays`
 * after each member was reached. The holdout got nothing, so the difference is the lift.
 */
export async function campaignMetrics(env: Env, c: Campaign, windowDays = 14) {
  const source = `campaign:${c.id}`;
  const t = campaignTargets;
  const h = orderHistory;
  const mc = memberCoupons;
  const d = db(env);
  // A completed order within the window after the member was reached. Its own SQL object, so
  // its columns stay qualified (drizzle unqualifies a single-table selection's top level).
  const cameBack = exists(
    d
      .select({ x: sql`1` })
      .from(h)
      .where(
        and(
          eq(h.memberId, t.memberId),
          eq(h.status, 'completed'),
          gt(h.createdAt, t.createdAt),
          lte(h.createdAt, sql`${t.createdAt} + ${windowDays * DAY}`),
        ),
      ),
  );
  const [[g], [pushed], [r], repurchase] = await d.batch([
    d
      .select({
        targeted: sql<number>`COALESCE(SUM(${t.grp} = 'target'), 0)`,
        heldOut: sql<number>`COALESCE(SUM(${t.grp} = 'holdout'), 0)`,
        issued: sql<number>`COALESCE(SUM(${t.status} = 'issued'), 0)`,
      })
      .from(t)
      .where(eq(t.campaignId, c.id)),
    d
      .select({ n: sql<number>`COUNT(*)` })
      .from(notifications)
      .where(and(eq(notifications.campaignId, c.id), eq(notifications.status, 'sent'))),
    d
      .select({ n: sql<number>`COUNT(*)`, revenue: sql<number>`COALESCE(SUM(${h.total}), 0)` })
      .from(mc)
      .leftJoin(h, and(eq(h.id, mc.orderId), notInArray(h.status, ['cancelled', 'refunded'])))
      .where(and(eq(mc.source, source), eq(mc.status, 'used'))),
    d
      .select({
        grp: t.grp,
        members: sql<number>`COUNT(DISTINCT ${t.memberId})`,
        repurchased: sql<number>`COUNT(DISTINCT CASE WHEN ${cameBack} THEN ${t.memberId} END)`,
      })
      .from(t)
      .where(eq(t.campaignId, c.id))
      .groupBy(t.grp),
  ]);
  const rates = new Map(repurchase.map((x) => [x.grp, x.members ? x.repurchased / x.members : 0]));
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  const targetRate = rates.get('target') ?? 0;
  const holdoutRate = rates.get('holdout') ?? 0;
  return {
    campaignId: c.id,
    targeted: g!.targeted,
    heldOut: g!.heldOut,
    issued: g!.issued,
    pushed: pushed!.n,
    redeemed: r!.n,
    redemptionRate: g!.issued ? round(r!.n / g!.issued) : 0,
    attributedRevenue: r!.revenue,
    repurchase: {
      windowDays,
      targetRate: round(targetRate),
      holdoutRate: round(holdoutRate),
      lift: round((targetRate - holdoutRate) * 100),
    },
  };
}

type DeadLetterRow = typeof deadLetterRows.$inferSelect;

const view = (r: DeadLetterRow) => ({
  id: r.id,
  queue: r.queue,
  body: JSON.parse(r.body) as unknown,
  attempts: r.attempts,
  createdAt: isoInZone(r.createdAt, TZ),
  redrivenAt: r.redrivenAt === null ? null : isoInZone(r.redrivenAt, TZ),
});

/** A dead letter's brand is the one its message body names. */
const ofBrand = (brandId: string) => sql`json_extract(${deadLetterRows.body}, '$.brandId') = ${brandId}`;

/** Dead letters of the brand (campaign issuance, store events), newest first. */
export async function deadLetters(env: Env, brandId: string, includeRedriven: boolean) {
  const rows = await db(env)
    .select()
    .from(deadLetterRows)
    .where(and(ofBrand(brandId), includeRedriven ? undefined : isNull(deadLetterRows.redrivenAt)))
    .orderBy(desc(deadLetterRows.createdAt))
    .limit(200);
  return rows.map(view);
}

/**
 * Sends a dead letter back to its queue, once: issuance is keyed and history is applied
 * by sequence, so whatever the first attempts already did is not done twice.
 */
export async function redrive(env: Env, brandId: string, id: string, now = Date.now()) {
  const d = db(env);
  const row = await d
    .select()
    .from(deadLetterRows)
    .where(and(eq(deadLetterRows.id, id), ofBrand(brandId)))
    .get();
  if (!row) throw notFound('dead_letter', id);
  const taken = await d
    .update(deadLetterRows)
    .set({ redrivenAt: now })
    .where(and(eq(deadLetterRows.id, id), isNull(deadLetterRows.redrivenAt)))
    .run();
  if (taken.meta.changes !== 1) {
    throw new ApiError(409, 'dead_letter.already_redriven', 'This message was already sent back to its queue.');
  }
  const queue = row.queue === 'tiffin-events' ? env.EVENTS_QUEUE : env.COUPONS_QUEUE;
  await queue.send(JSON.parse(row.body), { contentType: 'json' });
  return view({ ...row, redrivenAt: now });
}
