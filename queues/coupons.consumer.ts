import { and, eq, inArray, sql } from 'drizzle-orm';
import { backoffSeconds } from '../domain/backoff';
import { log } from '../domain/log';
import { compile, slot } from '../schema/d1/compiled';
import {
  campaignRuns,
  campaigns,
  campaignTargets,
  couponTemplates,
  memberCoupons,
  notifications,
} from '../schema/d1/tables';
import { type CouponValidity, couponIssueStatements, validityWindow } from '../worker/coupons/issue.service';
import { type Db, db } from '../worker/lib/db';
import { newId } from '../worker/lib/ids';
import { valueAs } from '../worker/lib/insert-select';
import { enqueuePushes, IssueMessage } from './messages';

/** How an issuance is keyed: one coupon per campaign, member and period, whatever replays. */
export const campaignIssueKey = (campaignId: string, memberId: string, period: string) =>
  `campaign:${campaignId}:${memberId}:${period}`;

/**
 * Issues a campaign slice. One D1 transaction per message: for each member a coupon row
 * (only if the template has stock, the member is under its limit and still exists), the
 * template's count, the target record, and the push row — each conditional on the coupon
 * this message created, so a replayed or re-driven message writes nothing new. Holdout
 * members are recorded, never issued. Pushes are queued after the transaction commits.
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

/** What varies from one member of a slice to the next. */
interface MemberSlots extends Record<string, string> {
  memberId: string;
  issueKey: string;
  couponId: string;
  notificationId: string;
}
type Push = { template: string; fields: Record<string, string>; page?: string };

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
      .select({ push: campaigns.push, status: campaigns.status, endsAt: campaigns.endsAt })
      .from(campaigns)
      .where(eq(campaigns.id, m.campaignId)),
  ]);
  if (!template || !campaign) throw new Error(`campaign ${m.campaignId} or template ${m.templateId} is gone`);
  // Paused or ended after the run was queued: the rest of the run issues nothing.
  if (campaign.status !== 'active' || (campaign.endsAt !== null && campaign.endsAt <= now)) {
    return { issued: 0, refused: 0, rowsWritten: 0, skipped: true };
  }
  const push = campaign.push ? (JSON.parse(campaign.push) as Push) : null;
  const window = validityWindow(JSON.parse(template.validity) as CouponValidity, now);
  const source = `campaign:${m.campaignId}`;

  // Every member's statements have the same shape: built once per slice, bound per member.
  const issue = couponIssueStatements(d, {
    couponId: slot('couponId'),
    brandId: m.brandId,
    memberId: slot('memberId'),
    template,
    window,
    now,
    issueKey: slot('issueKey'),
    source,
  }).map((q) => compile<MemberSlots>(env.DB, q));
  const target = compile<MemberSlots>(env.DB, targetRecord(d, m, slot('memberId'), slot('issueKey'), now));
  const pushed = push && compile<MemberSlots>(env.DB, pushRow(d, m, push, now));
  const holdout = compile<MemberSlots>(env.DB, holdoutRecord(d, m, now));

  const stmts: D1PreparedStatement[] = [];
  const planned: { memberId: string; couponId: string; couponStmt: number }[] = [];
  for (const memberId of m.memberIds) {
    const slots: MemberSlots = {
      memberId,
      issueKey: campaignIssueKey(m.campaignId, memberId, m.period),
      couponId: newId('cpn'),
      notificationId: newId('ntf'),
    };
    planned.push({ memberId, couponId: slots.couponId, couponStmt: stmts.length });
    for (const bind of issue) stmts.push(bind(slots));
    stmts.push(target(slots));
    if (pushed) stmts.push(pushed(slots));
  }
  for (const memberId of m.holdout) stmts.push(holdout({ memberId, issueKey: '', couponId: '', notificationId: '' }));
  if (stmts.length === 0) return { issued: 0, refused: 0, rowsWritten: 0 };
  const results = await env.DB.batch(stmts);
  const issued = planned.filter((p) => results[p.couponStmt]!.meta.changes === 1);
  const rowsWritten = results.reduce((s, r) => s + (r.meta.rows_written ?? r.meta.changes ?? 0), 0);
  if (push && m.memberIds.length > 0) {
    // Every push of this slice still queued, not only the new ones: if a send failed after
    // the rows committed, the replay sends it. Delivery is idempotent by the row's status.
    const keys = m.memberIds.map((id) => campaignIssueKey(m.campaignId, id, m.period));
    const queued = await d
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.status, 'queued'), inArray(notifications.key, keys)));
    if (queued.length > 0)
      await enqueuePushes(
        env.NOTIFY_QUEUE,
        queued.map((n) => n.id),
      );
  }
  // The run's tally, for admins and the bench: issued now, and D1 rows written.
  const detail = campaignRuns.detail;
  const add = (path: string, n: number) => sql`${path}, coalesce(json_extract(${detail}, ${path}), 0) + ${n}`;
  await d
    .update(campaignRuns)
    .set({
      detail: sql`json_set(${detail}, ${add('$.issued', issued.length)}, ${add('$.slices', 1)},
        ${add('$.rowsWritten', rowsWritten)}, ${add('$.statements', stmts.length)}, '$.finishedAt', ${now})`,
    })
    .where(eq(campaignRuns.id, m.runId))
    .run();
  return { issued: issued.length, refused: m.memberIds.length - issued.length, rowsWritten };
}

