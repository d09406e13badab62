import { and, eq, inArray } from 'drizzle-orm';
import { type OutboxEvent, type WebhookEventType, webhookBody, webhookEventsOf } from '../../domain/webhooks/events';
import { stores, webhookDeliveries, webhookEndpoints } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';
import { queueDelivery } from './deliveries.service';

/**
 * Turns store outbox events into one delivery per subscribed endpoint and queues each.
 * Idempotent: a delivery is unique per endpoint and event id, so a replayed outbox message
 * queues nothing new. Called by the events consumer before it acknowledges the message.
 */
export async function fanOutWebhooks(env: Env, events: OutboxEvent[], now = Date.now()): Promise<number> {
  if (events.length === 0) return 0;
  const d = db(env);
  const brandIds = [...new Set(events.map((e) => e.brandId))];
  const endpoints = await d
    .select({ id: webhookEndpoints.id, brandId: webhookEndpoints.brandId, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(inArray(webhookEndpoints.brandId, brandIds), eq(webhookEndpoints.status, 'active')))
    .all();
  if (endpoints.length === 0) return 0;
  const zones = new Map(
    (
      await d
        .select({ id: stores.id, timeZone: stores.timeZone })
        .from(stores)
        .where(inArray(stores.id, [...new Set(events.map((e) => e.storeId))]))
        .all()
    ).map((s) => [s.id, s.timeZone]),
  );
  let queued = 0;
  for (const outboxEvent of events) {
    for (const event of webhookEventsOf(outboxEvent, zones.get(outboxEvent.storeId) ?? 'Asia/Shanghai')) {
      const body = webhookBody(event);
      for (const endpoint of endpoints) {
        if (endpoint.brandId !== event.brandId) continue;
        if (!json<WebhookEventType[]>(endpoint.events, []).includes(event.type)) continue;
        const id = newId('whd');
        const inserted = await d
          .insert(webhookDeliveries)
          .values({
            id,
            endpointId: endpoint.id,
            brandId: event.brandId,
            eventId: event.id,
            eventType: event.type,
            storeId: event.storeId ?? null,
            body,
            status: 'pending',
            attempts: 0,
            createdAt: now,
          })
          .onConflictDoNothing()
          .run();
        if (inserted.meta.changes === 1) {
          await queueDelivery(env, id, 0, now);
          queued++;
        }
      }
    }
  }
  return queued;
}
