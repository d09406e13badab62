import type { HeldCoupon } from '../../domain/pricing';
import { DAY } from '../../domain/time';
import type { Env } from '../env';
import { newId } from '../lib/ids';

export type CouponValidity = { days: number } | { from: number; to: number };

export interface IssueRequest {
  brandId: string;
  memberId: string;
  templateId: string;
  /** Unique per issuance (template or campaign, member, period): a replay issues nothing. */
  issueKey: string;
  /** `gift_pack`, `birthday`, `referral`, `points`, `campaign:<id>`, `admin`. */
  source: string;
  /** A counter beyond the template's stock (a daily drop): issued only while under `limit`. */
  cap?: { key: string; limit: number };
  /** Record the issuance as a campaign target (for metrics), in the same transaction. */
  target?: { campaignId: string; period: string };
}

export type IssueRefusal =
  | 'duplicate'
  | 'out_of_stock'
  | 'member_limit'
  | 'inactive'
  | 'not_found'
  | 'cap_reached'
  | 'no_member';
export type IssueResult =
  | { issued: true; couponId: string }
  | { issued: false; reason: IssueRefusal; couponId?: string };

export interface TemplateRow {
  id: string;
  name: string;
  rule: string;
  validity: string;
  active: number;
  total_stock: number | null;
  issued: number;
  per_member_limit: number | null;
}

export function validityWindow(v: CouponValidity, now: number): { from: number; to: number } {
  return 'days' in v ? { from: now, to: now + v.days * DAY } : v;
}

/** The coupon a member holds, as the pricing engine reads it. */
export function heldRule(t: Pick<TemplateRow, 'id' | 'name' | 'rule'>): string {
  const rule = JSON.parse(t.rule) as Omit<HeldCoupon, 'id' | 'templateId' | 'name'>;
  return JSON.stringify({ ...rule, templateId: t.id, name: t.name });
}

/**
 * The statements that issue one coupon, for a D1 batch: the coupon row, written only while
 * the template is active with stock, the member (still a member of the brand) is under the
 * template's limit and any cap has room, with `issueKey` unique; then the template's count
 * and the cap's, moved only if that row now exists.
 */
export function couponIssueStatements(
  env: Env,
  c: {
    couponId: string;
    brandId: string;
    memberId: string;
    template: Pick<TemplateRow, 'id' | 'name' | 'rule'>;
    window: { from: number; to: number };
    now: number;
    issueKey: string;
    source: string;
    cap?: { key: string; limit: number };
  },
): D1PreparedStatement[] {
  const stmts = [
    env.DB.prepare(
      `INSERT INTO member_coupons (id, brand_id, member_id, template_id, rule, valid_from, valid_to, status, issued_at, issue_key, source)
       SELECT ?, ?, ?, t.id, ?, ?, ?, 'available', ?, ?, ? FROM coupon_templates t
       WHERE t.id = ? AND t.active = 1 AND (t.total_stock IS NULL OR t.issued < t.total_stock)
         AND (t.per_member_limit IS NULL OR
              (SELECT COUNT(*) FROM member_coupons x WHERE x.template_id = t.id AND x.member_id = ?) < t.per_member_limit)
         AND EXISTS (SELECT 1 FROM members WHERE id = ? AND brand_id = ? AND deleted_at IS NULL)
         AND (? IS NULL OR (SELECT issued FROM issue_caps WHERE key = ?) < ?)
       ON CONFLICT(issue_key) DO NOTHING`,
    ).bind(
      c.couponId,
      c.brandId,
      c.memberId,
      heldRule(c.template),
      c.window.from,
      c.window.to,
      c.now,
      c.issueKey,
      c.source,
      c.template.id,
      c.memberId,
      c.memberId,
      c.brandId,
      c.cap?.key ?? null,
      c.cap?.key ?? null,
      c.cap?.limit ?? 0,
    ),
    env.DB.prepare(
      'UPDATE coupon_templates SET issued = issued + 1 WHERE id = ? AND EXISTS (SELECT 1 FROM member_coupons WHERE id = ?)',
    ).bind(c.template.id, c.couponId),
  ];
  if (c.cap) {
    stmts.push(
      env.DB.prepare(
        'UPDATE issue_caps SET issued = issued + 1 WHERE key = ? AND EXISTS (SELECT 1 FROM member_coupons WHERE id = ?)',
      ).bind(c.cap.key, c.couponId),
    );
  }
  return stmts;
}

