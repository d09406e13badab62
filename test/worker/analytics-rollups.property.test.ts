import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shiftDay } from '../../domain/analytics/days';
import { isCancelled, type RollupRow, rollupDay } from '../../domain/analytics/rollup';
import { diningTables, payments, refunds, stores } from '../../schema/d1/tables';
import { db } from '../../worker/lib/db';
import { unique } from '../support/factories';
import { deliver } from '../support/outbox-delivery';
import { CLOCK, concreteDay, DAY, dayArb, type GeneratedDay, within } from '../support/rollup-arbitraries';
import { storedRollups } from '../support/rollups';

/** A store of the demo brand, written straight into D1 (no menu: events are made by hand). */
async function bareStore(tables: number) {
  const id = unique('sto_p');
  const d = db(env);
  await d.insert(stores).values({
    id,
    brandId: 'brd_demo',
    name: id,
    lat: 31.2,
    lng: 121.4,
    timeZone: CLOCK.timeZone,
    settings: JSON.stringify({ dayStartsAt: CLOCK.dayStartsAt }),
    createdAt: 0,
    updatedAt: 0,
  });
  for (let i = 0; i < tables; i++) {
    await d
      .insert(diningTables)
      .values({ id: `${id}_t${i}`, storeId: id, name: `T${i}`, qrToken: `${id}_q${i}`, createdAt: 0 });
  }
  return id;
}

/** Payments and refunds go straight to D1, as the payments service would have left them. */
async function money(storeId: string, day: GeneratedDay) {
  const d = db(env);
  for (const p of day.payments) {
    await d.insert(payments).values({
      ...p,
      brandId: 'brd_demo',
      storeId,
      purpose: 'order',
      method: p.method as 'wechat',
      status: 'succeeded',
      expiresAt: 0,
      createdAt: 0,
    });
  }
  for (const r of day.refundsAll) {
    await d.insert(refunds).values({
      id: r.id,
      paymentId: r.paymentId,
      orderId: r.orderId,
      amount: r.amount,
      status: r.status as 'succeeded',
      reason: 'test',
      lines: JSON.stringify(r.lines),
      createdAt: 0,
    });
  }
}

/** The store's events: each order placed (unpaid), then as it ended; each seating closed. */
function events(storeId: string, day: GeneratedDay) {
  let seq = 0;
  const message = (body: Record<string, unknown>) => {
    seq += 1;
    return {
      id: `m${seq}`,
      timestamp: new Date(),
      attempts: 1,
      body: { eventId: `${storeId}:${seq}`, storeId, brandId: 'brd_demo', seq, occurredAt: within(seq), ...body },
    };
  };
  const out = [];
  for (const o of day.orders) {
    const order = {
      id: o.id,
      memberId: o.memberId,
      ticketNo: 'A001',
      mode: o.mode,
      createdAt: new Date(o.createdAt).toISOString(),
      total: o.total,
      discountTotal: o.discountTotal,
      lines: o.lines,
      sessionId: o.sessionId,
      addedBy: o.addedBy,
    };
    out.push(message({ type: 'order.placed', order: { ...order, status: 'pending_payment', paidAt: null } }));
    out.push(
      message({
        type: 'order.updated',
        order: { ...order, status: o.status, paidAt: o.paid ? new Date(o.createdAt + 60_000).toISOString() : null },
      }),
    );
  }
  for (const s of day.seatings) {
    out.push(
      message({
        type: 'session.closed',
        session: { sessionId: s.id, tableId: 't', openedAt: s.openedAt, closedAt: s.closedAt, diners: s.diners },
      }),
    );
  }
  return out;
}

/** Rows with every figure zero are "no data": a key the day no longer has. */
const meaningful = (rows: Omit<RollupRow, 'name'>[]) =>
  rows
    .filter((r) => Object.entries(r).some(([k, v]) => k !== 'dim' && k !== 'key' && k !== 'name' && v !== 0))
    .map((r) => ({ ...r }))
    .sort((a, b) => `${a.dim}|${a.key}`.localeCompare(`${b.dim}|${b.key}`));

