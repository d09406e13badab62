import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/*
 * A brand's webhook endpoints and every delivery to them. The secret is sealed under
 * DATA_KEY (we must sign with it, so it cannot be a hash); during a rotation's overlap the
 * previous secret signs too, until `previousUntil`.
 */
export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    brandId: text('brand_id').notNull(),
    url: text('url').notNull(),
    /** JSON array of event types. */
    events: text('events').notNull(),
    description: text('description').notNull().default(''),
    secretSealed: text('secret_sealed').notNull(),
    previousSecretSealed: text('previous_secret_sealed'),
    previousUntil: integer('previous_until'),
    status: text('status', { enum: ['active', 'disabled'] }).notNull(),
    /** Why it is disabled: by an admin, a 410 Gone, or five days of failures. */
    disabledReason: text('disabled_reason', { enum: ['admin', 'gone', 'failing'] }),
    /** The first failure since the last success; null while deliveries succeed. */
    failingSince: integer('failing_since'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('webhook_endpoints_brand').on(t.brandId, t.status)],
);

/** One event for one endpoint: its attempts, where it stands, and when it is tried next. */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    endpointId: text('endpoint_id').notNull(),
    brandId: text('brand_id').notNull(),
    /** The event id: the `webhook-id` header, the same on every attempt. */
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    storeId: text('store_id'),
    /** The exact body sent (it is what is signed). */
    body: text('body').notNull(),
    /** `held`: made while its endpoint was disabled; sent when an admin enables it again (within the hold window). */
    status: text('status', { enum: ['pending', 'held', 'delivered', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastLatencyMs: integer('last_latency_ms'),
    /** The start of the receiver's answer (1 KB at most), or why there was none. */
    lastResponse: text('last_response'),
    lastAttemptAt: integer('last_attempt_at'),
    nextAttemptAt: integer('next_attempt_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_once').on(t.endpointId, t.eventId),
    index('webhook_deliveries_endpoint').on(t.endpointId, t.createdAt),
  ],
);
