import { inArray } from 'drizzle-orm';
import { log } from '../../domain/log';
import {
  type BrandEvent,
  brandWebhookEvent,
  type OutboxEvent,
  type WebhookEvent,
  type WebhookEventType,
  webhookBody,
  webhookEventsOf,
} from '../../domain/webhooks/events';
import { BRAND_TIME_ZONE } from '../../domain/zoned-time';
import { stores, webhookDeliveries, webhookEndpoints } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';
import { queueDelivery } from './deliveries.service';

type Endpoint = { id: string; brandId: string; events: string; status: 'active' | 'disabled' };

/**
 * Every endpoint of the brands, disabled ones too: a disabled endpoint's events are kept
 * `held` (not sent) so enabling it again after a fix loses nothing recent.
 */
const brandEndpoints = (env: Env, brandIds: string[]) =>
  db(env)
    .select({
      id: webhookEndpoints.id,
      brandId: webhookEndpoints.brandId,
      events: webhookEndpoints.events,
      status: webhookEndpoints.status,
    })
    .from(webhookEndpoints)
    .where(inArray(webhookEndpoints.brandId, brandIds))
    .all();

/**
 * Turns store outbox events into one delivery per subscribed endpoint and queues each.
 * Idempotent: a delivery is unique per endpoint and event id, so a replayed outbox message
 * queues nothing new. Called by the events consumer before it acknowledges the message.
 */
export async function fanOutWebhooks(env: Env, events: OutboxEvent[], now = Date.now()): Promise<number> {
  if (events.length === 0) return 0;
  const endpoints = await brandEndpoints(env, [...new Set(events.map((e) => e.brandId))]);
  if (endpoints.length === 0) return 0;
  const zones = new Map(
    (
      await db(env)
        .select({ id: stores.id, timeZone: stores.timeZone })
        .from(stores)
        .where(inArray(stores.id, [...new Set(events.map((e) => e.storeId))]))
        .all()
    ).map((s) => [s.id, s.timeZone]),
  );
  const made = events.flatMap((e) => webhookEventsOf(e, zones.get(e.storeId) ?? BRAND_TIME_ZONE));
  return queueForEndpoints(env, endpoints, made, now);
}

/**
 * Announces a brand event (a new member, a review) to the endpoints subscribed to it, through
 * the jobs queue so the request that made the record is not held up by partners. A failure to
 * queue is logged, never the guest's error: their sign-up or review stands.
 */
export async function announceBrandEvent(env: Env, event: BrandEvent, now = Date.now()): Promise<void> {
  try {
    await env.JOBS_QUEUE.send({ job: 'webhooks.fan_out', at: now, event }, { contentType: 'json' });
  } catch (e) {
    log.error('brand webhook event not queued', { type: event.type, key: event.key, error: e });
  }
}

/** The `webhooks.fan_out` job: the brand event's deliveries, once per endpoint however often it runs. */
export async function fanOutBrandEvent(env: Env, event: BrandEvent, now = Date.now()): Promise<number> {
  const endpoints = await brandEndpoints(env, [event.brandId]);
  if (endpoints.length === 0) return 0;
  return queueForEndpoints(env, endpoints, [brandWebhookEvent(event, BRAND_TIME_ZONE)], now);
}

async function queueForEndpoints(env: Env, endpoints: Endpoint[], events: WebhookEvent[], now: number) {
  const d = db(env);
  let queued = 0;
  for (const event of events) {
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
          status: endpoint.status === 'active' ? 'pending' : 'held',
          attempts: 0,
          createdAt: now,
        })
        .onConflictDoNothing()
        .run();
      if (inserted.meta.changes === 1 && endpoint.status === 'active') {
        await queueDelivery(env, id, 0, now);
        queued++;
      }
    }
  }
  return queued;
}
