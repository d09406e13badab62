import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import { log } from '../../domain/log';
import { cutoff, D1_RETENTION } from '../../domain/retention';
import { afterAttempt, failingTooLong } from '../../domain/webhooks/retry-schedule';
import { signWebhook } from '../../domain/webhooks/signing';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import { enqueueJobs } from '../../queues/messages';
import { webhookDeliveries, webhookEndpoints } from '../../schema/d1/tables';
import { postNotice } from '../alerts/notices.service';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { unseal } from '../lib/seal';
import { type EndpointRow, endpointOf } from './endpoints.service';
import { webhookSender } from './sender';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Queues hold a message back at most 12 hours; a longer wait is re-queued when it comes up. */
const MAX_QUEUE_DELAY_S = 12 * 3600;
const iso = (ms: number | null) => (ms === null ? null : isoInZone(ms, BRAND_TIME_ZONE));

export function deliveryView(r: DeliveryRow) {
  return {
    id: r.id,
    eventId: r.eventId,
    eventType: r.eventType,
    storeId: r.storeId,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastLatencyMs: r.lastLatencyMs,
    lastResponse: r.lastResponse,
    lastAttemptAt: iso(r.lastAttemptAt),
    nextAttemptAt: iso(r.nextAttemptAt),
    createdAt: iso(r.createdAt)!,
  };
}

/**
 * An endpoint enabled again: its deliveries held while it was disabled (and any left pending
 * when it was) are sent from now, oldest first, if made within the hold window; older ones
 * are failed as not sent (the log keeps them, and each can still be replayed by hand).
 */
export async function resumeDeliveries(env: Env, endpointId: string, now = Date.now()): Promise<number> {
  const d = db(env);
  const waiting = and(
    eq(webhookDeliveries.endpointId, endpointId),
    inArray(webhookDeliveries.status, ['held', 'pending']),
  );
  const since = cutoff(now, D1_RETENTION.heldWebhookDeliveries);
  await d
    .update(webhookDeliveries)
    .set({ status: 'failed', nextAttemptAt: null, lastResponse: 'not sent: waited longer than the 3-day hold' })
    .where(and(waiting, lt(webhookDeliveries.createdAt, since)))
    .run();
  const due = await d
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: null })
    .where(and(waiting, gte(webhookDeliveries.createdAt, since)))
    .returning({ id: webhookDeliveries.id, createdAt: webhookDeliveries.createdAt })
    .all();
  due.sort((a, b) => a.createdAt - b.createdAt);
  await enqueueJobs(
    env.JOBS_QUEUE,
    due.map((r) => ({ job: 'webhooks.deliver' as const, at: now, deliveryId: r.id })),
  );
  if (due.length > 0) log.info('webhook deliveries resumed', { endpointId, count: due.length });
  return due.length;
}

/** Puts a delivery on the jobs queue, to run after `delayMs`. */
export async function queueDelivery(env: Env, deliveryId: string, delayMs: number, at = Date.now()) {
  const delaySeconds = Math.min(Math.max(0, Math.ceil(delayMs / 1000)), MAX_QUEUE_DELAY_S);
  await env.JOBS_QUEUE.send(
    { job: 'webhooks.deliver', at, deliveryId },
    { contentType: 'json', ...(delaySeconds > 0 ? { delaySeconds } : {}) },
  );
}

async function secretsOf(env: Env, e: EndpointRow, now: number): Promise<string[]> {
  const current = await unseal(env, e.secretSealed);
  if (!e.previousSecretSealed || e.previousUntil === null || e.previousUntil <= now) return [current];
  return [current, await unseal(env, e.previousSecretSealed)];
}

/** One attempt: sign, send, and the status, latency and start of the answer (status 0: none). */
async function attempt(env: Env, e: EndpointRow, d: DeliveryRow, now: number) {
  const headers = await signWebhook(await secretsOf(env, e, now), d.eventId, now / 1000, d.body);
  const started = Date.now();
  try {
    const res = await webhookSender()(
      new Request(e.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Tiffin-Webhooks/1' },
        body: d.body,
      }),
    );
    const text = (await res.text().catch(() => '')).slice(0, 1024);
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      status: res.status,
      latencyMs: Date.now() - started,
      response: text,
      retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    };
  } catch (err) {
    return { status: 0, latencyMs: Date.now() - started, response: String(err).slice(0, 1024), retryAfter: undefined };
  }
}

/**
 * Makes the attempt a queued delivery is due for, records it, and schedules what follows.
 * Safe to run twice: a delivered or failed delivery, or one not yet due, is left alone.
 */
