import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrderView } from '../../durable-objects/store/orders/order-types';
import { OwnHistory } from '../../durable-objects/store/orders/own-history';
import { Outbox } from '../../durable-objects/store/outbox';
import type { StoreDO } from '../../durable-objects/store/store.do';
import type { StoreEventMessage } from '../../queues/messages';
import { newMember, placePickup } from '../support/factories';
import { deliver } from '../support/outbox-delivery';
import { quietStore, sentByTheAlarm } from '../support/quiet-store';

const historyRow = (orderId: string) =>
  env.DB.prepare('SELECT last_seq AS seq, status FROM order_history WHERE id = ?')
    .bind(orderId)
    .first<{ seq: number; status: string }>();

/** Everything the store's alarm hands the events queue while `work` runs. */
async function sentWhile(storeId: string, work: () => Promise<void>): Promise<StoreEventMessage[]> {
  const stub = env.STORE.getByName(storeId);
  const sent: StoreEventMessage[] = [];
  await runInDurableObject(stub, (instance: StoreDO) => {
    const queue = (instance as unknown as { env: Env }).env.EVENTS_QUEUE;
    // Left in place across the object's later calls: its alarm may run before the test asks it to.
    const send = queue.sendBatch.bind(queue);
    vi.spyOn(queue, 'sendBatch').mockImplementation((batch) => {
      const messages = [...batch];
      for (const m of messages) sent.push(m.body as StoreEventMessage);
      return send(messages);
    });
  });
  await work();
  return sent;
}

afterEach(() => vi.restoreAllMocks());

const view = (eventSeq: number) =>
  ({
    id: `ord_${eventSeq}`,
    storeId: 'sto_x',
    memberId: 'mem_x',
    ticketNo: 'A001',
    mode: 'pickup',
    status: 'pending_payment',
    total: 1600,
    createdAt: new Date().toISOString(),
    eventSeq,
  }) as unknown as OrderView;
const clock = { timeZone: 'Asia/Shanghai', dayStartsAt: '04:00' };

describe("a guest's own placement is written to their history once, by the store", () => {
  it('its event reaches the queue marked as written, and the consumer spends no statement on it', async () => {
    const { storeId } = await quietStore();
    const guest = await newMember();
    let orderId = '';
    const sent = await sentWhile(storeId, async () => {
      orderId = (await placePickup(storeId, guest.token)).id;
      await sentByTheAlarm(storeId);
    });
    const placed = sent.find((e) => e.type === 'order.placed' && e.order.id === orderId);
    expect(placed).toMatchObject({ historyWritten: true });
    // The guest saw it in their list before the event left: the store's own write.
    const row = await historyRow(orderId);
    expect(row?.seq).toBe(placed!.seq);

    // Taken away to see who writes it: the marked event does not, the same event unmarked does.
    await env.DB.prepare('DELETE FROM order_history WHERE id = ?').bind(orderId).run();
    const message = (body: StoreEventMessage) => ({ id: `m${placed!.seq}`, timestamp: Date.now(), attempts: 1, body });
    const batches = vi.spyOn(env.DB, 'batch');
    expect((await deliver([message(placed!)])).retryMessages).toEqual([]);
    // An unpaid placement moves no figure either: the consumer's write stage sends D1 nothing.
    expect(batches).not.toHaveBeenCalled();
    batches.mockRestore();
    expect(await historyRow(orderId)).toBeNull();
    const { historyWritten: _w, ...unmarked } = placed as StoreEventMessage & { historyWritten?: true };
    expect((await deliver([message(unmarked as StoreEventMessage)])).retryMessages).toEqual([]);
    expect(await historyRow(orderId)).toMatchObject({ seq: placed!.seq, status: 'pending_payment' });
  });

  it("an event whose own write failed goes unmarked, so the consumer writes it: the guest's order is not lost", async () => {
    const failing = new OwnHistory(async () => {
      throw new Error('D1 unavailable');
    });
    await failing.record('brd_demo', view(7), clock, Date.now());
    expect(failing.wrote(7)).toBe(false);

    const working = new OwnHistory(async () => {});
    await working.record('brd_demo', view(8), clock, Date.now());
    await working.record('brd_demo', view(9), clock, Date.now());
    expect([working.wrote(8), working.wrote(9)]).toEqual([true, true]);
    // Sent: nothing of them is remembered any longer.
    working.sentUpTo(8);
    expect([working.wrote(8), working.wrote(9)]).toEqual([false, true]);
  });

  it('a send the queue refuses keeps what the store remembers, and the retry still marks the event', async () => {
    const { storeId } = await quietStore();
    const marks = await runInDurableObject(env.STORE.getByName(storeId), async (_i: StoreDO, state) => {
      const outbox = new Outbox(state.storage.sql);
      const history = new OwnHistory(async () => {});
      const { eventSeq: _s, ...payload } = view(0);
      const seq = outbox.append('order.placed', 'ord_0', { ...payload }, Date.now());
      await history.record('brd_demo', view(seq), clock, Date.now());
      const down = { sendBatch: async () => Promise.reject(new Error('queue down')) } as unknown as Queue;
      await expect(outbox.flush(down, storeId, 'brd_demo', Date.now(), history)).rejects.toThrow('queue down');
      const sent: StoreEventMessage[] = [];
      const up = {
        sendBatch: async (batch: { body: StoreEventMessage }[]) => {
          for (const m of batch) sent.push(m.body);
        },
      } as unknown as Queue;
      const count = await outbox.flush(up, storeId, 'brd_demo', Date.now(), history);
      return { count, sent, rememberedAfter: history.wrote(seq) };
    });
    expect(marks.count).toBeGreaterThanOrEqual(1);
    expect(marks.sent.find((e) => e.type === 'order.placed' && e.order.id === 'ord_0')).toMatchObject({
      historyWritten: true,
    });
    expect(marks.rememberedAfter).toBe(false);
  });
});
