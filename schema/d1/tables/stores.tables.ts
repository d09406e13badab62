import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, updatedAt } from './columns';

export const brands = sqliteTable('brands', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  currency: text('currency').notNull().default('CNY'),
  /** JSON brand policy (e.g. top-up bonus rules); missing keys take defaults. */
  settings: text('settings').notNull().default('{}'),
  createdAt: createdAt(),
});

export const stores = sqliteTable(
  'stores',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    city: text('city').notNull().default(''),
    phone: text('phone').notNull().default(''),
    lat: real('lat').notNull(),
    lng: real('lng').notNull(),
    timeZone: text('time_zone').notNull(),
    /** JSON `WeeklySlot[]` in store-local time; an end before the start runs past midnight. */
    openingHours: text('opening_hours').notNull().default('[]'),
    status: text('status', { enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    /** JSON `StoreSettings` (ordering limits, fees, pay-later areas); missing keys take defaults. */
    settings: text('settings').notNull().default('{}'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('stores_brand').on(t.brandId)],
);

export const diningTables = sqliteTable(
  'dining_tables',
  {
    id: text('id').primaryKey(),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    area: text('area').notNull().default('main'),
    seats: integer('seats').notNull().default(4),
    /** Unguessable token printed in the table's QR code. */
    qrToken: text('qr_token').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('dining_tables_qr').on(t.qrToken), uniqueIndex('dining_tables_name').on(t.storeId, t.name)],
);

export const staff = sqliteTable(
  'staff',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    name: text('name').notNull(),
    phone: text('phone').notNull().default(''),
    role: text('role', { enum: ['clerk', 'manager'] }).notNull(),
    /** JSON string[] of store ids this account may act in. */
    storeIds: text('store_ids').notNull().default('[]'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** Sign-in name (lower-cased), unique in the brand across staff and admins; null: cannot sign in. */
    login: text('login'),
    /** `pbkdf2-sha256$<iterations>$<salt>$<hash>` (worker/auth/passwords.ts); null until an invitation is accepted. */
    passwordHash: text('password_hash'),
    /** Epoch ms: access tokens issued before it are dead (sign out everywhere, password change). */
    tokensValidAfter: integer('tokens_valid_after').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('staff_brand').on(t.brandId), uniqueIndex('staff_login').on(t.brandId, t.login)],
);

export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id')
      .notNull()
      .references(() => brands.id),
    storeId: text('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['printer', 'display'] }).notNull(),
    name: text('name').notNull(),
    /** JSON string[] of kitchen stations this device serves. */
    stations: text('stations').notNull().default('[]'),
    /** SHA-256 hex of the device secret; the secret itself is shown once. */
    secretHash: text('secret_hash').notNull(),
    /** SHA-256 hex of the one-time provisioning code; null once used. */
    provisioningCodeHash: text('provisioning_code_hash'),
    provisioningExpiresAt: integer('provisioning_expires_at'),
    /** The code's first characters, not secret: finds the code a wrong guess was aimed at. */
    provisioningHandle: text('provisioning_handle'),
    /** Wrong guesses aimed at the current code (by its handle); the code locks at a limit. */
    provisioningFailures: integer('provisioning_failures').notNull().default(0),
    provisionedAt: integer('provisioned_at'),
    revokedAt: integer('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('devices_store').on(t.storeId),
    uniqueIndex('devices_provisioning').on(t.provisioningCodeHash),
    index('devices_provisioning_handle').on(t.provisioningHandle),
  ],
);
