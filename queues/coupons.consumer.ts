import { and, eq, type SQL, sql } from 'drizzle-orm';
import { backoffSeconds } from '../domain/backoff';
import type { Audience } from '../domain/campaigns/audience';
import { splitBrandHoldout } from '../domain/experiments/assignment';
import { log } from '../domain/log';
import { prepared } from '../schema/d1/compiled';
import {
  campaignRuns,
  campaigns,
  campaignTargets,
  couponTemplates,
  memberConsents,
  memberCoupons,
  members,
  notifications,
} from '../schema/d1/tables';
import { audienceSql } from '../worker/campaigns/audience-sql';
import { type CouponValidity, heldRule, validityWindow } from '../worker/coupons/issue.service';
import { brandHoldoutPercentSql } from '../worker/experiments/brand-holdout.service';
import { db } from '../worker/lib/db';
import { batchIds } from '../worker/lib/ids';
import { enqueuePushes, IssueMessage } from './messages';

/** How an issuance is keyed: one coupon per campaign, member and period, whatever replays. */
export const campaignIssueKey = (campaignId: string, memberId: string, period: string) =>
  `campaign:${campaignId}:${memberId}:${period}`;

/**
 * Issues a campaign slice. One D1 transaction per message, a few set statements whatever
 * the slice's size: the coupon rows (only for members who still exist, are under the
 * template's limit and fit in its stock), the template's count, the target records and the
 * push rows — each counting only the coupons this attempt created, so a replayed or
 * re-driven message writes nothing new. Holdout members (the campaign's and the brand's
 * campaign holdout) are recorded, never issued. Pushes are queued after the transaction commits.
 */
export async function handleCouponsBatch(batch: MessageBatch<unknown>, env: Env, now = Date.now()): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = IssueMessage.safeParse(msg.body);
    if (!parsed.success) {
      log.error('bad coupons message', { id: msg.id });
      msg.ack();
      continue;
    }
    try {
      await issueSlice(env, parsed.data, now);
      msg.ack();
    } catch (e) {
      log.warn('coupon slice failed', { id: msg.id, error: e });
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts, { base: 5, cap: 300 }) });
    }
  }
}

type Push = { template: string; fields: Record<string, string>; page?: string };

/** One member of a slice, as the set statements read it from `json_each`: `[memberId, issueKey, couponId, notificationId]`. */
type SliceRow = [string, string, string, string];