describe('the rollup upkeep in D1 is the reference model', () => {
  it('a day’s rows are the sum of its orders, whatever the batches, their order and their replays', async () => {
    await fc.assert(
      fc.asyncProperty(dayArb, fc.integer({ min: 1, max: 5 }), fc.integer(), async (g, batchSize, seed) => {
        // A day nothing happened on has no rows at all (no event touched it), nor has one whose
        // orders moved no figure (none paid or cancelled): their events cost no recompute.
        const day = concreteDay(g, unique('p'));
        fc.pre(day.seatings.length > 0 || day.orders.some((o) => o.paid || isCancelled(o.status)));
        const storeId = await bareStore(g.tables);
        await money(storeId, day);
        const messages = events(storeId, day);
        // Shuffled, in batches, then all of it again: late and replayed events change nothing.
        const shuffled = [...messages].sort(
          (a, b) => ((a.body.seq * 7919 + seed) % 97) - ((b.body.seq * 7919 + seed) % 97),
        );
        for (let i = 0; i < shuffled.length; i += batchSize) {
          const result = await deliver(shuffled.slice(i, i + batchSize) as never);
          expect(result.retryMessages).toEqual([]);
        }
        await deliver(messages as never);
        expect(meaningful(await storedRollups(storeId, DAY))).toEqual(meaningful(rollupDay(day)));
      }),
      { numRuns: 20 },
    );
  });

  it('a refund moves the net revenue of the order’s own day, not of the day it happens', async () => {
    const day = concreteDay(
      {
        orders: [
          {
            lines: [{ itemId: 'itm_a', name: '牛肉面', quantity: 2, total: 1600, discount: 0 }],
            mode: 'pickup',
            paid: true,
            fate: 'completed',
            member: null,
            session: 'ses_1',
            diner: 'member:x',
            minute: 600,
            split: false,
            methods: ['wechat', 'wechat'],
            refunds: [],
          },
        ],
        seatings: [],
        tables: 0,
      },
      unique('r'),
    );
    const storeId = await bareStore(0);
    await money(storeId, day);
    await deliver(events(storeId, day) as never);
    const order = day.orders[0]!;
    // Next day the guest is refunded one bowl: the refund and the event both happen on DAY + 1.
    const nextDay = within(30 * 3_600_000);
    await db(env)
      .insert(refunds)
      .values({
        id: unique('rfd'),
        paymentId: day.payments[0]!.id,
        orderId: order.id,
        amount: 800,
        status: 'succeeded',
        reason: 'late',
        lines: '[{"index":0,"quantity":1}]',
        createdAt: nextDay,
      });
    await deliver([
      {
        id: 'late',
        timestamp: new Date(),
        attempts: 1,
        body: {
          eventId: `${storeId}:99`,
          storeId,
          brandId: 'brd_demo',
          seq: 99,
          occurredAt: nextDay,
          type: 'order.status_changed',
          order: {
            id: order.id,
            memberId: null,
            ticketNo: 'A001',
            mode: 'pickup',
            status: 'completed',
            total: order.total,
            createdAt: new Date(order.createdAt).toISOString(),
            paidAt: new Date(order.createdAt).toISOString(),
            lines: order.lines,
            discountTotal: 0,
            sessionId: null,
            addedBy: 'member:x',
          },
        },
      },
    ] as never);
    const own = await storedRollups(storeId, DAY);
    expect(own.find((r) => r.dim === 'day')).toMatchObject({ revenue: 1600, refunds: 800 });
    expect(own.find((r) => r.dim === 'item')).toMatchObject({ refunds: 800, refundQuantity: 1 });
    expect(await storedRollups(storeId, shiftDay(DAY, 1))).toEqual([]);
  });

  it('a table seated twice in a day counts two seatings, however often the closes are replayed', async () => {
    const storeId = await bareStore(1);
    const closes = [0, 1].map((n) => ({
      id: `c${n}`,
      timestamp: new Date(),
      attempts: 1,
      body: {
        eventId: `${storeId}:${n + 1}`,
        storeId,
        brandId: 'brd_demo',
        seq: n + 1,
        occurredAt: within(n),
        type: 'session.closed',
        session: {
          sessionId: `${storeId}_s${n}`,
          tableId: `${storeId}_t0`,
          openedAt: within(n * 7_200_000),
          closedAt: within(n * 7_200_000 + 45 * 60_000),
          diners: 2,
        },
      },
    }));
    for (let i = 0; i < 3; i++) await deliver(closes as never);
    const whole = (await storedRollups(storeId, DAY)).find((r) => r.dim === 'day');
    expect(whole).toMatchObject({ seatings: 2, tables: 1, guests: 4, turnMinutes: 90 });
  });
});
