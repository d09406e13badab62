import { z } from 'zod';
import { backoffSeconds } from '../domain/backoff';
import { log } from '../domain/log';
import {
  type CouponValidity,
  couponIssueStatements,
  type TemplateRow,
  validityWindow,
} from '../worker/coupons/issue.service';
import type { Env } from '../worker/env';
import { newId } from '../worker/lib/ids';
import type { NotifyMessage } from '../worker/notify/pushes.service';

const IssueMessage = z.object({
  runId: z.string(),
  campaignId: z.string(),
  brandId: z.string(),
  period: z.string(),
  templateId: z.string(),
  memberIds: z.array(z.string()).max(100),
  holdout: z.array(z.string()).max(100),
});
type IssueMessage = z.infer<typeof IssueMessage>;

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

export async function issueSlice(env: Env, m: IssueMessage, now: number) {
  const [t, c] = await env.DB.batch([
    env.DB.prepare('SELECT id, name, rule, validity FROM coupon_templates WHERE id = ? AND brand_id = ?').bind(
      m.templateId,
      m.brandId,
    ),
    env.DB.prepare('SELECT push, status, ends_at FROM campaigns WHERE id = ?').bind(m.campaignId),
  ]);
  const template = t!.results[0] as Pick<TemplateRow, 'id' | 'name' | 'rule' | 'validity'> | undefined;
  const campaign = c!.results[0] as { push: string | null; status: string; ends_at: number | null } | undefined;
  if (!template || !campaign) throw new Error(`campaign ${m.campaignId} or template ${m.templateId} is gone`);
  // Paused or ended after the run was queued: the rest of the run issues nothing.
  if (campaign.status !== 'active' || (campaign.ends_at !== null && campaign.ends_at <= now)) {
    return { issued: 0, refused: 0, rowsWritten: 0, skipped: true };
  }
  const push = campaign.push
    ? (JSON.parse(campaign.push) as { template: string; fields: Record<string, string>; page?: string })
    : null;
  const window = validityWindow(JSON.parse(template.validity) as CouponValidity, now);
  const source = `campaign:${m.campaignId}`;

  const stmts: D1PreparedStatement[] = [];
  const planned: { memberId: string; couponId: string; notificationId: string; couponStmt: number }[] = [];
  for (const memberId of m.memberIds) {
    const key = campaignIssueKey(m.campaignId, memberId, m.period);
    const couponId = newId('cpn');
    const notificationId = newId('ntf');
    planned.push({ memberId, couponId, notificationId, couponStmt: stmts.length });
    stmts.push(
      ...couponIssueStatements(env, {
        couponId,
        brandId: m.brandId,
        memberId,
        template,
        window,
        now,
        issueKey: key,
        source,
      }),
      env.DB.prepare(
        `INSERT INTO campaign_targets (campaign_id, member_id, period, grp, status, coupon_id, reason, created_at)
         SELECT ?, ?, ?, 'target', CASE WHEN c.id IS NULL THEN 'refused' ELSE 'issued' END, c.id,
           CASE WHEN c.id IS NULL THEN 'no stock, over the member limit, or no such member' END, ?
         FROM (SELECT 1) LEFT JOIN member_coupons c ON c.issue_key = ?
         ON CONFLICT DO NOTHING`,
      ).bind(m.campaignId, memberId, m.period, now, key),
    );
    if (push) {
      stmts.push(
        env.DB.prepare(
          `INSERT INTO notifications (id, brand_id, member_id, store_id, category, template, data, key, campaign_id, status, attempts, created_at)
           SELECT ?, ?, ?, NULL, 'marketing', ?, ?, ?, ?, 'queued', 0, ? WHERE EXISTS (SELECT 1 FROM member_coupons WHERE id = ?)
           ON CONFLICT(key) DO NOTHING`,
        ).bind(
          notificationId,
          m.brandId,
          memberId,
          push.template,
          JSON.stringify({ fields: push.fields, page: push.page ?? null }),
          key,
          m.campaignId,
          now,
          couponId,
        ),
      );
    }
  }
  for (const memberId of m.holdout) {
    stmts.push(
      env.DB.prepare(
        `INSERT INTO campaign_targets (campaign_id, member_id, period, grp, status, coupon_id, reason, created_at)
         VALUES (?, ?, ?, 'holdout', 'held_out', NULL, NULL, ?) ON CONFLICT DO NOTHING`,
      ).bind(m.campaignId, memberId, m.period, now),
    );
  }
  if (stmts.length === 0) return { issued: 0, refused: 0, rowsWritten: 0 };
  const results = await env.DB.batch(stmts);
  const issued = planned.filter((p) => results[p.couponStmt]!.meta.changes === 1);
  const rowsWritten = results.reduce((s, r) => s + (r.meta.rows_written ?? r.meta.changes ?? 0), 0);
  if (push && m.memberIds.length > 0) {
    // Every push of this slice still queued, not only the new ones: if a send failed after
    // the rows committed, the replay sends it. Delivery is idempotent by the row's status.
    const keys = m.memberIds.map((id) => campaignIssueKey(m.campaignId, id, m.period));
    const { results: queued } = await env.DB.prepare(
      `SELECT id FROM notifications WHERE status = 'queued' AND key IN (${keys.map(() => '?').join(',')})`,
    )
      .bind(...keys)
      .all<{ id: string }>();
    if (queued.length > 0) {
      await env.NOTIFY_QUEUE.sendBatch(
        queued.map((n) => ({ body: { notificationId: n.id } satisfies NotifyMessage, contentType: 'json' as const })),
      );
    }
  }
  // The run's tally, for admins and the bench: issued now, and D1 rows written.
  await env.DB.prepare(
    `UPDATE campaign_runs SET detail = json_set(detail,
       '$.issued', coalesce(json_extract(detail, '$.issued'), 0) + ?,
       '$.slices', coalesce(json_extract(detail, '$.slices'), 0) + 1,
       '$.rowsWritten', coalesce(json_extract(detail, '$.rowsWritten'), 0) + ?,
       '$.statements', coalesce(json_extract(detail, '$.statements'), 0) + ?,
       '$.finishedAt', ?) WHERE id = ?`,
  )
    .bind(issued.length, rowsWritten, stmts.length, now, m.runId)
    .run();
  return { issued: issued.length, refused: m.memberIds.length - issued.length, rowsWritten };
}
