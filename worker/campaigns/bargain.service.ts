import {
  type BargainRefusal,
  helpRefusal,
  ladderTop,
  nextRung,
  rungIssueKey,
  rungsReached,
  sortedRungs,
} from '../../domain/campaigns/groups';
import { log } from '../../domain/log';
import { HOUR } from '../../domain/time';
import { isoInZone } from '../../domain/zoned-time';
import type { CampaignConfig } from '../../schema/api/campaigns.schemas';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { newId } from '../lib/ids';
import type { MemberRef } from '../members/members.service';
import { type Campaign, getCampaign, liveCampaign } from './campaigns.service';
import { CAMPAIGN_TZ, dayStart, deviceKey } from './group-buy.service';

type BargainConfig = Extract<CampaignConfig, { kind: 'bargain' }>;

export interface BargainRow {
  id: string;
  campaign_id: string;
  brand_id: string;
  member_id: string;
  helpers: number;
  status: 'open' | 'done' | 'expired';
  expires_at: number;
  created_at: number;
}

const configOf = (c: Campaign): BargainConfig => {
  if (c.config.kind !== 'bargain') throw notFound('campaign', c.id);
  return c.config;
};

const refusalText: Record<BargainRefusal, string> = {
  self_help: 'You cannot help your own bargain; share it with friends.',
  already_helped: 'You already helped this bargain.',
  device_used: 'This device already helped this bargain.',
  daily_limit: 'You have helped as many bargains of this campaign as allowed today.',
};

const refuse = (reason: BargainRefusal) =>
  new ApiError(422, 'bargain.refused', refusalText[reason], { extra: { reason } });

/** The bargain as its initiator and helpers see it. */
export function bargainView(
  env: Env,
  c: Campaign,
  b: BargainRow,
  viewer: string,
  youHelped: boolean,
  now = Date.now(),
) {
  const cfg = configOf(c);
  const status = b.status === 'open' && b.expires_at <= now ? 'expired' : b.status;
  const reached = rungsReached(cfg.rungs, b.helpers);
  return {
    id: b.id,
    campaignId: b.campaign_id,
    status,
    helpers: b.helpers,
    expiresAt: isoInZone(b.expires_at, CAMPAIGN_TZ),
    mine: b.member_id === viewer,
    youHelped,
    rungs: sortedRungs(cfg.rungs).map((r) => ({ ...r, reached: r.helpers <= b.helpers })),
    rungsReached: reached.length,
    nextRung: nextRung(cfg.rungs, b.helpers),
    share: {
      shareUrl: `${env.H5_BASE_URL}/b/${c.id}/${b.id}`,
      path: `pages/bargain/index?c=${c.id}&b=${b.id}`,
      poster: { page: 'pages/bargain/index', scene: `b=${b.id}`, title: 'Tap to help me climb the ladder' },
    },
  };
}

async function loadBargain(env: Env, c: Campaign, bargainId: string) {
  const b = await env.DB.prepare('SELECT * FROM bargains WHERE id = ? AND campaign_id = ? AND brand_id = ?')
    .bind(bargainId, c.id, c.brandId)
    .first<BargainRow>();
  if (!b) throw notFound('bargain', bargainId);
  return b;
}

/**
 * Issues the initiator every rung the count has reached and not yet paid, each once by its
 * issue key. Run after every help, so a rung whose issuance failed is paid by the next one.
 */
async function issueReached(env: Env, c: Campaign, b: BargainRow, now: number) {
  const reached = rungsReached(configOf(c).rungs, b.helpers);
  if (reached.length === 0) return;
  const keys = reached.map((r) => rungIssueKey(b.id, r));
  const { results } = await env.DB.prepare(
    `SELECT issue_key FROM member_coupons WHERE issue_key IN (${keys.map(() => '?').join(',')})`,
  )
    .bind(...keys)
    .all<{ issue_key: string }>();
  const paid = new Set(results.map((r) => r.issue_key));
  for (const r of reached) {
    const issueKey = rungIssueKey(b.id, r);
    if (paid.has(issueKey)) continue;
    const res = await issueCoupon(
      env,
      { brandId: b.brand_id, memberId: b.member_id, templateId: r.templateId, issueKey, source: `campaign:${c.id}` },
      now,
    );
    if (!res.issued && res.reason !== 'duplicate') {
      log.warn('bargain rung not issued', { issueKey, reason: res.reason });
    }
  }
}

/**
 * A member starts a bargain. At most one is open per member and campaign (the insert is
 * guarded by that rule in the same transaction); asking again answers the open one.
 */
