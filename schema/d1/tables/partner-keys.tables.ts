import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/*
 * API keys a brand admin gives a partner (a POS, a delivery aggregator, a BI tool). The key
 * itself is shown once: only its lookup hash (worker/lib/lookup-keys.ts, label
 * `partner-key`) and its last four characters are kept. A revoked key keeps its row.
 */
export const partnerKeys = sqliteTable(
  'partner_keys',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    name: text('name').notNull(),
    /** HMAC of the whole key: how a request's key is found. */
    keyHash: text('key_hash').notNull().unique(),
    /** The key's last four characters, to tell keys apart in a list. */
    last4: text('last4').notNull(),
    /** JSON array of scopes (`orders:read`, ...). */
    scopes: text('scopes').notNull(),
    /** JSON array of store ids; null = every store of the brand. */
    storeIds: text('store_ids'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('partner_keys_brand').on(t.brandId, t.createdAt)],
);
