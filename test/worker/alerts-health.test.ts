import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { firingAlerts } from '../../domain/alerts/evaluate';
import { defaultAlertThresholds } from '../../domain/alerts/thresholds';
import type { StoreDO } from '../../durable-objects/store/store.do';
import { paidPickup, pollingPrinter } from '../support/alerts';
import { roomInHour } from '../support/clock-windows';
import { newMember, openStore, potstickers } from '../support/factories';
import { call } from '../support/http';

// biome-ignore lint/suspicious/noExplicitAny: a test reaches the store's parts to inject a fault
const partsOf = (instance: StoreDO) => (instance as any).parts;

/** Staff mark the tea eggs sold out, and a guest's order for one is refused. */
async function guestFindsTeaEggsSoldOut(storeId: string, staff: string, guestToken: string) {
  await call(`/v1/stores/${storeId}/stock/itm_teaegg`, { method: 'PUT', token: staff, body: { count: 0 } });
  const soldOut = await call(`/v1/stores/${storeId}/orders`, {
    method: 'POST',
    token: guestToken,
    body: { mode: 'pickup', lines: [{ itemId: 'itm_teaegg', quantity: 1 }] },
  });
  expect(soldOut.json.code).toBe('order.sold_out');
}

describe('a store measures its own health', () => {
  it('counts each placement by outcome: a success, a guest’s sold-out, a failure of the store; a replay is not counted', async () => {
    // The sold-out count is the business day's: a turnover before the guest's order would restock it.
    await roomInHour();
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      headers: { 'Idempotency-Key': 'alerts-health-key-1' },
      body: { mode: 'pickup', lines: [potstickers()] },
    });
    expect(placed.status, placed.text).toBe(201);
    const replay = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      headers: { 'Idempotency-Key': 'alerts-health-key-1' },
      body: { mode: 'pickup', lines: [potstickers()] },
    });
    expect(replay.status).toBeLessThan(300);

    await guestFindsTeaEggsSoldOut(storeId, staff, guest.token);

    // The menu store fails under the placement: the guest gets a 500, the store counts a failure.
    const stub = env.STORE.getByName(storeId);
    await runInDurableObject(stub, (instance: StoreDO) => {
      vi.spyOn(partsOf(instance).menu, 'at').mockImplementation(async () => {
        throw new Error('KV unavailable');
      });
    });
    const broken = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers()] },
    });
    expect(broken.status).toBe(500);
    await runInDurableObject(stub, (instance: StoreDO) => vi.mocked(partsOf(instance).menu.at).mockRestore());

    const health = await stub.health();
    expect(health.placements).toMatchObject({ ok: 1, guestErrors: 1, failed: 1, turnedAway: 0 });
    expect(health.placements.p95Ms).toBeGreaterThanOrEqual(0);
  });

  it('a placement that went through is written with its outbox alarm, a refusal at once: a store evicted after either still knows it', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const stub = env.STORE.getByName(storeId);
    const written = () =>
      runInDurableObject(stub, (_i: StoreDO, state) =>
        state.storage.sql
          .exec('SELECT outcome FROM placement_samples ORDER BY at')
          .toArray()
          .map((r) => r.outcome),
      );
    const before = await written();
    const placed = await call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers()] },
    });
    expect(placed.status, placed.text).toBe(201);
    // Noted, not yet a commit of its own, while its outbox event waits. On a slow machine the
    // alarm that sends it (2 s after an unpaid order) may have run already, and written it.
    const soon = await runInDurableObject(stub, (_i: StoreDO, state) => ({
      eventWaits:
        state.storage.sql.exec('SELECT 1 FROM outbox WHERE order_id = ? AND sent_at IS NULL', placed.json.id).toArray()
          .length > 0,
      outcomes: state.storage.sql
        .exec('SELECT outcome FROM placement_samples ORDER BY at')
        .toArray()
        .map((r) => r.outcome),
    }));
    expect(soon.outcomes).toEqual(soon.eventWaits ? before : [...before, 'ok']);
    await runDurableObjectAlarm(stub);
    expect(await written()).toEqual([...before, 'ok']);

    await guestFindsTeaEggsSoldOut(storeId, staff, guest.token);
    expect(await written()).toEqual([...before, 'ok', 'guest_error']);
  });

  it('a slow placement sets the window’s p95, and the window forgets it after 15 minutes', async () => {
    const { storeId } = await openStore();
    const stub = env.STORE.getByName(storeId);
    await runInDurableObject(stub, async (instance: StoreDO) => {
      await partsOf(instance).samples.measure(async () => {
        await scheduler.wait(1600);
        return { ok: true, value: { replayed: false } };
      });
    });
    const now = Date.now();
    const slow = await stub.health({}, now);
    expect(slow.placements.ok).toBe(1);
    expect(slow.placements.p95Ms).toBeGreaterThanOrEqual(1500);
    const later = await stub.health({}, now + 15 * 60_000 + 1);
    expect(later.placements).toMatchObject({ ok: 0, p95Ms: null });
  });

  it('a printer that stopped polling shows its silence, and fires once the store is open', async () => {
    const { storeId, admin } = await openStore();
    const printer = await pollingPrinter(storeId, admin);
    const stub = env.STORE.getByName(storeId);
    const inThreeMinutes = Date.now() + 180_000;
    const health = await stub.health({ printerIds: [printer.id] }, inThreeMinutes);
    expect(health.printers).toEqual([
      expect.objectContaining({ deviceId: printer.id, status: 'online', waitingJobs: 0 }),
    ]);
    expect(inThreeMinutes - health.printers[0]!.lastPollAt).toBeGreaterThan(120_000);
    expect(firingAlerts(health, defaultAlertThresholds, true).map((a) => a.kind)).toEqual(['printer_offline']);
    // A revoked printer (not in the enrolled list) is not missed.
    expect((await stub.health({ printerIds: [] }, inThreeMinutes)).printers).toEqual([]);
  });

  it('a printer out of paper keeps its jobs waiting: the oldest one’s age is reported', async () => {
    const { storeId, admin } = await openStore();
    const printer = await pollingPrinter(storeId, admin);
    const guest = await newMember();
    await paidPickup(storeId, guest.token, [potstickers()]);
    expect((await printer.poll('410%20Out%20of%20paper')).json.jobReady).toBe(true);
    const health = await env.STORE.getByName(storeId).health({ printerIds: [printer.id] });
    expect(health.printers[0]).toMatchObject({ status: 'out of paper', waitingJobs: 2 });
    expect(health.printers[0]!.oldestWaitingAt).not.toBeNull();
  });

  it('orders in the kitchen past their promised time are late until ready (or forgotten after 6 hours)', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const first = await paidPickup(storeId, guest.token, [potstickers()]);
    await paidPickup(storeId, guest.token, [potstickers(2)]);
    const stub = env.STORE.getByName(storeId);
    expect((await stub.health()).lateTicketCount).toBe(0);

    const inTwoHours = Date.now() + 2 * 3600_000;
    const late = await stub.health({}, inTwoHours);
    expect(late.lateTicketCount).toBe(2);
    expect(late.lateTickets[0]).toMatchObject({ orderId: first.id, ticketNo: first.ticketNo });
    // The estimate shown to the guest (to the second), moved by the moment the kitchen got the order.
    const promised = late.lateTickets[0]!.promisedAt - Date.parse(first.estimatedReadyAt);
    expect(promised).toBeGreaterThanOrEqual(0);
    expect(promised).toBeLessThan(5_000);

    for (const action of ['accept', 'ready']) {
      const res = await call(`/v1/orders/${first.id}/${action}`, { method: 'POST', token: staff });
      expect(res.status, res.text).toBe(200);
    }
    expect((await stub.health({}, inTwoHours)).lateTicketCount).toBe(1);
    // Seven hours on, the order nobody marked ready is forgotten, not cooking.
    expect((await stub.health({}, Date.now() + 7 * 3600_000)).lateTicketCount).toBe(0);
  });
});