export async function deliverWebhook(env: Env, deliveryId: string, now = Date.now()): Promise<DeliveryRow | null> {
  const d = db(env);
  const delivery = await d.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).get();
  if (delivery?.status !== 'pending') return delivery ?? null;
  if (delivery.nextAttemptAt !== null && delivery.nextAttemptAt > now + 1000) {
    await queueDelivery(env, delivery.id, delivery.nextAttemptAt - now, now);
    return delivery;
  }
  const endpoint = await d.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, delivery.endpointId)).get();
  // A disabled endpoint keeps its pending deliveries for a replay once it is re-enabled.
  if (endpoint?.status !== 'active') return delivery;
  const tried = await attempt(env, endpoint, delivery, now);
  const attempts = delivery.attempts + 1;
  const outcome = afterAttempt(attempts, tried.status, tried.retryAfter);
  const failingSince = outcome.kind === 'delivered' ? null : (endpoint.failingSince ?? now);
  const disable =
    outcome.kind === 'gone'
      ? 'gone'
      : outcome.kind !== 'delivered' && failingTooLong(failingSince, now)
        ? 'failing'
        : null;
  const next: Partial<DeliveryRow> = {
    attempts,
    lastStatus: tried.status,
    lastLatencyMs: tried.latencyMs,
    lastResponse: tried.response,
    lastAttemptAt: now,
    status: outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' && !disable ? 'pending' : 'failed',
    nextAttemptAt: outcome.kind === 'retry' && !disable ? now + outcome.delayMs : null,
  };
  // Only the attempt that found the row as it was may record it: a parallel run changes nothing.
  const recorded = await d
    .update(webhookDeliveries)
    .set(next)
    .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.attempts, delivery.attempts)))
    .run();
  if (recorded.meta.changes !== 1) return delivery;
  await d
    .update(webhookEndpoints)
    .set({
      failingSince,
      ...(disable ? { status: 'disabled' as const, disabledReason: disable, updatedAt: now } : {}),
    })
    .where(eq(webhookEndpoints.id, endpoint.id))
    .run();
  if (disable) {
    log.warn('webhook endpoint disabled', { endpointId: endpoint.id, brandId: endpoint.brandId, disable });
    await postNotice(
      env,
      {
        brandId: endpoint.brandId,
        kind: 'webhook_disabled',
        subjectId: endpoint.id,
        title: `Webhook endpoint disabled: ${endpoint.url}`,
        detail:
          disable === 'gone'
            ? 'It answered 410 Gone. Its new events are held for 3 days: fix the receiver and enable it again to get them.'
            : `Every delivery has failed for five days (last answer: ${tried.status || 'none'}). Its new events are held for 3 days: fix the receiver and enable it again to get them.`,
        // Once per disabling: only the attempt that recorded this delivery's row gets here.
        key: `webhook_disabled:${endpoint.id}:${delivery.id}:${attempts}`,
      },
      now,
    );
  }
  if (next.status === 'pending' && next.nextAttemptAt)
    await queueDelivery(env, delivery.id, next.nextAttemptAt - now, now);
  return { ...delivery, ...next } as DeliveryRow;
}

/** A signed `webhook.test` event sent now; the delivery as it came out. */
export async function testEndpoint(env: Env, brandId: string, endpointId: string, now = Date.now()) {
  const endpoint = await endpointOf(env, brandId, endpointId);
  const id = newId('whd');
  const row: DeliveryRow = {
    id,
    endpointId: endpoint.id,
    brandId,
    eventId: `test_${id}`,
    eventType: 'webhook.test',
    storeId: null,
    body: JSON.stringify({
      type: 'webhook.test',
      timestamp: isoInZone(now, BRAND_TIME_ZONE),
      data: { webhookId: endpoint.id },
    }),
    status: 'pending',
    attempts: 0,
    lastStatus: null,
    lastLatencyMs: null,
    lastResponse: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
    createdAt: now,
  };
  await db(env).insert(webhookDeliveries).values(row).run();
  // A test is one attempt, sent even to a disabled endpoint (that is how an admin checks a fix).
  const tried = await attempt(env, endpoint, row, now);
  const ok = tried.status >= 200 && tried.status < 300;
  const done: DeliveryRow = {
    ...row,
    attempts: 1,
    status: ok ? 'delivered' : 'failed',
    lastStatus: tried.status,
    lastLatencyMs: tried.latencyMs,
    lastResponse: tried.response,
    lastAttemptAt: now,
  };
  await db(env).update(webhookDeliveries).set(done).where(eq(webhookDeliveries.id, id)).run();
  return deliveryView(done);
}

export async function listDeliveries(
  env: Env,
  brandId: string,
  endpointId: string,
  q: { status?: DeliveryRow['status']; limit: number },
) {
  const endpoint = await endpointOf(env, brandId, endpointId);
  const rows = await db(env)
    .select()
    .from(webhookDeliveries)
    .where(
      and(eq(webhookDeliveries.endpointId, endpoint.id), q.status ? eq(webhookDeliveries.status, q.status) : undefined),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit)
    .all();
  return rows.map(deliveryView);
}

/** Sends a delivery again: same event id and body, a new series of attempts from now. */
export async function replayDelivery(
  env: Env,
  brandId: string,
  endpointId: string,
  deliveryId: string,
  now = Date.now(),
) {
  const endpoint = await endpointOf(env, brandId, endpointId);
  const d = db(env);
  const row = await d
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)))
    .get();
  if (!row) throw notFound('delivery', deliveryId);
  const next = { status: 'pending' as const, attempts: 0, nextAttemptAt: null };
  await d.update(webhookDeliveries).set(next).where(eq(webhookDeliveries.id, row.id)).run();
  await queueDelivery(env, row.id, 0, now);
  return deliveryView({ ...row, ...next });
}