export async function issueSlice(env: Env, m: IssueMessage, now: number) {
  const d = db(env);
  const [[template], [campaign]] = await d.batch([
    d
      .select({
        id: couponTemplates.id,
        name: couponTemplates.name,
        rule: couponTemplates.rule,
        validity: couponTemplates.validity,
      })
      .from(couponTemplates)
      .where(and(eq(couponTemplates.id, m.templateId), eq(couponTemplates.brandId, m.brandId))),
    d
      .select({
        push: campaigns.push,
        status: campaigns.status,
        endsAt: campaigns.endsAt,
        audience: campaigns.audience,
        brandHoldout: brandHoldoutPercentSql(m.brandId),
      })
      .from(campaigns)
      .where(eq(campaigns.id, m.campaignId)),
  ]);
  if (!template || !campaign) throw new Error(`campaign ${m.campaignId} or template ${m.templateId} is gone`);
  // Paused or ended after the run was queued: the rest of the run issues nothing.
  if (campaign.status !== 'active' || (campaign.endsAt !== null && campaign.endsAt <= now)) {
    return { issued: 0, refused: 0, rowsWritten: 0, skipped: true };
  }
  const push = campaign.push ? (JSON.parse(campaign.push) as Push) : null;
  // The brand's campaign holdout, as it is now (it may have been set after the run was queued):
  // those members are recorded with this campaign's holdout and given nothing.
  const brandHeld = splitBrandHoldout(m.brandId, m.memberIds, Number(campaign.brandHoldout ?? 0));
  const memberIds = brandHeld.rest;
  const holdout = brandHeld.held.length > 0 ? [...m.holdout, ...brandHeld.held] : m.holdout;
  const window = validityWindow(JSON.parse(template.validity) as CouponValidity, now);
  // The audience again, as the slice is issued: a profile or consent that changed since the run picked them counts.
  const audience = campaign.audience
    ? audienceSql(JSON.parse(campaign.audience) as Audience, sql.raw('mb.id'))
    : sql`1`;

  // The whole slice is one JSON parameter and a handful of set statements, whatever its size:
  // statements per member fall with the slice, and D1's 100-parameter limit never binds.
  // The slice drives every join (CROSS JOIN keeps it the outer loop in SQLite), so each member
  // costs index lookups, never a scan of the brand's members or coupons.
  // Coupon ids are fresh on every attempt, so "the coupons this attempt wrote" is exactly the
  // rows with these ids: a replay finds none of them and moves no count twice.
  // Batch ids, not random ones: the slice's coupons and pushes go into their tables' key
  // indexes side by side instead of on a page each (what the issuance bench spent most on).
  const couponIds = batchIds('cpn', memberIds.length, now);
  const pushIds = batchIds('ntf', memberIds.length, now);
  const rows: SliceRow[] = memberIds.map((memberId, i) => [
    memberId,
    campaignIssueKey(m.campaignId, memberId, m.period),
    couponIds[i]!,
    pushIds[i]!,
  ]);
  const slice = JSON.stringify(rows);
  const mine = sql`(SELECT json_extract(value, '$[2]') FROM json_each(${slice}))`;
  const stmts: SQL[] = [];
  if (rows.length > 0) {
    stmts.push(
      issueCoupons(m, template, window, now, slice, audience),
      sql`UPDATE ${couponTemplates} SET ${sql.identifier(couponTemplates.issued.name)} = ${couponTemplates.issued}
        + (SELECT count(*) FROM ${memberCoupons} WHERE ${memberCoupons.id} IN ${mine})
        WHERE ${couponTemplates.id} = ${template.id}`,
      targetRecords(m, slice, now),
    );
    if (push) stmts.push(pushRows(m, push, slice, now));
  }
  if (holdout.length > 0) stmts.push(holdoutRecords(m, JSON.stringify(holdout), now));
  if (stmts.length === 0) return { issued: 0, refused: 0, rowsWritten: 0 };
  // Every push of this slice still queued, not only the new ones: if a send failed after the
  // rows committed, the replay sends it (delivery is idempotent by the row's status). Read
  // last in the same batch, after the writes, so it costs no round trip of its own.
  const queuedRead = push && rows.length > 0;
  if (queuedRead) stmts.push(queuedPushes(slice));
  const results = await env.DB.batch(stmts.map((q) => prepared(env.DB, q)));
  const issued = rows.length > 0 ? (results[0]!.meta.changes ?? 0) : 0;
  const rowsWritten = results.reduce((s, r) => s + (r.meta.rows_written ?? r.meta.changes ?? 0), 0);
  if (queuedRead) {
    const queued = results.at(-1)!.results as { id: string }[];
    if (queued.length > 0)
      await enqueuePushes(
        env.NOTIFY_QUEUE,
        queued.map((n) => n.id),
      );
  }
  // The run's tally, for admins and the bench: issued now, D1 statements (the two reads, the
  // batch's, this update) and rows written.
  const statements = 2 + stmts.length + 1;
  const detail = campaignRuns.detail;
  const add = (path: string, n: number) => sql`${path}, coalesce(json_extract(${detail}, ${path}), 0) + ${n}`;
  await d
    .update(campaignRuns)
    .set({
      detail: sql`json_set(${detail}, ${add('$.issued', issued)}, ${add('$.slices', 1)},
        ${add('$.rowsWritten', rowsWritten)}, ${add('$.statements', statements)}, '$.finishedAt', ${now})`,
    })
    .where(eq(campaignRuns.id, m.runId))
    .run();
  return { issued, refused: memberIds.length - issued, rowsWritten };
}

/**
 * The slice's coupons in one statement: a row for each member who still exists in the brand,
 * is in the campaign's audience, has no coupon under this key yet and is under the template's per-member limit, in the
 * slice's order and never more than the template's stock left. D1 runs one writer at a
 * time, so the stock read in LIMIT is the stock at this transaction: two slices racing for
 * the last coupons cannot both take them.
 */
