import { and, asc, count, eq, exists, gt, gte, inArray, lt, lte, ne, notExists, sql } from 'drizzle-orm';
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
import { bargainHelps, bargains, memberCoupons } from '../../schema/d1/tables';
import { issueCoupon } from '../coupons/issue.service';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { type Db, db } from '../lib/db';
import { h5Url } from '../lib/h5-links';
import { newId } from '../lib/ids';
import { insertWhere } from '../lib/insert-select';
import type { MemberRef } from '../members/members.service';
import { type Campaign, getCampaign, liveCampaign } from './campaigns.service';
import { CAMPAIGN_TZ, dayStart, deviceKey } from './group-buy.service';

type BargainConfig = Extract<CampaignConfig, { kind: 'bargain' }>;

export type BargainRow = typeof bargains.$inferSelect;

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
  const status = b.status === 'open' && b.expiresAt <= now ? 'expired' : b.status;
  const reached = rungsReached(cfg.rungs, b.helpers);
  return {
    id: b.id,
    campaignId: b.campaignId,
    status,
    helpers: b.helpers,
    expiresAt: isoInZone(b.expiresAt, CAMPAIGN_TZ),
    mine: b.memberId === viewer,
    youHelped,
    rungs: sortedRungs(cfg.rungs).map((r) => ({ ...r, reached: r.helpers <= b.helpers })),
    rungsReached: reached.length,
    nextRung: nextRung(cfg.rungs, b.helpers),
    share: {
      shareUrl: h5Url(env, `/b/${c.id}/${b.id}`),
      path: `pages/bargain/index?c=${c.id}&b=${b.id}`,
      poster: { page: 'pages/bargain/index', scene: `b=${b.id}`, title: 'Tap to help me climb the ladder' },
    },
  };
}

async function loadBargain(env: Env, c: Campaign, bargainId: string) {
  const b = await db(env)
    .select()
    .from(bargains)
    .where(and(eq(bargains.id, bargainId), eq(bargains.campaignId, c.id), eq(bargains.brandId, c.brandId)))
    .get();
  if (!b) throw notFound('bargain', bargainId);
  return b;
}

/** A help already given to the bargain by this helper, or from this device (no device matches no row: `= NULL` never holds). */
const helpBy = (d: Db, bargainId: string, by: 'helper' | 'device', id: string | null) =>
  d
    .select({ x: sql`1` })
    .from(bargainHelps)
    .where(
      and(
        eq(bargainHelps.bargainId, bargainId),
        by === 'helper' ? eq(bargainHelps.helperId, id!) : sql`${bargainHelps.deviceHash} = ${id}`,
      ),
    );

/** The helps a member gave in a campaign since `since`: the per-day limit counts these. */
const helpsSince = (d: Db, helperId: string, campaignId: string, since: number) =>
  d
    .select({ n: count() })
    .from(bargainHelps)
    .where(
      and(
        eq(bargainHelps.helperId, helperId),
        eq(bargainHelps.campaignId, campaignId),
        gte(bargainHelps.createdAt, since),
      ),
    );

/**
 * Issues the initiator every rung the count has reached and not yet paid, each once by its
 * issue key. Run after every help, so a rung whose issuance failed is paid by the next one.
 */
async function issueReached(env: Env, c: Campaign, b: BargainRow, now: number) {
  const reached = rungsReached(configOf(c).rungs, b.helpers);
  if (reached.length === 0) return;
  const keys = reached.map((r) => rungIssueKey(b.id, r));
  const rows = await db(env)
    .select({ issueKey: memberCoupons.issueKey })
    .from(memberCoupons)
    .where(inArray(memberCoupons.issueKey, keys));
  const paid = new Set(rows.map((r) => r.issueKey));
  for (const r of reached) {
    const issueKey = rungIssueKey(b.id, r);
    if (paid.has(issueKey)) continue;
    const res = await issueCoupon(
      env,
      { brandId: b.brandId, memberId: b.memberId, templateId: r.templateId, issueKey, source: `campaign:${c.id}` },
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
  const d = db(env);
  const mine = and(eq(bargains.memberId, m.id), eq(bargains.campaignId, c.id));
  const [, inserted, open] = await d.batch([
    d
      .update(bargains)
      .set({ status: 'expired' })
      .where(and(mine, eq(bargains.status, 'open'), lte(bargains.expiresAt, now))),
    insertWhere(
      d,
      bargains,
      {
        id,
        campaignId: c.id,
        brandId: c.brandId,
        memberId: m.id,
        helpers: 0,
        status: 'open',
        expiresAt: now + cfg.hours * HOUR,
        createdAt: now,
      },
      notExists(
        d
          .select({ x: sql`1` })
          .from(bargains)
          .where(and(mine, eq(bargains.status, 'open'))),
      ),
    ),
    d
      .select()
      .from(bargains)
      .where(and(mine, eq(bargains.status, 'open')))
      .orderBy(asc(bargains.createdAt))
      .limit(1),
  ]);
  const b = open[0]!;
  const created = inserted.meta.changes === 1;
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
  const d = db(env);
  const [mine, dev, today] = await d.batch([
    helpBy(d, b.id, 'helper', helper.id),
    helpBy(d, b.id, 'device', device),
    helpsSince(d, helper.id, b.campaignId, dayStart(now)),
  ]);
  const facts = {
    isInitiator: b.memberId === helper.id,
    alreadyHelped: mine.length > 0,
    deviceUsed: device !== null && dev.length > 0,
    helpsToday: today[0]!.n,
    maxHelpsPerDay: cfg.maxHelpsPerMemberPerDay,
  };
  // Who you are comes before the bargain's state; the device and the daily count after it.
  const first = helpRefusal({ ...facts, deviceUsed: false, helpsToday: 0 });
  if (first) throw refuse(first);
  if (b.status === 'done') throw new ApiError(409, 'bargain.done', 'This bargain already reached its top rung.');
  if (b.status === 'expired' || b.expiresAt <= now) {
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
  const d = db(env);
  const open = d
    .select({ x: sql`1` })
    .from(bargains)
    .where(
      and(
        eq(bargains.id, b.id),
        eq(bargains.status, 'open'),
        gt(bargains.expiresAt, now),
        ne(bargains.memberId, helper.id),
      ),
    );
  const [helped, , after] = await d.batch([
    insertWhere(
      d,
      bargainHelps,
      { bargainId: b.id, helperId: helper.id, campaignId: c.id, deviceHash: device, createdAt: now },
      and(
        exists(open),
        device === null ? undefined : notExists(helpBy(d, b.id, 'device', device)),
        lt(helpsSince(d, helper.id, c.id, dayStart(now)), cfg.maxHelpsPerMemberPerDay),
      )!,
    ).onConflictDoNothing(),
    // The count moves only if the help row above was written.
    d
      .update(bargains)
      .set({
        helpers: sql`${bargains.helpers} + 1`,
        status: sql`CASE WHEN ${bargains.helpers} + 1 >= ${ladderTop(cfg.rungs)} THEN 'done' ELSE ${bargains.status} END`,
      })
      .where(and(eq(bargains.id, b.id), sql`changes() = 1`)),
    d.select().from(bargains).where(eq(bargains.id, b.id)),
  ]);
  const fresh = after[0]!;
  if (helped.meta.changes !== 1) {
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
  const helped = await helpBy(db(env), b.id, 'helper', m.id).get();
  return bargainView(env, c, b, m.id, helped !== undefined, now);
}
