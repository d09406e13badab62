import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';
import { brands } from './stores.tables';

/*
 * Who signs in with a password: staff (the `staff` table carries their credentials) and the
 * brand's admins (here). Both are created by an admin through an invitation; the person sets
 * the password. Invitation and refresh tokens are stored as SHA-256 hashes only.
 */

export const admins = sqliteTable(
  'admins',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    name: text('name').notNull(),
    /** Sign-in name (lower-cased), unique in the brand across staff and admins. */
    login: text('login').notNull(),
    /** Null until the invitation is accepted (or after an admin's reset). */
    passwordHash: text('password_hash'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** Epoch ms: access tokens issued before it are dead. */
    tokensValidAfter: integer('tokens_valid_after').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('admins_login').on(t.brandId, t.login)],
);

export const accountInvitations = sqliteTable(
  'account_invitations',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    /** `stf_…` or `adm_…`: the account the accepted password belongs to. */
    accountId: text('account_id').notNull(),
    role: text('role', { enum: ['staff', 'admin'] }).notNull(),
    /** SHA-256 hex of the one-time token; the token itself is shown once. */
    tokenHash: text('token_hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
    /** The admin who invited (or `bootstrap`). */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('account_invitations_token').on(t.tokenHash),
    index('account_invitations_account').on(t.accountId),
  ],
);

export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    accountId: text('account_id').notNull(),
    role: text('role', { enum: ['staff', 'admin'] }).notNull(),
    /** Every token rotated from one sign-in shares the family; reuse of a used one revokes it. */
    familyId: text('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Set when rotated: presenting it again is reuse. */
    usedAt: integer('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_hash').on(t.tokenHash),
    index('refresh_tokens_account').on(t.accountId),
    index('refresh_tokens_family').on(t.familyId),
  ],
);
