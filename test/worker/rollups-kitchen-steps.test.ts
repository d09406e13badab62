import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { orderDay } from '../../domain/analytics/days';
import { Outbox } from '../../durable-objects/store/outbox';
import type { StoreDO } from '../../durable-objects/store/store.do';
import type { StoreEventMessage } from '../../queues/messages';
import { roomInHour } from '../support/clock-windows';
import { newMember, openStore, potstickers, teaEgg } from '../support/factories';
import { completeOrder, paidOrder } from '../support/loyalty';
import { deliver, outboxMessages } from '../support/outbox-delivery';
import { referenceRollups, storedRollups } from '../support/rollups';

const SHANGHAI = { timeZone: 'Asia/Shanghai', dayStartsAt: '04:00' };

type Message = Awaited<ReturnType<typeof outboxMessages>>[number];
const statusOf = (m: Message) => (m.body.order as { status: string }).status;

/** A member's pickup, paid and taken through the kitchen to completed, its events not yet delivered. */
async function aCompletedPickup() {
  await roomInHour();
  const { storeId, staff } = await openStore();
  const guest = await newMember();
  const order = await paidOrder(storeId, guest.token, [potstickers(2), teaEgg(1)]);
  await completeOrder(order.id, staff);
  const day = orderDay(Date.now(), SHANGHAI).businessDay;
  const messages = (await outboxMessages(storeId)).filter((m) => m.body.type === 'order.status_changed');
  const paid = messages.find((m) => statusOf(m) === 'paid')!;
  const steps = messages.filter((m) => m !== paid);
  return { storeId, order, day, paid, steps };
}

const dayRevenue = async (storeId: string, day: string) =>
  (await storedRollups(storeId, day)).find((r) => r.dim === 'day')?.revenue;

describe("the kitchen's steps re-derive no business day", () => {
  it("the store's outbox sends a paid order's kitchen steps marked as moving no figure, and its payment unmarked", async () => {
    const { storeId, order } = await aCompletedPickup();
    const sent: StoreEventMessage[] = [];
    const queue = {
      sendBatch: async (batch: Iterable<{ body: StoreEventMessage }>) => {
        for (const m of batch) sent.push(m.body);
      },
    } as unknown as Queue;
    await runInDurableObject(env.STORE.getByName(storeId), async (_i: StoreDO, state) => {
      // Sent already by the store's alarm: sent again, as after a crash between the send and its mark.
      state.storage.sql.exec('UPDATE outbox SET sent_at = NULL WHERE order_id = ?', order.id);
      await new Outbox(state.storage.sql).flush(queue, storeId, 'brd_demo', Date.now());
    });
    const ofOrder = sent.filter((e) => e.type === 'order.status_changed' && e.order.id === order.id);
    const marks = ofOrder.map((e) => [
      (e as { order: { status: string } }).order.status,
      (e as { figuresUnchanged?: true }).figuresUnchanged ?? false,
    ]);
    expect(marks).toEqual([
      ['paid', false],
      ['accepted', true],
      ['preparing', true],
      ['ready', true],
      ['picked_up', true],
      ['completed', true],
    ]);
  });

  it('delivered on their own, after the payment, the steps leave the figures as the payment set them', async () => {
    const { storeId, order, day, paid, steps } = await aCompletedPickup();
    await deliver([paid]);
    expect(await dayRevenue(storeId, day)).toBe(order.total);
    // Had any step re-derived the day, it would have mended this.
    await env.DB.prepare("UPDATE analytics_rollups SET revenue = 0 WHERE store_id = ? AND dim = 'day'")
      .bind(storeId)
      .run();
    for (const step of steps) expect((await deliver([step])).explicitAcks).toContain(step.id);
    expect(await dayRevenue(storeId, day)).toBe(0);
    // The payment's event, redelivered, re-derives it.
    await deliver([paid]);
    expect(await dayRevenue(storeId, day)).toBe(order.total);
    expect(await storedRollups(storeId, day)).toEqual(await referenceRollups(storeId, day));
  });

  it("a step that reaches the consumer before its payment's event is counted once that event lands", async () => {
    const { storeId, order, day, paid, steps } = await aCompletedPickup();
    // The queue does not promise order: the completion first, the payment last.
    for (const step of [...steps].reverse()) await deliver([step]);
    expect(await dayRevenue(storeId, day)).toBeUndefined();
    await deliver([paid]);
    expect(await dayRevenue(storeId, day)).toBe(order.total);
    expect(await storedRollups(storeId, day)).toEqual(await referenceRollups(storeId, day));
  });
});
