import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { orderDay } from '../../domain/analytics/days';
import { latestOrders } from '../../domain/order-archive';
import { defaultStoreSettings } from '../../domain/store-settings';
import { DAY } from '../../domain/time';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { archiveOrders } from '../../worker/orders/archive/archive-job.service';
import { roomInHour } from '../support/clock-windows';
import { openStore, potstickers, teaEgg, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { completedOrder } from '../support/loyalty';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { runQueuedJobs, storedRollups } from '../support/rollups';

const CLOCK = { timeZone: 'Asia/Shanghai', dayStartsAt: defaultStoreSettings.dayStartsAt };

/** Moves orders `days` back in time in D1 history, as if they had been placed then. */
async function age(ids: string[], days: number) {
  for (const id of ids) {
    const row = await env.DB.prepare('SELECT created_at FROM order_history WHERE id = ?')
      .bind(id)
      .first<{ created_at: number }>();
    const at = row!.created_at - days * DAY;
    const placed = orderDay(at, CLOCK);
    await env.DB.prepare(
      'UPDATE order_history SET created_at = ?, updated_at = ?, business_day = ?, local_hour = ? WHERE id = ?',
    )
      .bind(at, at, placed.businessDay, placed.localHour, id)
      .run();
  }
  return orderDay(Date.now() - days * DAY, CLOCK).businessDay;
}

/**
 * The store's outbox reaches the events consumer only through `flushEvents` here: its alarm's
 * own sends would land whenever the local queue gets to them, and an event about an order this
 * test aged would write it back as placed today.
 */
async function holdStoreEvents(storeId: string) {
  await runInDurableObject(env.STORE.getByName(storeId), (store: StoreDO) => {
    const queue = (store as unknown as { env: Env }).env.EVENTS_QUEUE;
    vi.spyOn(queue, 'sendBatch').mockResolvedValue(undefined as never);
    vi.spyOn(queue, 'send').mockResolvedValue(undefined as never);
  });
}

/** The nightly archive job, run through the jobs consumer with every slice it queues. */
const archive = () =>
  runQueuedJobs(() => env.JOBS_QUEUE.send({ job: 'orders.archive', at: Date.now() }, { contentType: 'json' }));

async function myOrders(token: string, limit: number, before?: string) {
  const res = await call(
    `/v1/members/me/orders?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`,
    {
      token,
    },
  );
  expect(res.status, res.text).toBe(200);
  return res.json as { items: { id: string; note?: string | null }[]; nextCursor: string | null };
}

async function allMyOrders(token: string, limit: number) {
  const pages: string[][] = [];
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await myOrders(token, limit, cursor);
    pages.push(page.items.map((o) => o.id));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { pages, items };
}

const historyIds = async (storeId: string) =>
  (
    await env.DB.prepare('SELECT id FROM order_history WHERE store_id = ? ORDER BY id')
      .bind(storeId)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

const manifest = async (storeId: string) =>
  (
    await env.DB.prepare('SELECT month, key, orders, bytes FROM order_archives WHERE store_id = ? ORDER BY month')
      .bind(storeId)
      .all<{ month: string; key: string; orders: number; bytes: number }>()
  ).results;

const objectOf = async (key: string) => {
  const obj = await env.ARCHIVE.get(key);
  return obj ? latestOrders(new Uint8Array(await obj.arrayBuffer())) : [];
};

/**
 * Ana's history at one store: two orders 440 days ago (one with a note for the kitchen),
 * one 480 days ago (another month), two from this week; Bo ordered on Ana's old day too.
 */
async function yearsOfOrders() {
  // The orders and the day `age` names for them (from the clock after them) share a business
  // day, and so a month.
  await roomInHour();
  const { storeId, admin, staff } = await openStore();
  await holdStoreEvents(storeId);
  const ana = await wechatMember();
  const bo = await wechatMember();
  const noted = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: ana.token,
    body: { mode: 'pickup', lines: [teaEgg(1)], note: 'no chilli, ring 302' },
  });
  expect(noted.status, noted.text).toBe(201);
  const old1 = await completedOrder(storeId, staff, ana.token, [potstickers(2)]);
  const old2 = await completedOrder(storeId, staff, ana.token, [teaEgg(3)]);
  const older = await completedOrder(storeId, staff, ana.token, [potstickers(1)]);
  const bos = await completedOrder(storeId, staff, bo.token, [potstickers(1), teaEgg(1)]);
  const recent1 = await completedOrder(storeId, staff, ana.token, [teaEgg(1)]);
  const recent2 = await completedOrder(storeId, staff, ana.token, [potstickers(1)]);
  const oldDay = await age([noted.json.id, old1.id, old2.id, bos.id], 440);
  const olderDay = await age([older.id], 480);
  return {
    storeId,
    admin,
    ana,
    bo,
    noted: noted.json.id as string,
    old1,
    old2,
    older,
    bos,
    recent1,
    recent2,
    oldDay,
    olderDay,
  };
}

