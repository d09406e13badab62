import { and, count, eq, exists, isNull, lt, type SQL, sql } from 'drizzle-orm';
import type { HeldCoupon } from '../../domain/pricing';
import { DAY } from '../../domain/time';
import { campaignTargets, couponTemplates, issueCaps, memberCoupons, members } from '../../schema/d1/tables';
import type { Env } from '../env';
import { type Db, db } from '../lib/db';
import { newId } from '../lib/ids';
import { valueAs } from '../lib/insert-select';

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

export type TemplateRow = typeof couponTemplates.$inferSelect;

export function validityWindow(v: CouponValidity, now: number): { from: number; to: number } {
  return 'days' in v ? { from: now, to: now + v.days * DAY } : v;
}

/** The coupon a member holds, as the pricing engine reads it. */
export function heldRule(t: Pick<TemplateRow, 'id' | 'name' | 'rule'>): string {
  const rule = JSON.parse(t.rule) as Omit<HeldCoupon, 'id' | 'templateId' | 'name'>;
  return JSON.stringify({ ...rule, templateId: t.id, name: t.name });
}

/** A guard for statements that follow an issuance in its batch: the coupon row now exists. */
const couponExists = (d: Db, couponId: string) =>
  exists(d.select({ one: sql`1` }).from(memberCoupons).where(eq(memberCoupons.id, couponId)));

/**
 * The statements that issue one coupon, for a D1 batch: the coupon row, written only while
 * the template is active with stock, the member (still a member of the brand) is under the
 * template's limit and any cap has room, with `issueKey` unique; then the template's count
 * and the cap's, moved only if that row now exists.
 */
export function couponIssueStatements(
  d: Db,
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
    /** A further condition of the caller's batch (a wheel spin's points swap landed). */
    guard?: SQL;
  },
) {
  const t = couponTemplates;
  const m = memberCoupons;
  const held = d
    .select({ n: count() })
    .from(memberCoupons)
    .where(and(eq(memberCoupons.templateId, t.id), eq(memberCoupons.memberId, c.memberId)));
  const member = d
    .select({ one: sql`1` })
    .from(members)
    .where(and(eq(members.id, c.memberId), eq(members.brandId, c.brandId), isNull(members.deletedAt)));
  const capIssued = c.cap && d.select({ issued: issueCaps.issued }).from(issueCaps).where(eq(issueCaps.key, c.cap.key));
  const insert = d
    .insert(memberCoupons)
    .select((qb) =>
      qb
        .select({
          id: valueAs(c.couponId, m.id),
          brandId: valueAs(c.brandId, m.brandId),
          memberId: valueAs(c.memberId, m.memberId),
          templateId: t.id,
          rule: valueAs(heldRule(c.template), m.rule),
          validFrom: valueAs(c.window.from, m.validFrom),
          validTo: valueAs(c.window.to, m.validTo),
          status: valueAs('available', m.status),
          orderId: valueAs(null, m.orderId),
          issuedAt: valueAs(c.now, m.issuedAt),
          usedAt: valueAs(null, m.usedAt),
          issueKey: valueAs(c.issueKey, m.issueKey),
          source: valueAs(c.source, m.source),
        })
        .from(t)
        .where(
          and(
            eq(t.id, c.template.id),
            eq(t.active, true),
            sql`(${t.totalStock} IS NULL OR ${t.issued} < ${t.totalStock})`,
            sql`(${t.perMemberLimit} IS NULL OR (${held}) < ${t.perMemberLimit})`,
            exists(member),
            capIssued && c.cap ? lt(sql`(${capIssued})`, c.cap.limit) : undefined,
            c.guard,
          ),
        ),
    )
    .onConflictDoNothing({ target: memberCoupons.issueKey });
  const countTemplate = d
    .update(t)
    .set({ issued: sql`${t.issued} + 1` })
    .where(and(eq(t.id, c.template.id), couponExists(d, c.couponId)));
  if (!c.cap) return [insert, countTemplate] as const;
  const countCap = d
    .update(issueCaps)
    .set({ issued: sql`${issueCaps.issued} + 1` })
    .where(and(eq(issueCaps.key, c.cap.key), couponExists(d, c.couponId)));
  return [insert, countTemplate, countCap] as const;
}

