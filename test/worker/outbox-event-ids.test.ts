import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../domain/time';
import { storeMigrations } from '../../durable-objects/store/migrations';
import { Outbox } from '../../durable-objects/store/outbox';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { newMember, openStore, placePickup } from '../support/factories';
import { call } from '../support/http';

type Stub = ReturnType<typeof env.STORE.getByName>;

const seqs = (stub: Stub) =>
  runInDurableObject(stub, (_i: StoreDO, state) =>
    state.storage.sql
      .exec<{ seq: number }>('SELECT seq FROM outbox ORDER BY seq')
      .toArray()
      .map((r) => r.seq),
  );

/** Runs the store's retention job now, as its nightly alarm would. */
async function retentionRound(stub: Stub) {
  await runInDurableObject(stub, async (_i: StoreDO, state) => {
    state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'retention'");
    await state.storage.setAlarm(Date.now() + 60_000);
  });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
}

const OLD_OUTBOX = `CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, order_id TEXT, payload TEXT NOT NULL,
  created_at INTEGER NOT NULL, sent_at INTEGER)`;

/** An outbox as it was before store migration 47, holding `rows` events, migrated; then one more event. */
async function migratedOutbox(name: string, rows: number, deleteAbove: number) {
  return runInDurableObject(env.STORE.getByName(name), (_i: StoreDO, state) => {
    const sql = state.storage.sql;
    sql.exec('DROP TABLE outbox');
    sql.exec(OLD_OUTBOX);
    for (let i = 1; i <= rows; i++) {
      sql.exec(
        "INSERT INTO outbox (type, order_id, payload, created_at, sent_at) VALUES ('order.updated', ?, '{}', ?, ?)",
        `ord_${i}`,
        i,
        i,
      );
    }
    sql.exec('DELETE FROM outbox WHERE seq > ?', deleteAbove);
    // 47, then the one later migration of the outbox (50), in the order a deployed object runs them.
    for (const version of [47, 50]) sql.exec(storeMigrations.find((m) => m.version === version)!.sql);
    const next = new Outbox(sql).append('order.updated', 'ord_next', {} as never, 100);
    return {
      next,
      rows: sql
        .exec<{ seq: number; type: string; order_id: string | null; sent: number }>(
          'SELECT seq, type, order_id, sent_at IS NOT NULL AS sent FROM outbox ORDER BY seq',
        )
        .toArray(),
    };
  });
}

describe("a store's event ids never repeat", () => {
  it('a quiet store whose every sent event aged out keeps the newest, and its next order gets the next id', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const stub = env.STORE.getByName(storeId);
    const place = async () => (await placePickup(storeId, guest.token)).id;
    const first = await place();
    expect((await call(`/v1/orders/${first}/cancel`, { method: 'POST', token: guest.token })).status).toBe(200);
    await stub.flushOutbox();
    const before = await seqs(stub);
    expect(before.length).toBeGreaterThanOrEqual(2);

    // Three quiet days: every event was sent long ago, past what the store keeps.
    await runInDurableObject(stub, (_i: StoreDO, state) => {
      state.storage.sql.exec(
        'UPDATE outbox SET sent_at = ?, created_at = ?',
        Date.now() - 3 * DAY,
        Date.now() - 3 * DAY,
      );
    });
    await retentionRound(stub);
    expect(await seqs(stub)).toEqual([before.at(-1)]);

    // Consumers drop an event id they have seen: the next event must not reuse one.
    await place();
    expect(await seqs(stub)).toEqual([before.at(-1)!, before.at(-1)! + 1]);
  });

  it('migration 47 keeps every event and its id, and carries over the highest id AUTOINCREMENT gave out', async () => {
    // The two newest events were already pruned: without the marker, seq 4 would be handed out again.
    const pruned = await migratedOutbox('outbox-migration-pruned', 5, 3);
    expect(pruned.rows).toEqual([
      { seq: 1, type: 'order.updated', order_id: 'ord_1', sent: 1 },
      { seq: 2, type: 'order.updated', order_id: 'ord_2', sent: 1 },
      { seq: 3, type: 'order.updated', order_id: 'ord_3', sent: 1 },
      { seq: 5, type: 'outbox.marker', order_id: null, sent: 1 },
      { seq: 6, type: 'order.updated', order_id: 'ord_next', sent: 0 },
    ]);
    expect(pruned.next).toBe(6);

    // Nothing pruned: no marker, and the next id follows the newest event.
    const whole = await migratedOutbox('outbox-migration-whole', 3, 3);
    expect(whole.rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(whole.next).toBe(4);
  });
});
