import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { brands } from './stores.tables';

export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    openid: text('openid').notNull(),
    unionid: text('unionid'),
    nickname: text('nickname').notNull().default(''),
    /** The bound phone, sealed (AES-GCM, `worker/lib/seal.ts`); never stored in plaintext. */
    phoneSealed: text('phone_sealed'),
    /** HMAC-SHA256 of the normalized phone under a key derived from DATA_KEY: lookup and uniqueness. */
    phoneHash: text('phone_hash'),
    /** `YYYY-MM-DD`; set once by the member, then fixed (birthday perks must not be gamed). */
    birthday: text('birthday'),
    /** JSON string[] of preference tags learned from orders ('milk tea', 'spicy', 'late night'). */
    tags: text('tags').notNull().default('[]'),
    /** Epoch ms: member tokens issued before this are refused (logout everywhere, erasure). */
    tokensValidAfter: integer('tokens_valid_after').notNull().default(0),
    /** Epoch ms of erasure (PIPL/GDPR); the row stays as an anonymous tombstone for financial records. */
    deletedAt: integer('deleted_at'),
    createdAt: createdAt(),
    lastLoginAt: integer('last_login_at').notNull(),
  },
  (t) => [
    uniqueIndex('members_brand_openid').on(t.brandId, t.openid),
    uniqueIndex('members_brand_phone').on(t.brandId, t.phoneHash),
    // The same person across the brand's WeChat apps (mini program, Official Account).
    index('members_brand_unionid').on(t.brandId, t.unionid),
    // Brand-day KPIs count a day's new members.
    index('members_brand_created').on(t.brandId, t.createdAt),
    // The KPI summary counts a brand's members not erased (6 ms → 1 ms at 20,000): partial, so
    // the count reads the index alone (queries must say deleted_at IS NULL).
    index('members_brand_live_created').on(t.brandId, t.createdAt).where(sql`deleted_at IS NULL`),
  ],
);

/**
 * The pending SMS code proving a member holds a phone: one per member (a new request
 * replaces it), stored only as a keyed hash, dead after its expiry or its fifth wrong try.
 */
export const phoneCodes = sqliteTable('phone_codes', {
  memberId: text('member_id').primaryKey(),
  brandId: text('brand_id').notNull(),
  /** The phone's lookup hash (as `members.phone_hash`): the code proves this phone only. */
  phoneHash: text('phone_hash').notNull(),
  /** Keyed hash of member, phone and code (`worker/members/phone-codes.service.ts`). */
  codeHash: text('code_hash').notNull(),
  attempts: integer('attempts').notNull().default(0),
  expiresAt: integer('expires_at').notNull(),
  createdAt: createdAt(),
});

/**
 * Consent history, append-only: one row per grant or withdrawal with the exact text the
 * member saw. The latest row per (member, kind) wins; no row means not granted.
 */
export const memberConsents = sqliteTable(
  'member_consents',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    memberId: text('member_id').notNull(),
    kind: text('kind', { enum: ['marketing_push', 'marketing_sms', 'personalisation'] }).notNull(),
    granted: integer('granted', { mode: 'boolean' }).notNull(),
    /** The consent text shown; blanked when the member is erased. */
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('member_consents_member').on(t.memberId, t.kind, t.createdAt)],
);

/** Who did what to personal data and when (exports, erasures); holds ids and counts, never the data. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    actorRole: text('actor_role').notNull(),
    actorId: text('actor_id').notNull(),
    action: text('action').notNull(),
    subjectId: text('subject_id').notNull(),
    /** JSON: ids and counts only. */
    detail: text('detail').notNull().default('{}'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_subject').on(t.subjectId, t.createdAt), index('audit_log_created').on(t.createdAt)],
);
