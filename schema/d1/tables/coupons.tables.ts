import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';
import { brands } from './stores.tables';

/**
 * Coupons a member holds. `status` moves available → locked (by an unpaid order) →
 * used, or back to available when the order is cancelled or expires; every move is one
 * conditional UPDATE so two orders can never spend the same coupon.
 */
export const memberCoupons = sqliteTable(
  'member_coupons',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    memberId: text('member_id').notNull(),
    templateId: text('template_id').notNull(),
    /** JSON `HeldCoupon` from domain/pricing (kind, amounts, scope, validity). */
    rule: text('rule').notNull(),
    validFrom: integer('valid_from').notNull(),
    validTo: integer('valid_to').notNull(),
    /** `revoked`: taken back unused (a referral milestone whose referred order was refunded). */
    status: text('status', { enum: ['available', 'locked', 'used', 'expired', 'revoked'] })
      .notNull()
      .default('available'),
    orderId: text('order_id'),
    issuedAt: integer('issued_at').notNull(),
    usedAt: integer('used_at'),
    /** Unique per issuance (template or campaign, member, period): a replay issues nothing. */
    issueKey: text('issue_key'),
    /** What issued it: `gift_pack`, `birthday`, `referral`, `points`, `campaign:…`, `admin`. */
    source: text('source'),
  },
  (t) => [
    index('member_coupons_member').on(t.memberId, t.status),
    index('member_coupons_order').on(t.orderId),
    uniqueIndex('member_coupons_issue_key').on(t.issueKey),
    index('member_coupons_template').on(t.templateId, t.memberId),
    // Brand-day KPIs count coupons issued and used in one day.
    index('member_coupons_brand_issued').on(t.brandId, t.issuedAt),
    index('member_coupons_brand_used').on(t.brandId, t.usedAt),
  ],
);

/**
 * Coupon templates: the pricing engine's coupon rule plus how it is issued. `issued`
 * only grows, by a conditional UPDATE that never passes `total_stock`.
 */
export const couponTemplates = sqliteTable(
  'coupon_templates',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    name: text('name').notNull(),
    /** JSON `HeldCoupon` without id/templateId/name. */
    rule: text('rule').notNull(),
    /** JSON: `{ days }` from issue, or `{ from, to }` fixed epoch ms. */
    validity: text('validity').notNull(),
    totalStock: integer('total_stock'),
    issued: integer('issued').notNull().default(0),
    perMemberLimit: integer('per_member_limit'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('coupon_templates_brand').on(t.brandId)],
);
