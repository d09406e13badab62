import { and, inArray, isNotNull } from 'drizzle-orm';
import { backoffSeconds } from '../domain/backoff';
import { log } from '../domain/log';
import { prepared } from '../schema/d1/compiled';
import { historyRow, historyUpserts, upsertHistory } from '../schema/d1/order-history-upsert';
import { members } from '../schema/d1/tables';
import { touchedBrandDays, touchedStoreDays } from '../worker/analytics/event-rollups';
import { deliveryOutcomeWrites } from '../worker/analytics/on-time.service';
import {
  dayOrderCount,
  pendingMark,
  queuePacedJob,
  rememberDerived,
  splitByPace,
} from '../worker/analytics/rollup-pacing';
import { storeDayStatements } from '../worker/analytics/rollup-statements';
import {
  brandDaysAround,
  recomputeBrandDays,
  recomputeStoreDays,
  storeClocks,
} from '../worker/analytics/rollups.service';
import { queueChannelCalls } from '../worker/channels/calls.service';
import { cancelDispatchOfCancelledOrder, noticeOrderReady } from '../worker/delivery/order-follow-ups.service';
import { convertOnOrder } from '../worker/experiments/exposure.service';
import { type Db, db } from '../worker/lib/db';
import { onOrderCompleted } from '../worker/loyalty/completion.service';
import { settleOrderPoints } from '../worker/loyalty/order-points.service';
import { notify } from '../worker/notify/pushes.service';
import { refundCancelledOrder } from '../worker/payments/refunds.service';
import { recomputeProfiles } from '../worker/profiles/profiles.service';
import { inviteReview } from '../worker/reviews/review-invites.service';
import { notifyLowStock } from '../worker/stock/stock-warnings.service';
import { fanOutWebhooks } from '../worker/webhooks/fan-out.service';
import {
  type ChannelSyncMessage,
  type OrderEventMessage,
  type StockChangedMessage,
  type StockLowMessage,
  StoreEventMessage,
} from './messages';

type HistoryEvent = Exclude<StoreEventMessage, StockLowMessage | StockChangedMessage | ChannelSyncMessage>;

/**
 * Writes order history into D1 from store events. Idempotent and order-tolerant: the
 * upsert applies an event only if its `seq` is newer than the one the row holds, so a
 * replayed or late message changes nothing.
 */
export async function handleEventsBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const good: { msg: Message<unknown>; event: HistoryEvent }[] = [];
  const stock: { msg: Message<unknown>; event: StockLowMessage | StockChangedMessage }[] = [];
  const platformCalls: { msg: Message<unknown>; event: ChannelSyncMessage }[] = [];
  for (const msg of batch.messages) {
    const parsed = StoreEventMessage.safeParse(msg.body);
    if (parsed.success) {
      if (parsed.data.type === 'stock.low' || parsed.data.type === 'stock.changed')
        stock.push({ msg, event: parsed.data });
      else if (parsed.data.type === 'channel.sync') platformCalls.push({ msg, event: parsed.data });
      else good.push({ msg, event: parsed.data });
      continue;
    }
    // A malformed message will never succeed: log it and let it go rather than loop.
    log.error('bad event message', { id: msg.id, issues: parsed.error.issues });
    msg.ack();
  }
  await stockFollowUps(env, stock);
  await callPlatforms(env, platformCalls);
  if (good.length === 0) return;
  try {
    // One D1 round trip for the whole batch; each statement is idempotent on its own: the
    // history rows (one statement, unless the batch is unusually large), the seatings, then one
    // recompute of every store-day they touched.
    const d = db(env);
    const written = good.flatMap((g) => (g.event.type === 'session.closed' || g.event.historyWritten ? [] : [g.event]));
    const [erased, clocks] = await Promise.all([
      erasedMembers(
        d,
        written.map((e) => e.order.memberId),
      ),
      storeClocks(
        d,
        good.map((g) => g.event.storeId),
      ),
    ]);
    // An event the store wrote into history itself (`historyWritten`) would change nothing.
    const writes = historyUpserts(
      env.DB,
      written.map((e) => historyRow(e, erased, clocks.get(e.storeId))),
    );
    const now = Date.now();
    const { seatings, days, late } = touchedStoreDays(
      d,
      good.map((g) => g.event),
      clocks,
      now,
    );
    const outcomes = deliveryOutcomeWrites(
      d,
      good.map((g) => g.event),
      clocks,
    );
    // A busy day inside its pace is marked pending, not re-derived (domain/analytics/rollup-pace.ts).
    const { due, paced } = splitByPace(days, now);
    const recomputes = due.flatMap((s) => storeDayStatements(d, s, now));
    const tail = [...due.map((s) => dayOrderCount(d, s)), ...paced.map((p) => pendingMark(d, p.day, now))];
    const statements = [
      ...writes,
      ...[...seatings, ...outcomes, ...recomputes, ...tail].map((q) => prepared(env.DB, q)),
    ];
    if (statements.length > 0) {
      const results = (await env.DB.batch(statements)).slice(statements.length - tail.length);
      const rows = (i: number) => (results[i]?.results ?? []) as Record<string, number>[];
      // A plain D1 statement's row is keyed by its SQL (`count(*)`): the count is its one value.
      rememberDerived(
        due,
        due.map((_, i) => Number(Object.values(rows(i)[0] ?? {})[0] ?? 0)),
        now,
      );
      // The first mark of a day queues the job that re-derives it when its pace is out.
      for (const [i, p] of paced.entries()) {
        if (rows(due.length + i).length > 0) await queuePacedJob(env, p.dueAt, now);
      }
    }
    if (late.length > 0) await recomputeStoreDays(env, late);
  } catch (e) {
    log.warn('event batch failed', { size: good.length, error: e });
    for (const g of good) g.msg.retry({ delaySeconds: backoffSeconds(g.msg.attempts, { cap: 60 }) });
    return;
  }
  const followedUp: typeof good = [];
  for (const g of good) {
    try {
      if (g.event.type !== 'session.closed') await followUp(env, g.event);
      followedUp.push(g);
    } catch (e) {
      log.warn('event follow-up failed', { id: g.msg.id, error: e });
      g.msg.retry({ delaySeconds: backoffSeconds(g.msg.attempts, { cap: 60 }) });
    }
  }
  // Partners' webhooks for the whole batch in one pass (one read of the brands' endpoints, not
  // one per event), queued before the ack: a retried message queues no delivery twice.
  try {
    await fanOutWebhooks(
      env,
      followedUp.map((g) => g.event),
    );
    for (const g of followedUp) g.msg.ack();
  } catch (e) {
    log.warn('event webhooks not queued', { size: followedUp.length, error: e });
    for (const g of followedUp) g.msg.retry({ delaySeconds: backoffSeconds(g.msg.attempts, { cap: 60 }) });
  }
  // Completions earn points and refunds take them back: today's brand figures follow.
  try {
    const d = db(env);
    for (const [brandId, span] of touchedBrandDays(good.map((g) => g.event))) {
      await recomputeBrandDays(env, brandId, await brandDaysAround(d, brandId, span.from, span.to));
    }
  } catch (e) {
    // The hourly job re-derives them anyway.
    log.warn('brand day upkeep failed', { error: e });
  }
}

