import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import { type RollupDay, type RollupOrder, type RollupRow, rollupDay } from '../../domain/analytics/rollup';
import type { JobMessage } from '../../queues/messages';
import worker from '../../worker/index';

const FIGURES = [
  'orders',
  'cancelled',
  'quantity',
  'revenue',
  'refunds',
  'refundQuantity',
  'discounts',
  'guests',
  'seatings',
  'turnMinutes',
  'tables',
  'memberOrders',
] as const;

type Row = Pick<RollupRow, 'dim' | 'key' | 'name' | (typeof FIGURES)[number]>;

const sorted = (rows: Row[]) =>
  rows.map((r) => ({ ...r })).sort((a, b) => `${a.dim}|${a.key}`.localeCompare(`${b.dim}|${b.key}`));

/** The rollup rows D1 holds for a store-day, figures only, keys in order. */
export async function storedRollups(storeId: string, day: string): Promise<Row[]> {
  const { results } = await env.DB.prepare(
    `SELECT dim, key, name, orders, cancelled, quantity, revenue, refunds, refund_quantity AS refundQuantity,
       discounts, guests, seatings, turn_minutes AS turnMinutes, tables, member_orders AS memberOrders
     FROM analytics_rollups WHERE store_id = ? AND day = ?`,
  )
    .bind(storeId, day)
    .all<Row>();
  return sorted(results);
}

/** Rows as they were written, updated_at included: a replay must leave them untouched. */
export async function rawRollups(storeId: string) {
  const { results } = await env.DB.prepare('SELECT * FROM analytics_rollups WHERE store_id = ? ORDER BY day, dim, key')
    .bind(storeId)
    .all();
  return results;
}

/** A store-day's sources read back from D1, as the reference model takes them. */
export async function daySources(storeId: string, day: string): Promise<RollupDay> {
  const orders = await env.DB.prepare(
    `SELECT id, member_id, mode, status, local_hour, created_at, body FROM order_history
     WHERE store_id = ? AND business_day = ?`,
  )
    .bind(storeId, day)
    .all<{
      id: string;
      member_id: string | null;
      mode: string;
      status: string;
      local_hour: number;
      created_at: number;
      body: string;
    }>();
  const ids = orders.results.map((o) => o.id);
  const list = JSON.stringify(ids);
  const payments = await env.DB.prepare(
    `SELECT id, order_id AS orderId, method, amount FROM payments
     WHERE status = 'succeeded' AND order_id IN (SELECT value FROM json_each(?))`,
  )
    .bind(list)
    .all<{ id: string; orderId: string; method: string; amount: number }>();
  const refunds = await env.DB.prepare(
    `SELECT order_id AS orderId, payment_id AS paymentId, amount, lines FROM refunds
     WHERE status != 'failed' AND order_id IN (SELECT value FROM json_each(?))`,
  )
    .bind(list)
    .all<{ orderId: string; paymentId: string; amount: number; lines: string }>();
  const seatings = await env.DB.prepare(
    'SELECT id, diners, opened_at AS openedAt, closed_at AS closedAt FROM table_seatings WHERE store_id = ? AND day = ?',
  )
    .bind(storeId, day)
    .all<{ id: string; diners: number; openedAt: number; closedAt: number }>();
  const reported = await env.DB.prepare('SELECT id FROM table_seatings WHERE store_id = ?')
    .bind(storeId)
    .all<{ id: string }>();
  const tables = await env.DB.prepare('SELECT count(*) AS n FROM dining_tables WHERE store_id = ?')
    .bind(storeId)
    .first<{ n: number }>();
  return {
    orders: orders.results.map((o): RollupOrder => {
      const b = JSON.parse(o.body);
      return {
        id: o.id,
        memberId: o.member_id,
        mode: o.mode,
        status: o.status,
        localHour: o.local_hour,
        createdAt: o.created_at,
        paid: b.paidAt != null,
        total: b.total,
        discountTotal: b.discountTotal ?? 0,
        sessionId: b.sessionId ?? null,
        addedBy: b.addedBy,
        lines: b.lines,
      };
    }),
    payments: payments.results,
    refunds: [
      ...refunds.results.map((r) => ({ ...r, lines: JSON.parse(r.lines) })),
      // A delivery platform's agreed partial refunds, as the order's history carries them.
      ...orders.results.flatMap((o) =>
        ((JSON.parse(o.body).channel?.refunds ?? []) as { status: string; amount: number; lines: [] }[])
          .filter((r) => r.status === 'agreed')
          .map((r) => ({ orderId: o.id, paymentId: '', amount: r.amount, lines: r.lines })),
      ),
    ],
    seatings: seatings.results,
    reportedSessions: new Set(reported.results.map((r) => r.id)),
    tables: tables?.n ?? 0,
  };
}

/** What the reference model says a store-day's rows are, from what D1 holds. */
export async function referenceRollups(storeId: string, day: string): Promise<Row[]> {
  return sorted(
    rollupDay(await daySources(storeId, day)).map((r) => {
      const out: Row = { dim: r.dim, key: r.key, name: r.name } as Row;
      for (const f of FIGURES) out[f] = r[f];
      return out;
    }),
  );
}

/**
 * Runs what `act` queues on the jobs queue through the jobs consumer, and whatever those
 * jobs queue in turn (a rebuild's next slices), until nothing is left.
 */
export async function runQueuedJobs(act: () => Promise<unknown>, limit = 50) {
  const queued: JobMessage[] = [];
  const send = vi.spyOn(env.JOBS_QUEUE, 'send').mockImplementation(async (body) => {
    queued.push(body);
    return undefined as never;
  });
  let runs = 0;
  try {
    const answer = await act();
    while (queued.length > 0 && runs++ < limit) {
      const body = queued.shift()!;
      const batch = createMessageBatch('tiffin-jobs', [{ id: `j${runs}`, timestamp: new Date(), attempts: 1, body }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      const result = await getQueueResult(batch, ctx);
      if (result.retryMessages.length > 0) throw new Error(`job ${body.job} failed (see the log)`);
    }
    return { answer, runs };
  } finally {
    send.mockRestore();
  }
}