type BatchItem = Parameters<Db['batch']>[0][number];

/**
 * Issues one coupon from a template, in one D1 transaction: the coupon row is written only
 * while the template has stock, the member is under its limit and any cap has room, and
 * the counts (and the campaign target record) move only if that row now exists. The issue key is unique, so concurrent or
 * replayed issuances of the same key give one coupon, and stock is never passed.
 */
export async function issueCoupon(env: Env, req: IssueRequest, now = Date.now()): Promise<IssueResult> {
  const d = db(env);
  const t = await d
    .select()
    .from(couponTemplates)
    .where(and(eq(couponTemplates.id, req.templateId), eq(couponTemplates.brandId, req.brandId)))
    .get();
  if (!t) return { issued: false, reason: 'not_found' };
  const window = validityWindow(JSON.parse(t.validity) as CouponValidity, now);
  const couponId = newId('cpn');
  const stmts: BatchItem[] = [];
  if (req.cap) stmts.push(d.insert(issueCaps).values({ key: req.cap.key, issued: 0 }).onConflictDoNothing());
  const insertAt = stmts.length;
  stmts.push(
    ...couponIssueStatements(d, {
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
    const { campaignId, period } = req.target;
    const ct = campaignTargets;
    stmts.push(
      d
        .insert(campaignTargets)
        .select((qb) =>
          qb
            .select({
              campaignId: valueAs(campaignId, ct.campaignId),
              memberId: valueAs(req.memberId, ct.memberId),
              period: valueAs(period, ct.period),
              grp: valueAs('target', ct.grp),
              status: valueAs('issued', ct.status),
              couponId: memberCoupons.id,
              reason: valueAs(null, ct.reason),
              createdAt: valueAs(now, ct.createdAt),
            })
            .from(memberCoupons)
            .where(eq(memberCoupons.id, couponId)),
        )
        .onConflictDoNothing(),
    );
  }
  const results = (await d.batch(stmts as [BatchItem, ...BatchItem[]])) as D1Result[];
  if (results[insertAt]!.meta.changes === 1) return { issued: true, couponId };
  return { issued: false, ...(await whyNot(d, req, t.id)) };
}

async function whyNot(
  d: Db,
  req: IssueRequest,
  templateId: string,
): Promise<{ reason: IssueRefusal; couponId?: string }> {
  const [dup, t, mine] = await d.batch([
    d.select({ id: memberCoupons.id }).from(memberCoupons).where(eq(memberCoupons.issueKey, req.issueKey)),
    d
      .select({
        active: couponTemplates.active,
        totalStock: couponTemplates.totalStock,
        issued: couponTemplates.issued,
        perMemberLimit: couponTemplates.perMemberLimit,
      })
      .from(couponTemplates)
      .where(eq(couponTemplates.id, templateId)),
    d
      .select({ n: count() })
      .from(memberCoupons)
      .where(and(eq(memberCoupons.templateId, templateId), eq(memberCoupons.memberId, req.memberId))),
  ]);
  const dupe = dup[0];
  if (dupe) return { reason: 'duplicate', couponId: dupe.id };
  if (req.cap) {
    const c = await d.select({ issued: issueCaps.issued }).from(issueCaps).where(eq(issueCaps.key, req.cap.key)).get();
    if ((c?.issued ?? 0) >= req.cap.limit) return { reason: 'cap_reached' };
  }
  const member = await d
    .select({ one: sql`1` })
    .from(members)
    .where(and(eq(members.id, req.memberId), eq(members.brandId, req.brandId), isNull(members.deletedAt)))
    .get();
  if (!member) return { reason: 'no_member' };
  const row = t[0]!;
  if (!row.active) return { reason: 'inactive' };
  if (row.totalStock !== null && row.issued >= row.totalStock) return { reason: 'out_of_stock' };
  const n = mine[0]!.n;
  if (row.perMemberLimit !== null && n >= row.perMemberLimit) return { reason: 'member_limit' };
  return { reason: 'out_of_stock' };
}