/**
 * Stock events are no history: a low dish pushes the store's managers (idempotent per event),
 * and partners subscribed hear both kinds.
 */
async function stockFollowUps(
  env: Env,
  events: { msg: Message<unknown>; event: StockLowMessage | StockChangedMessage }[],
) {
  for (const { msg, event } of events) {
    try {
      if (event.type === 'stock.low') await notifyLowStock(env, event);
      await fanOutWebhooks(env, [event]);
      msg.ack();
    } catch (e) {
      log.warn('low-stock push failed', { id: msg.id, error: e });
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts, { cap: 60 }) });
    }
  }
}

/** Delivery platforms' calls are no history: each becomes `channels.call` jobs (the jobs queue calls and retries). */
async function callPlatforms(env: Env, events: { msg: Message<unknown>; event: ChannelSyncMessage }[]) {
  for (const { msg, event } of events) {
    try {
      await queueChannelCalls(env, event);
      msg.ack();
    } catch (e) {
      log.warn('platform call not queued', { id: msg.id, error: e });
      msg.retry({ delaySeconds: backoffSeconds(msg.attempts, { cap: 60 }) });
    }
  }
}

/**
 * What an event sets in motion beyond history: a cancelled order's money goes back; a
 * completed order earns points, may lift the tier, teaches tags, rewards a referral,
 * invites a review, refreshes the member's profile and counts as a conversion in running
 * experiments; a refunded one gives its points back; a ready delivery tells its carrier, a cancelled one cancels
 * its carrier's rider.
 * Each is idempotent, so replays are harmless.
 */
async function followUp(env: Env, e: OrderEventMessage) {
  if (e.type !== 'order.status_changed') return;
  // A delivery platform's order was paid to the platform, which refunds its guest itself.
  const platformPaid = e.order.channel != null;
  if (e.order.status === 'cancelled' && !platformPaid) {
    await refundCancelledOrder(env, e.storeId, e.order.id, e.occurredAt);
    if (e.order.mode === 'delivery') await cancelDispatchOfCancelledOrder(env, e.order.id);
  }
  if (e.order.status === 'completed') {
    await onOrderCompleted(env, e);
    await inviteReview(env, e);
    // The member's profile follows their history (only with the personalisation consent; idempotent).
    if (e.order.memberId) await recomputeProfiles(env, [e.order.memberId], e.occurredAt);
    await convertOnOrder(env, e);
  }
  if (e.order.status === 'refunded') await settleOrderPoints(env, e.order.id, e.occurredAt);
  // A carrier's rider may be on the way: SF wants to hear the food is ready.
  if (e.order.status === 'ready' && e.order.mode === 'delivery') await noticeOrderReady(env, e.order.id);
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

/** Applies one order event to D1 history. */
export async function applyStoreEvent(env: Env, e: OrderEventMessage): Promise<void> {
  const clocks = await storeClocks(db(env), [e.storeId]);
  await upsertHistory(env.DB, e, new Set(), clocks.get(e.storeId)).run();
}

/** A D1 statement binds at most 100 values: members are looked up this many at a time. */
const IDS_PER_READ = 90;

/** Members among these who erased their data: their late order events stay anonymous. */
async function erasedMembers(d: Db, ids: (string | null | undefined)[]): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const reads = [];
  for (let i = 0; i < wanted.length; i += IDS_PER_READ) {
    reads.push(
      d
        .select({ id: members.id })
        .from(members)
        .where(and(isNotNull(members.deletedAt), inArray(members.id, wanted.slice(i, i + IDS_PER_READ)))),
    );
  }
  if (reads.length === 0) return new Set();
  // Every slice in one round trip, however many members the batch names.
  const results = await d.batch(reads as [(typeof reads)[number], ...typeof reads]);
  return new Set(results.flat().map((r) => r.id));
}
