import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../domain/time';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';
import { deliver, outboxMessages } from '../support/outbox-delivery';

type Stub = ReturnType<typeof env.STORE.getByName>;

const sqlIn = <T extends Record<string, SqlStorageValue>>(stub: Stub, query: string, ...args: unknown[]) =>
  runInDurableObject(stub, (_i: StoreDO, state) => state.storage.sql.exec<T>(query, ...args).toArray());

/** Runs the store's retention job now, as its alarm would; returns when it wants to run next. */
async function retentionRound(stub: Stub): Promise<number> {
  await runInDurableObject(stub, async (_i: StoreDO, state) => {
    state.storage.sql.exec("UPDATE jobs SET due_at = 1 WHERE kind = 'retention'");
    await state.storage.setAlarm(Date.now() + 60_000);
  });
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  return (await sqlIn<{ due_at: number }>(stub, "SELECT due_at FROM jobs WHERE kind = 'retention'"))[0]!.due_at;
}

/** Runs rounds until the job is next due tomorrow; returns how many it took. */
async function pruneFully(stub: Stub) {
  for (let rounds = 1; rounds <= 10; rounds++) {
    if ((await retentionRound(stub)) > Date.now() + HOUR) return rounds;
  }
  throw new Error('retention never finished');
}

/** What the store holds, table by table, by the keys the test named. */
async function holdings(stub: Stub) {
  const col = async (q: string) => (await sqlIn<{ k: string }>(stub, q)).map((r) => String(r.k)).sort();
  return {
    orders: await col('SELECT id AS k FROM orders'),
    tickets: await col("SELECT order_id || '/' || status AS k FROM kitchen_tickets WHERE order_id LIKE 'x_%'"),
    orderTickets: await col("SELECT order_id AS k FROM kitchen_tickets WHERE order_id NOT LIKE 'x_%'"),
    events: await col("SELECT count(*) || ':' || coalesce(min(order_id), '') AS k FROM kitchen_events"),
    printerJobs: await col('SELECT token AS k FROM printer_jobs'),
    outbox: await col(
      "SELECT coalesce(order_id, '') || ':' || (sent_at IS NULL) AS k FROM outbox WHERE order_id LIKE 'x_%'",
    ),
    sessions: await col('SELECT id AS k FROM table_sessions'),
  };
}

describe('retention inside a store', () => {
  it('the alarm prunes what the policy no longer keeps in bounded rounds, keeps what is still needed, and a second run changes nothing', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const stub = env.STORE.getByName(storeId);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = await call(`/v1/stores/${storeId}/orders`, {
        method: 'POST',
        token: guest.token,
        body: { mode: 'pickup', lines: [potstickers(1)] },
      });
      expect(placed.status, placed.text).toBe(201);
      expect((await call(`/v1/orders/${placed.json.id}/cancel`, { method: 'POST', token: guest.token })).status).toBe(
        200,
      );
      ids.push(placed.json.id);
    }
    const [done, lagging, recent] = ids as [string, string, string];
    await stub.flushOutbox();
    await deliver(await outboxMessages(storeId));
    // D1 has not yet heard that `lagging` was cancelled: the store's copy is still the only one.
    await env.DB.prepare("UPDATE order_history SET status = 'pending_payment' WHERE id = ?").bind(lagging).run();

    const now = Date.now();
    const old = now - 91 * DAY;
    const days3 = now - 3 * DAY;
    await runInDurableObject(stub, (_i: StoreDO, state) => {
      const sql = state.storage.sql;
      sql.exec('UPDATE orders SET updated_at = ? WHERE id IN (?, ?)', old, done, lagging);
      sql.exec(
        `INSERT INTO kitchen_tickets (order_id, station, body, status, created_at) VALUES
           (?1, 'hot', '{}', 'bumped', ?2), ('x_old_bumped', 'hot', '{}', 'bumped', ?3),
           ('x_old_open', 'hot', '{}', 'open', ?3), ('x_new_bumped', 'hot', '{}', 'bumped', ?4)`,
        done,
        old,
        days3,
        now,
      );
      sql.exec('DELETE FROM kitchen_events');
      // More old kitchen events than one round deletes, and one from today.
      for (let i = 0; i < 1200; i++) {
        sql.exec(
          "INSERT INTO kitchen_events (station, type, order_id, body, created_at) VALUES ('hot', 'ticket.urged', 'x_old', '{}', ?)",
          days3,
        );
      }
      sql.exec(
        "INSERT INTO kitchen_events (station, type, order_id, body, created_at) VALUES ('hot', 'ticket.urged', 'x_today', '{}', ?)",
        now,
      );
      sql.exec(
        `INSERT INTO printer_jobs (token, device_id, order_id, station, copy, add_on, created_at, attempts) VALUES
           ('job_old', 'dev', 'x1', 'hot', 1, 0, ?, 3), ('job_new', 'dev', 'x2', 'hot', 1, 0, ?, 0)`,
        days3,
        now,
      );
      sql.exec(
        `INSERT INTO outbox (type, order_id, payload, created_at, sent_at) VALUES
           ('order.updated', 'x_sent', '{}', ?1, ?1), ('order.updated', 'x_unsent', '{}', ?1, NULL)`,
        days3,
      );
      sql.exec(
        `INSERT INTO table_sessions (id, table_id, table_name, area, status, pay_later, opened_at, closed_at) VALUES
           ('ses_old_closed', 't1', 'A1', 'hall', 'closed', 0, ?1, ?1), ('ses_new_closed', 't1', 'A1', 'hall', 'closed', 0, ?2, ?2),
           ('ses_old_open', 't2', 'A2', 'hall', 'open', 0, ?1, NULL)`,
        old,
        now,
      );
    });

    // 1,201 kitchen events at 500 a round: the job comes back a second later until done.
    const rounds = await pruneFully(stub);
    expect(rounds).toBeGreaterThanOrEqual(3);

    const after = await holdings(stub);
    expect(after).toEqual({
      // Finished and 91 days old, with D1 holding its final status: gone, with its tickets.
      // The one D1 lacks stays, as does the recent one.
      orders: [lagging, recent].sort(),
      tickets: ['x_new_bumped/bumped', 'x_old_open/open'],
      orderTickets: [],
      events: ['1:x_today'],
      printerJobs: ['job_new'],
      // The unsent event was sent by this alarm, not deleted; sent today, it is kept a day.
      outbox: ['x_unsent:0'],
      sessions: ['ses_new_closed', 'ses_old_open'],
    });
    // The member's and the manager's history of the pruned order lives on in D1.
    const history = await env.DB.prepare('SELECT status FROM order_history WHERE id = ?').bind(done).first();
    expect(history).toEqual({ status: 'cancelled' });

    // Another night: nothing more goes.
    expect(await pruneFully(stub)).toBe(1);
    expect(await holdings(stub)).toEqual(after);
  });
});