export async function startBargain(env: Env, m: MemberRef, campaignId: string, now = Date.now()) {
  const c = await liveCampaign(env, m.brandId, campaignId, 'bargain', now);
  const cfg = configOf(c);
  const id = newId('bgn');
  const [, inserted, open] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE bargains SET status = 'expired' WHERE member_id = ? AND campaign_id = ? AND status = 'open' AND expires_at <= ?`,
    ).bind(m.id, c.id, now),
    env.DB.prepare(
      `INSERT INTO bargains (id, campaign_id, brand_id, member_id, helpers, status, expires_at, created_at)
       SELECT ?, ?, ?, ?, 0, 'open', ?, ?
       WHERE NOT EXISTS (SELECT 1 FROM bargains WHERE member_id = ? AND campaign_id = ? AND status = 'open')`,
    ).bind(id, c.id, c.brandId, m.id, now + cfg.hours * HOUR, now, m.id, c.id),
    env.DB.prepare(
      `SELECT * FROM bargains WHERE member_id = ? AND campaign_id = ? AND status = 'open' ORDER BY created_at LIMIT 1`,
    ).bind(m.id, c.id),
  ]);
  const b = open!.results[0] as BargainRow;
  const created = inserted!.meta.changes === 1;
  if (!created) await issueReached(env, c, b, now);
  return { bargain: bargainView(env, c, b, m.id, false, now), created };
}

async function explainHelp(
  env: Env,
  helper: MemberRef,
  cfg: BargainConfig,
  b: BargainRow,
  device: string | null,
  now: number,
) {
  const [mine, dev, today] = await env.DB.batch([
    env.DB.prepare('SELECT 1 FROM bargain_helps WHERE bargain_id = ? AND helper_id = ?').bind(b.id, helper.id),
    env.DB.prepare('SELECT 1 FROM bargain_helps WHERE bargain_id = ? AND device_hash = ?').bind(b.id, device),
    env.DB.prepare(
      'SELECT COUNT(*) AS n FROM bargain_helps WHERE helper_id = ? AND campaign_id = ? AND created_at >= ?',
    ).bind(helper.id, b.campaign_id, dayStart(now)),
  ]);
  const facts = {
    isInitiator: b.member_id === helper.id,
    alreadyHelped: mine!.results.length > 0,
    deviceUsed: device !== null && dev!.results.length > 0,
    helpsToday: (today!.results[0] as { n: number }).n,
    maxHelpsPerDay: cfg.maxHelpsPerMemberPerDay,
  };
  // Who you are comes before the bargain's state; the device and the daily count after it.
  const first = helpRefusal({ ...facts, deviceUsed: false, helpsToday: 0 });
  if (first) throw refuse(first);
  if (b.status === 'done') throw new ApiError(409, 'bargain.done', 'This bargain already reached its top rung.');
  if (b.status === 'expired' || b.expires_at <= now) {
    throw new ApiError(409, 'bargain.expired', 'This bargain ran out of time.');
  }
  const rest = helpRefusal(facts);
  if (rest) throw refuse(rest);
}

/**
 * A friend helps. The help row is written only while the bargain is open and every rule
 * holds, and the count moves only if that row was written, in one transaction: concurrent
 * helps count exactly, and a friend or device counts once. Each rung reached is issued.
 */
export async function helpBargain(
  env: Env,
  helper: MemberRef,
  campaignId: string,
  bargainId: string,
  input: { deviceId?: string },
  now = Date.now(),
) {
  const c = await liveCampaign(env, helper.brandId, campaignId, 'bargain', now);
  const cfg = configOf(c);
  const b = await loadBargain(env, c, bargainId);
  const device = await deviceKey(env, input.deviceId);
  await explainHelp(env, helper, cfg, b, device, now);
  const [helped, , after] = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO bargain_helps (bargain_id, helper_id, campaign_id, device_hash, created_at)
       SELECT ?, ?, ?, ?, ?
       WHERE EXISTS (SELECT 1 FROM bargains WHERE id = ? AND status = 'open' AND expires_at > ? AND member_id != ?)
         AND (? IS NULL OR NOT EXISTS (SELECT 1 FROM bargain_helps WHERE bargain_id = ? AND device_hash = ?))
         AND (SELECT COUNT(*) FROM bargain_helps WHERE helper_id = ? AND campaign_id = ? AND created_at >= ?) < ?
       ON CONFLICT DO NOTHING`,
    ).bind(
      b.id,
      helper.id,
      c.id,
      device,
      now,
      b.id,
      now,
      helper.id,
      device,
      b.id,
      device,
      helper.id,
      c.id,
      dayStart(now),
      cfg.maxHelpsPerMemberPerDay,
    ),
    env.DB.prepare(
      `UPDATE bargains SET helpers = helpers + 1, status = CASE WHEN helpers + 1 >= ? THEN 'done' ELSE status END
       WHERE id = ? AND changes() = 1`,
    ).bind(ladderTop(cfg.rungs), b.id),
    env.DB.prepare('SELECT * FROM bargains WHERE id = ?').bind(b.id),
  ]);
  const fresh = after!.results[0] as BargainRow;
  if (helped!.meta.changes !== 1) {
    await explainHelp(env, helper, cfg, fresh, device, now);
    throw new ApiError(409, 'bargain.closed', 'This bargain takes no more help.');
  }
  await issueReached(env, c, fresh, now);
  return bargainView(env, c, fresh, helper.id, true, now);
}

/** A bargain as one member (its initiator or a friend) sees it. */
export async function showBargain(env: Env, m: MemberRef, campaignId: string, bargainId: string, now = Date.now()) {
  const c = await getCampaign(env, m.brandId, campaignId);
  configOf(c);
  const b = await loadBargain(env, c, bargainId);
  const helped = await env.DB.prepare('SELECT 1 AS x FROM bargain_helps WHERE bargain_id = ? AND helper_id = ?')
    .bind(b.id, m.id)
    .first();
  return bargainView(env, c, b, m.id, helped !== null, now);
}