function issueCoupons(
  m: IssueMessage,
  template: { id: string; name: string; rule: string },
  window: { from: number; to: number },
  now: number,
  slice: string,
  audience: SQL,
) {
  const t = couponTemplates;
  const mc = memberCoupons;
  const stockLeft = sql`(SELECT CASE WHEN ${t.totalStock} IS NULL THEN -1 ELSE max(${t.totalStock} - ${t.issued}, 0) END
    FROM ${t} WHERE ${t.id} = ${template.id} AND ${t.active} = 1)`;
  return sql`INSERT INTO ${mc} (${sql.identifier(mc.id.name)}, ${sql.identifier(mc.brandId.name)},
      ${sql.identifier(mc.memberId.name)}, ${sql.identifier(mc.templateId.name)}, ${sql.identifier(mc.rule.name)},
      ${sql.identifier(mc.validFrom.name)}, ${sql.identifier(mc.validTo.name)}, ${sql.identifier(mc.status.name)},
      ${sql.identifier(mc.issuedAt.name)}, ${sql.identifier(mc.issueKey.name)}, ${sql.identifier(mc.source.name)})
    SELECT json_extract(j.value, '$[2]'), ${m.brandId}, mb.id, ${template.id}, ${heldRule(template)},
      ${window.from}, ${window.to}, 'available', ${now}, json_extract(j.value, '$[1]'), ${`campaign:${m.campaignId}`}
    FROM json_each(${slice}) AS j
    CROSS JOIN ${members} AS mb ON mb.id = json_extract(j.value, '$[0]') AND mb.brand_id = ${m.brandId} AND mb.deleted_at IS NULL
    CROSS JOIN ${t} ON ${t.id} = ${template.id}
    WHERE NOT EXISTS (SELECT 1 FROM ${mc} AS x WHERE x.issue_key = json_extract(j.value, '$[1]'))
      AND ${audience}
      AND (${t.perMemberLimit} IS NULL OR
        (SELECT count(*) FROM ${mc} AS h WHERE h.template_id = ${t.id} AND h.member_id = mb.id) < ${t.perMemberLimit})
    ORDER BY j.key
    LIMIT coalesce(${stockLeft}, 0)
    ON CONFLICT (${sql.identifier(mc.issueKey.name)}) DO NOTHING`;
}

const TARGET_COLUMNS = sql.raw('(campaign_id, member_id, period, grp, status, coupon_id, reason, created_at)');

/** Each member's target record: issued with the coupon under their key (this attempt's or an earlier one), else refused. */
function targetRecords(m: IssueMessage, slice: string, now: number) {
  const mc = memberCoupons;
  return sql`INSERT INTO ${campaignTargets} ${TARGET_COLUMNS}
    SELECT ${m.campaignId}, json_extract(j.value, '$[0]'), ${m.period}, 'target',
      CASE WHEN c.id IS NULL THEN 'refused' ELSE 'issued' END, c.id,
      CASE WHEN c.id IS NULL THEN 'no stock, over the member limit, outside the audience, or no such member' END, ${now}
    FROM json_each(${slice}) AS j LEFT JOIN ${mc} AS c ON c.issue_key = json_extract(j.value, '$[1]')
    WHERE true
    ON CONFLICT DO NOTHING`;
}

/**
 * The push rows, one for each coupon this attempt wrote. A member whose latest word on
 * marketing pushes is not a yes is recorded as suppressed here, as the sender would: no queue
 * message for a push that cannot go (the sender still checks consent again, with the
 * daily cap and quiet hours, for the ones that are queued).
 */
function pushRows(m: IssueMessage, push: Push, slice: string, now: number) {
  const data = JSON.stringify({ fields: push.fields, page: push.page ?? null });
  const mc = memberConsents;
  const consented = sql`coalesce((SELECT ${mc.granted} FROM ${mc} WHERE ${mc.memberId} = c.member_id
    AND ${mc.kind} = 'marketing_push' ORDER BY ${mc.createdAt} DESC, ${mc}.rowid DESC LIMIT 1), 0) = 1`;
  return sql`INSERT INTO ${notifications} (id, brand_id, member_id, store_id, category, template, data, key,
      campaign_id, status, result, attempts, created_at, sent_at)
    SELECT json_extract(j.value, '$[3]'), ${m.brandId}, c.member_id, NULL, 'marketing', ${push.template}, ${data},
      c.issue_key, ${m.campaignId}, CASE WHEN ${consented} THEN 'queued' ELSE 'suppressed' END,
      CASE WHEN ${consented} THEN NULL ELSE 'no_consent' END, 0, ${now}, NULL
    FROM json_each(${slice}) AS j CROSS JOIN ${memberCoupons} AS c ON c.id = json_extract(j.value, '$[2]')
    WHERE true
    ON CONFLICT (key) DO NOTHING`;
}

/** The ids of the slice's pushes still queued to send. */
function queuedPushes(slice: string) {
  const n = notifications;
  // One JSON parameter, not 500: D1 binds at most 100.
  return sql`SELECT ${n.id} AS id FROM ${n} WHERE ${n.status} = 'queued'
    AND ${n.key} IN (SELECT json_extract(value, '$[1]') FROM json_each(${slice}))`;
}

/** The held-out members' records: counted for the campaign's lift, given nothing. */
function holdoutRecords(m: IssueMessage, holdout: string, now: number) {
  return sql`INSERT INTO ${campaignTargets} ${TARGET_COLUMNS}
    SELECT ${m.campaignId}, value, ${m.period}, 'holdout', 'held_out', NULL, NULL, ${now}
    FROM json_each(${holdout})
    WHERE true
    ON CONFLICT DO NOTHING`;
}