describe('order history older than ORDER_ARCHIVE_AFTER_DAYS lives in R2, and still counts', () => {
  it('archives whole months, keeps showing them to the member, rebuilds the same rollups and erases them too', async () => {
    const s = await yearsOfOrders();
    const oldIds = [s.noted, s.old1.id, s.old2.id, s.bos.id, s.older.id];
    // The rollups of the old day, derived while D1 still held it.
    await runQueuedJobs(() =>
      call('/v1/admin/analytics/rebuild', {
        method: 'POST',
        token: s.admin,
        body: { from: s.olderDay, to: s.oldDay, storeId: s.storeId },
      }),
    );
    const rollupsBefore = await storedRollups(s.storeId, s.oldDay);
    const dayRow = rollupsBefore.find((r) => r.dim === 'day');
    expect(dayRow).toMatchObject({ orders: 3, revenue: s.old1.total + s.old2.total + s.bos.total });
    const before = await allMyOrders(s.ana.token, 50);
    expect(before.items).toHaveLength(6);

    // The nightly job: one object per store and month, a manifest row each, the rows gone from D1.
    const first = await archive();
    const months = await manifest(s.storeId);
    expect(months.map((m) => m.month)).toEqual([s.olderDay.slice(0, 7), s.oldDay.slice(0, 7)]);
    expect(months.map((m) => m.key)).toEqual(months.map((m) => `orders/${s.storeId}/${m.month}.ndjson`));
    expect(months.map((m) => m.orders)).toEqual([1, 4]);
    for (const m of months) {
      const head = await env.ARCHIVE.head(m.key);
      expect(head?.size).toBe(m.bytes);
    }
    expect((await objectOf(months[1]!.key)).map((o) => o.id).sort()).toEqual(
      [s.noted, s.old1.id, s.old2.id, s.bos.id].sort(),
    );
    expect(await historyIds(s.storeId)).toEqual([s.recent1.id, s.recent2.id].sort());
    expect(first.runs).toBeGreaterThan(0);

    // Ana pages past this week's orders into the archived months: same items, same order, same shape.
    const after = await allMyOrders(s.ana.token, 2);
    expect(after.pages).toHaveLength(3);
    expect([...after.pages[0]!].sort()).toEqual([s.recent1.id, s.recent2.id].sort());
    expect(after.pages.slice(1).flat().sort()).toEqual(oldIds.filter((id) => id !== s.bos.id).sort());
    expect(after.pages[2]!.at(-1)).toBe(s.older.id);
    expect(after.items).toEqual(before.items);

    // A rerun archives nothing twice; a crash between the write and the delete loses nothing.
    const etags = await Promise.all(months.map(async (m) => (await env.ARCHIVE.head(m.key))?.etag));
    await archive();
    expect(await manifest(s.storeId)).toEqual(months);
    expect(await Promise.all(months.map(async (m) => (await env.ARCHIVE.head(m.key))?.etag))).toEqual(etags);
    const line = (await objectOf(months[1]!.key)).find((o) => o.id === s.old1.id)!;
    await env.DB.prepare(
      `INSERT INTO order_history (id, brand_id, store_id, member_id, ticket_no, mode, status, total, body, last_seq,
         created_at, updated_at, business_day, local_hour) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
      .bind(
        line.id,
        line.brandId,
        line.storeId,
        line.memberId,
        line.ticketNo,
        line.mode,
        line.status,
        line.total,
        line.body,
        line.lastSeq,
        line.createdAt,
        line.updatedAt,
        line.businessDay,
        line.localHour,
      )
      .run();
    expect((await allMyOrders(s.ana.token, 50)).items).toEqual(before.items);
    await archive();
    expect(await historyIds(s.storeId)).toEqual([s.recent1.id, s.recent2.id].sort());
    expect(await manifest(s.storeId)).toEqual(months);
    expect((await env.ARCHIVE.head(months[1]!.key))?.etag).toBe(etags[1]);

    // A rebuild of the archived day reads it back from R2: the same revenue and counts.
    await env.DB.prepare('DELETE FROM analytics_rollups WHERE store_id = ? AND day = ?')
      .bind(s.storeId, s.oldDay)
      .run();
    await runQueuedJobs(() =>
      call('/v1/admin/analytics/rebuild', {
        method: 'POST',
        token: s.admin,
        body: { from: s.oldDay, to: s.oldDay, storeId: s.storeId },
      }),
    );
    expect(await storedRollups(s.storeId, s.oldDay)).toEqual(rollupsBefore);
    expect(await historyIds(s.storeId)).toEqual([s.recent1.id, s.recent2.id].sort());

    // A dead letter about an archived order, re-driven a year on: its day is re-derived with the
    // archive, not from the one row the event writes back; the next night archives that row again.
    const redriven = (await outboxMessages(s.storeId)).filter((m) => m.body.order?.id === s.old1.id).at(-1)!;
    redriven.body.order.createdAt = new Date(line.createdAt).toISOString();
    expect((await deliver([redriven])).retryMessages).toEqual([]);
    expect(await historyIds(s.storeId)).toContain(s.old1.id);
    expect(await storedRollups(s.storeId, s.oldDay)).toEqual(rollupsBefore);
    await archive();
    expect(await historyIds(s.storeId)).toEqual([s.recent1.id, s.recent2.id].sort());
    expect((await manifest(s.storeId)).map((x) => x.orders)).toEqual([1, 4]);

    // Ana's export holds her archived orders too.
    const exported = await call('/v1/members/me/export', { token: s.ana.token });
    expect(exported.status, exported.text).toBe(200);
    expect((exported.json.orders as { id: string }[]).map((o) => o.id).sort()).toEqual(
      before.items.map((o) => o.id as string).sort(),
    );

    // Ana is erased: her archived orders lose their note; Bo's line is as it was; amounts stay.
    const bosLine = (await objectOf(months[1]!.key)).find((o) => o.id === s.bos.id);
    expect(JSON.parse((await objectOf(months[1]!.key)).find((o) => o.id === s.noted)!.body).note).toBe(
      'no chilli, ring 302',
    );
    expect((await call('/v1/members/me', { method: 'DELETE', token: s.ana.token })).status).toBe(200);
    const erased = await objectOf(months[1]!.key);
    const notedLine = erased.find((o) => o.id === s.noted)!;
    expect(JSON.parse(notedLine.body).note).toBeNull();
    expect(notedLine.total).toBe(before.items.find((o) => o.id === s.noted)!.total);
    expect(erased.find((o) => o.id === s.bos.id)).toEqual(bosLine);
    const raw = await (await env.ARCHIVE.get(months[1]!.key))!.text();
    expect(raw).not.toContain('ring 302');
    const m = await manifest(s.storeId);
    expect(m[1]!.bytes).toBe((await env.ARCHIVE.head(months[1]!.key))?.size);
    expect(m.map((x) => x.orders)).toEqual([1, 4]);
    expect(oldIds.length).toBe(5);
  });

  it('a backlog is archived a bounded number of months a run, the rest queued as the next run', async () => {
    const { storeId, staff } = await openStore();
    await holdStoreEvents(storeId);
    const ana = await wechatMember();
    const orders = [];
    for (let i = 0; i < 3; i++) orders.push(await completedOrder(storeId, staff, ana.token, [teaEgg(1)]));
    for (const [i, o] of orders.entries()) await age([o.id], 440 + 40 * i);
    const sent = vi.spyOn(env.JOBS_QUEUE, 'send').mockResolvedValue(undefined as never);
    try {
      const run = await archiveOrders(env, Date.now(), 2);
      expect(run.done).toBe(false);
      expect(run.archived).toHaveLength(2);
      expect(sent).toHaveBeenCalledWith(expect.objectContaining({ job: 'orders.archive' }), { contentType: 'json' });
    } finally {
      sent.mockRestore();
    }
    expect(await historyIds(storeId)).toEqual([orders[0]!.id]);
    const rest = await archive();
    expect(rest.runs).toBe(1);
    expect(await historyIds(storeId)).toEqual([]);
    expect((await manifest(storeId)).map((m) => m.orders)).toEqual([1, 1, 1]);
    expect((await myOrders(ana.token, 10)).items.map((o) => o.id)).toEqual(orders.map((o) => o.id));
  });
});
