import { backoffSeconds } from '../domain/backoff';
import { log } from '../domain/log';
import { anonymizedOrderBody } from '../domain/privacy';
import type { Env } from '../worker/env';
import { onOrderCompleted } from '../worker/loyalty/completion.service';
import { settleOrderPoints } from '../worker/loyalty/order-points.service';
import { notify } from '../worker/notify/pushes.service';
import { refundCancelledOrder } from '../worker/payments/refunds.service';
import { StoreEventMessage } from './messages';

/**
 * Writes order history into D1 from store events. Idempotent and order-tolerant: the
 * upsert applies an event only if its `seq` is newer than the one the row holds, so a
 * replayed or late message changes nothing.
 */
export async function handleEventsBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const good: { msg: Message<unknown>; event: StoreEventMessage }[] = [];
  for (const msg of batch.messages) {
    const parsed = StoreEventMessage.safeParse(msg.body);
    if (parsed.success) {
      good.push({ msg, event: parsed.data });
      continue;
    }
    // A malformed message will never succeed: log it and let it go rather than loop.
    log.error('bad event message', { id: msg.id, issues: parsed.error.issues });
    msg.ack();
  }
  if (good.length === 0) return;
  try {
    // One D1 round trip for the whole batch; each upsert is idempotent on its own.
    const erased = await erasedMembers(
      env,
      good.map((g) => g.event.order.memberId),
    );
    await env.DB.batch(good.map((g) => upsertHistory(env, g.event, erased)));
  } catch (e) {
    log.warn('event batch failed', { size: good.length, error: e });
    for (const g of good) g.msg.retry({ delaySeconds: backoffSeconds(g.msg.attempts, { cap: 60 }) });
    return;
  }
  for (const g of good) {
    try {
      await followUp(env, g.event);
      g.msg.ack();
    } catch (e) {
      log.warn('event follow-up failed', { id: g.msg.id, error: e });
      g.msg.retry({ delaySeconds: backoffSeconds(g.msg.attempts, { cap: 60 }) });
    }
  }
}

/**
 * What an event sets in motion beyond history: a cancelled order's money goes back; a
 * completed order earns points, may lift the tier, teaches tags and rewards a referral;
 * a refunded one gives its points back. Each is idempotent, so replays are harmless.
 */
async function followUp(env: Env, e: StoreEventMessage) {
  if (e.type !== 'order.status_changed') return;
  if (e.order.status === 'cancelled') await refundCancelledOrder(env, e.storeId, e.order.id, e.occurredAt);
  if (e.order.status === 'completed') await onOrderCompleted(env, e);
  if (e.order.status === 'refunded') await settleOrderPoints(env, e.order.id, e.occurredAt);
  if (e.order.memberId && (e.order.status === 'accepted' || e.order.status === 'ready')) {
    // Order-status pushes are transactional: never capped, no marketing consent needed.
    await notify(
      env,
      {
        brandId: e.brandId,
        memberId: e.order.memberId,
        storeId: e.storeId,
        category: 'transactional',
        template: e.order.status === 'ready' ? 'order_ready' : 'order_accepted',
        data: { ticket: e.order.ticketNo, status: e.order.status === 'ready' ? 'Ready for pickup' : 'Accepted' },
        page: `pages/order/detail?id=${e.order.id}`,
        key: `order:${e.order.id}:${e.order.status}`,
      },
      e.occurredAt,
    );
  }
}

/** Applies one store event to D1 history. */
export async function applyStoreEvent(env: Env, e: StoreEventMessage): Promise<void> {
  await upsertHistory(env, e).run();
}

/** Members among these who erased their data: their late order events stay anonymous. */
async function erasedMembers(env: Env, ids: (string | null | undefined)[]): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))].slice(0, 90);
  if (wanted.length === 0) return new Set();
  const { results } = await env.DB.prepare(
    `SELECT id FROM members WHERE deleted_at IS NOT NULL AND id IN (${wanted.map(() => '?').join(',')})`,
  )
    .bind(...wanted)
    .all<{ id: string }>();
  return new Set(results.map((r) => r.id));
}

function upsertHistory(env: Env, e: StoreEventMessage, erased = new Set<string>()): D1PreparedStatement {
  const o = e.order;
  const body = o.memberId && erased.has(o.memberId) ? anonymizedOrderBody(JSON.stringify(o)) : JSON.stringify(o);
  return env.DB.prepare(
    `INSERT INTO order_history (id, brand_id, store_id, member_id, ticket_no, mode, status, total, body, last_seq, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET status = excluded.status, total = excluded.total, body = excluded.body,
       last_seq = excluded.last_seq, updated_at = excluded.updated_at
     WHERE excluded.last_seq > order_history.last_seq`,
  ).bind(
    o.id,
    e.brandId,
    e.storeId,
    o.memberId ?? null,
    o.ticketNo,
    o.mode,
    o.status,
    o.total,
    body,
    e.seq,
    Date.parse(o.createdAt),
    e.occurredAt,
  );
}