/** The member's target record: issued with the coupon this key created, else refused. */
function targetRecord(d: Db, m: IssueMessage, memberId: string, key: string, now: number) {
  const ct = campaignTargets;
  const issued = sql`${memberCoupons.id} IS NULL`;
  return d
    .insert(ct)
    .select(
      sql`SELECT ${m.campaignId}, ${memberId}, ${m.period}, 'target',
        CASE WHEN ${issued} THEN 'refused' ELSE 'issued' END, ${memberCoupons.id},
        CASE WHEN ${issued} THEN 'no stock, over the member limit, or no such member' END, ${now}
      FROM (SELECT 1) LEFT JOIN ${memberCoupons} ON ${memberCoupons.issueKey} = ${key}`,
    )
    .onConflictDoNothing();
}

/** The member's push row, written only if this slice's coupon for them now exists. */
function pushRow(d: Db, m: IssueMessage, push: Push, now: number) {
  const n = notifications;
  return d
    .insert(n)
    .select((qb) =>
      qb
        .select({
          id: valueAs(slot('notificationId'), n.id),
          brandId: valueAs(m.brandId, n.brandId),
          memberId: valueAs(slot('memberId'), n.memberId),
          storeId: valueAs(null, n.storeId),
          category: valueAs('marketing', n.category),
          template: valueAs(push.template, n.template),
          data: valueAs(JSON.stringify({ fields: push.fields, page: push.page ?? null }), n.data),
          key: valueAs(slot('issueKey'), n.key),
          campaignId: valueAs(m.campaignId, n.campaignId),
          status: valueAs('queued', n.status),
          result: valueAs(null, n.result),
          attempts: valueAs(0, n.attempts),
          createdAt: valueAs(now, n.createdAt),
          sentAt: valueAs(null, n.sentAt),
        })
        .from(memberCoupons)
        .where(eq(memberCoupons.id, slot('couponId'))),
    )
    .onConflictDoNothing({ target: n.key });
}

/** A held-out member's record: counted for the campaign's lift, given nothing. */
function holdoutRecord(d: Db, m: IssueMessage, now: number) {
  return d
    .insert(campaignTargets)
    .values({
      campaignId: m.campaignId,
      memberId: slot('memberId'),
      period: m.period,
      grp: 'holdout',
      status: 'held_out',
      couponId: null,
      reason: null,
      createdAt: now,
    })
    .onConflictDoNothing();
}