/**
 * Issues one coupon from a template, in one D1 transaction: the coupon row is written only
 * while the template has stock, the member is under its limit and any cap has room, and
 * the counts (and the campaign target record) move only if that row now exists. The issue key is unique, so concurrent or
 * replayed issuances of the same key give one coupon, and stock is never passed.
 */
export async function issueCoupon(env: Env, req: IssueRequest, now = Date.now()): Promise<IssueResult> {
  const t = await env.DB.prepare(
    `SELECT id, name, rule, validity, active, total_stock, issued, per_member_limit FROM coupon_templates
     WHERE id = ? AND brand_id = ?`,
  )
    .bind(req.templateId, req.brandId)
    .first<TemplateRow>();
  if (!t) return { issued: false, reason: 'not_found' };
  const window = validityWindow(JSON.parse(t.validity) as CouponValidity, now);
  const couponId = newId('cpn');
  const stmts: D1PreparedStatement[] = [];
  if (req.cap) {
    stmts.push(
      env.DB.prepare('INSERT INTO issue_caps (key, issued) VALUES (?, 0) ON CONFLICT DO NOTHING').bind(req.cap.key),
    );
  }
  const insertAt = stmts.length;
  stmts.push(
    ...couponIssueStatements(env, {
      couponId,
      brandId: req.brandId,
      memberId: req.memberId,
      template: t,
      window,
      now,
      issueKey: req.issueKey,
      source: req.source,
      cap: req.cap,
    }),
  );
  if (req.target) {
    stmts.push(
      env.DB.prepare(
        `INSERT INTO campaign_targets (campaign_id, member_id, period, grp, status, coupon_id, reason, created_at)
         SELECT ?, ?, ?, 'target', 'issued', ?, NULL, ? WHERE EXISTS (SELECT 1 FROM member_coupons WHERE id = ?)
         ON CONFLICT DO NOTHING`,
      ).bind(req.target.campaignId, req.memberId, req.target.period, couponId, now, couponId),
    );
  }
  const results = await env.DB.batch(stmts);
  if (results[insertAt]!.meta.changes === 1) return { issued: true, couponId };
  return { issued: false, ...(await whyNot(env, req, t.id)) };
}

async function whyNot(
  env: Env,
  req: IssueRequest,
  templateId: string,
): Promise<{ reason: IssueRefusal; couponId?: string }> {
  const [dup, t, mine] = await env.DB.batch([
    env.DB.prepare('SELECT id FROM member_coupons WHERE issue_key = ?').bind(req.issueKey),
    env.DB.prepare('SELECT active, total_stock, issued, per_member_limit FROM coupon_templates WHERE id = ?').bind(
      templateId,
    ),
    env.DB.prepare('SELECT COUNT(*) AS n FROM member_coupons WHERE template_id = ? AND member_id = ?').bind(
      templateId,
      req.memberId,
    ),
  ]);
  const d = dup!.results[0] as { id: string } | undefined;
  if (d) return { reason: 'duplicate', couponId: d.id };
  if (req.cap) {
    const c = await env.DB.prepare('SELECT issued FROM issue_caps WHERE key = ?')
      .bind(req.cap.key)
      .first<{ issued: number }>();
    if ((c?.issued ?? 0) >= req.cap.limit) return { reason: 'cap_reached' };
  }
  const member = await env.DB.prepare('SELECT 1 FROM members WHERE id = ? AND brand_id = ? AND deleted_at IS NULL')
    .bind(req.memberId, req.brandId)
    .first();
  if (!member) return { reason: 'no_member' };
  const row = t!.results[0] as Pick<TemplateRow, 'active' | 'total_stock' | 'issued' | 'per_member_limit'>;
  if (!row.active) return { reason: 'inactive' };
  if (row.total_stock !== null && row.issued >= row.total_stock) return { reason: 'out_of_stock' };
  const n = (mine!.results[0] as { n: number }).n;
  if (row.per_member_limit !== null && n >= row.per_member_limit) return { reason: 'member_limit' };
  return { reason: 'out_of_stock' };
}
