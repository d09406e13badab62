import { DAY } from '../../domain/time';
import { isoInZone } from '../../domain/zoned-time';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import type { Campaign } from './campaigns.service';
import { fanOut } from './fanout.service';

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
      const { results } = await env.DB.prepare(
        `SELECT id FROM members WHERE brand_id = ? AND deleted_at IS NULL AND id IN (${slice.map(() => '?').join(',')})`,
      )
        .bind(c.brandId, ...slice)
        .all<{ id: string }>();
      for (const r of results) found.add(r.id);
    }
    const unknown = wanted.filter((id) => !found.has(id));
    if (unknown.length) {
      throw new ApiError(422, 'validation.failed', `${unknown.length} member ids are not members of this brand.`, {
        errors: unknown.slice(0, 20).map((id) => ({ path: 'memberIds', message: `no member ${id}` })),
      });
    }
    memberIds = wanted;
  } else {
    const { results } = await env.DB.prepare(
      `SELECT s.member_id AS id FROM member_segments s JOIN members m ON m.id = s.member_id AND m.deleted_at IS NULL
       WHERE s.brand_id = ? AND s.segment = ?`,
    )
      .bind(c.brandId, input.segment)
      .all<{ id: string }>();
    memberIds = results.map((r) => r.id);
  }
  const period = `run:${now.toString(36)}`;
  const r = await fanOut(env, c, period, memberIds, { now });
  return { runId: r.runId ?? '', period, targeted: r.targeted, heldOut: r.heldOut, messages: r.messages };
}

/** The campaign's runs, newest first, with the consumer's tally of each. */
export async function campaignRuns(env: Env, campaignId: string) {
  const { results } = await env.DB.prepare(
    'SELECT id, period, targeted, messages, started_at, detail FROM campaign_runs WHERE campaign_id = ? ORDER BY started_at DESC LIMIT 50',
  )
    .bind(campaignId)
    .all<{ id: string; period: string; targeted: number; messages: number; started_at: number; detail: string }>();
  return results.map((r) => ({
    runId: r.id,
    period: r.period,
    targeted: r.targeted,
    messages: r.messages,
    startedAt: isoInZone(r.started_at, TZ),
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
  const [groups, pushed, redeemed, repurchase] = await env.DB.batch([
    env.DB.prepare(
      `SELECT COALESCE(SUM(grp = 'target'), 0) AS targeted, COALESCE(SUM(grp = 'holdout'), 0) AS heldOut,
         COALESCE(SUM(status = 'issued'), 0) AS issued FROM campaign_targets WHERE campaign_id = ?`,
    ).bind(c.id),
    env.DB.prepare(`SELECT COUNT(*) AS n FROM notifications WHERE campaign_id = ? AND status = 'sent'`).bind(c.id),
    env.DB.prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(h.total), 0) AS revenue FROM member_coupons mc
       LEFT JOIN order_history h ON h.id = mc.order_id AND h.status NOT IN ('cancelled', 'refunded')
       WHERE mc.source = ? AND mc.status = 'used'`,
    ).bind(source),
    env.DB.prepare(
      `SELECT t.grp, COUNT(DISTINCT t.member_id) AS members,
         COUNT(DISTINCT CASE WHEN EXISTS (
           SELECT 1 FROM order_history h WHERE h.member_id = t.member_id AND h.status = 'completed'
             AND h.created_at > t.created_at AND h.created_at <= t.created_at + ?) THEN t.member_id END) AS repurchased
       FROM campaign_targets t WHERE t.campaign_id = ? GROUP BY t.grp`,
    ).bind(windowDays * DAY, c.id),
  ]);
  const g = groups!.results[0] as { targeted: number; heldOut: number; issued: number };
  const r = redeemed!.results[0] as { n: number; revenue: number };
  const rates = new Map(
    (repurchase!.results as { grp: string; members: number; repurchased: number }[]).map((x) => [
      x.grp,
      x.members ? x.repurchased / x.members : 0,
    ]),
  );
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  const targetRate = rates.get('target') ?? 0;
  const holdoutRate = rates.get('holdout') ?? 0;
  return {
    campaignId: c.id,
    targeted: g.targeted,
    heldOut: g.heldOut,
    issued: g.issued,
    pushed: (pushed!.results[0] as { n: number }).n,
    redeemed: r.n,
    redemptionRate: g.issued ? round(r.n / g.issued) : 0,
    attributedRevenue: r.revenue,
    repurchase: {
      windowDays,
      targetRate: round(targetRate),
      holdoutRate: round(holdoutRate),
      lift: round((targetRate - holdoutRate) * 100),
    },
  };
}

interface DeadLetterRow {
  id: string;
  queue: string;
  body: string;
  attempts: number;
  created_at: number;
  redriven_at: number | null;
}

const view = (r: DeadLetterRow) => ({
  id: r.id,
  queue: r.queue,
  body: JSON.parse(r.body) as unknown,
  attempts: r.attempts,
  createdAt: isoInZone(r.created_at, TZ),
  redrivenAt: r.redriven_at === null ? null : isoInZone(r.redriven_at, TZ),
});

/** Dead letters of the brand (campaign issuance, store events), newest first. */
export async function deadLetters(env: Env, brandId: string, includeRedriven: boolean) {
  const { results } = await env.DB.prepare(
    `SELECT * FROM dead_letters WHERE json_extract(body, '$.brandId') = ? AND (? OR redriven_at IS NULL)
     ORDER BY created_at DESC LIMIT 200`,
  )
    .bind(brandId, includeRedriven ? 1 : 0)
    .all<DeadLetterRow>();
  return results.map(view);
}

/**
 * Sends a dead letter back to its queue, once: issuance is keyed and history is applied
 * by sequence, so whatever the first attempts already did is not done twice.
 */
export async function redrive(env: Env, brandId: string, id: string, now = Date.now()) {
  const row = await env.DB.prepare(`SELECT * FROM dead_letters WHERE id = ? AND json_extract(body, '$.brandId') = ?`)
    .bind(id, brandId)
    .first<DeadLetterRow>();
  if (!row) throw notFound('dead letter', id);
  const taken = await env.DB.prepare('UPDATE dead_letters SET redriven_at = ? WHERE id = ? AND redriven_at IS NULL')
    .bind(now, id)
    .run();
  if (taken.meta.changes !== 1) {
    throw new ApiError(409, 'dead_letter.already_redriven', 'This message was already sent back to its queue.');
  }
  const queue = row.queue === 'tiffin-events' ? env.EVENTS_QUEUE : env.COUPONS_QUEUE;
  await queue.send(JSON.parse(row.body), { contentType: 'json' });
  return view({ ...row, redriven_at: now });
}
