import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { Jobs } from '../../durable-objects/store/jobs';
import { Outbox } from '../../durable-objects/store/outbox';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { placePickup } from '../support/factories';
import { quietStore, sentByTheAlarm } from '../support/quiet-store';

const waiting = (sql: SqlStorage) =>
  sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').one().n;

/** An event as staff setting a dish's count appends it. */
const STOCK_SET = {
  itemId: 'itm_potstickers',
  name: '煎锅贴',
  remaining: 20,
  reason: 'set' as const,
  businessDay: new Date().toISOString().slice(0, 10),
};

describe("the outbox's flush rides the store's alarm, with no job row of its own", () => {
  it('a lone order at a quiet store writes no flush job; the alarm 2 s on sends its event', async () => {
    const { storeId } = await quietStore();
    const stub = env.STORE.getByName(storeId);
    const before = Date.now();
    await placePickup(storeId);
    const armed = await runInDurableObject(stub, async (_i: StoreDO, state) => ({
      jobs: state.storage.sql.exec("SELECT kind FROM jobs WHERE kind = 'outbox'").toArray().length,
      waiting: waiting(state.storage.sql),
      alarm: await state.storage.getAlarm(),
    }));
    expect(armed.jobs).toBe(0);
    // Unless the alarm already ran (a slow machine), it is set for the unpaid order's flush.
    if (armed.waiting > 0) expect(armed.alarm).toBeGreaterThanOrEqual(before + 2_000);
    await sentByTheAlarm(storeId);
  });

  it('an object that starts again with events unsent and no alarm set sends them at once', async () => {
    const { storeId } = await quietStore();
    const stub = env.STORE.getByName(storeId);
    const alarm = await runInDurableObject(stub, async (_i: StoreDO, state) => {
      // The object died between its commit and setting the alarm: the event is its only record.
      const sql = state.storage.sql;
      new Outbox(sql).append('stock.changed', null, STOCK_SET, Date.now());
      await state.storage.deleteAlarm();
      expect(waiting(sql)).toBe(1);
      // A fresh object's memory: nothing known of a flush.
      const fresh = new Jobs(sql, state.storage, () => new Outbox(sql).waiting());
      await fresh.arm();
      return state.storage.getAlarm();
    });
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now());
    await sentByTheAlarm(storeId);
  });

  it('a flush that fails keeps the events and comes back 5 s later, whatever else the alarm did', async () => {
    const { storeId } = await quietStore();
    const stub = env.STORE.getByName(storeId);
    const after = await runInDurableObject(stub, async (instance: StoreDO, state) => {
      // An event waits (appended here, so no alarm of the runtime's can send it first), and the
      // queue refuses the send.
      new Outbox(state.storage.sql).append('stock.changed', null, STOCK_SET, Date.now());
      const queue = (instance as unknown as { env: Env }).env.EVENTS_QUEUE;
      const refused = [
        vi.spyOn(queue, 'sendBatch').mockRejectedValue(new Error('queue down')),
        vi.spyOn(queue, 'send').mockRejectedValue(new Error('queue down')),
      ];
      const at = Date.now();
      try {
        // As the runtime runs an alarm: the one set is used up. The night's pruning falls due in
        // the same alarm, and it re-arms the alarm while the events still wait.
        await state.storage.deleteAlarm();
        state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'retention'");
        await instance.alarm();
      } finally {
        for (const spy of refused) spy.mockRestore();
      }
      return { at, waiting: waiting(state.storage.sql), alarm: await state.storage.getAlarm() };
    });
    expect(after.waiting).toBe(1);
    expect(after.alarm).toBeGreaterThanOrEqual(after.at + 5_000);
    expect(after.alarm).toBeLessThan(after.at + 6_000);
  });
});
