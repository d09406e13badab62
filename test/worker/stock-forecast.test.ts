import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { dayBounds, shiftDay } from '../../domain/analytics/days';
import { businessDay } from '../../domain/store-settings';
import { roomInHour } from '../support/clock-windows';
import { openStore } from '../support/factories';
import { call, tokenFor } from '../support/http';

const CLOCK = { timeZone: 'Asia/Shanghai', dayStartsAt: '04:00' };
const WEEK = [10, 12, 11, 13, 20, 30, 25];

/** Eight weeks of rollups: potstickers sell the same every week, tea eggs grow by one a day. */
async function history(storeId: string, today: string) {
  const rows = [];
  for (let t = 0; t < 56; t++) {
    const day = shiftDay(today, t - 56);
    const units = { itm_potstickers: WEEK[t % 7]!, itm_teaegg: 10 + t + WEEK[t % 7]! };
    rows.push([day, 'day', '', null, 1, 0]);
    for (const [key, q] of Object.entries(units))
      rows.push([day, 'item', key, key === 'itm_teaegg' ? '茶叶蛋' : '煎锅贴', 1, q]);
  }
  await env.DB.batch(
    rows.map(([day, dim, key, name, orders, quantity]) =>
      env.DB.prepare(
        `INSERT INTO analytics_rollups (brand_id, store_id, day, dim, key, name, orders, quantity, updated_at)
         VALUES ('brd_demo', ?, ?, ?, ?, ?, ?, ?, 0)`,
      ).bind(storeId, day, dim, key, name, orders, quantity),
    ),
  );
}

/** A paid order of potstickers in history, placed at `at`. */
async function sold(storeId: string, day: string, at: number, quantity: number) {
  const id = `ord_${crypto.randomUUID().slice(0, 12)}_${storeId}`;
  const body = {
    id,
    paidAt: new Date(at).toISOString(),
    lines: [{ itemId: 'itm_potstickers', name: '煎锅贴', quantity }],
  };
  await env.DB.prepare(
    `INSERT INTO order_history (id, brand_id, store_id, ticket_no, mode, status, total, body, last_seq, created_at,
       updated_at, business_day, local_hour) VALUES (?, 'brd_demo', ?, 'A001', 'pickup', 'paid', 1600, ?, 1, ?, ?, ?, 12)`,
  )
    .bind(id, storeId, JSON.stringify(body), at, at, day)
    .run();
}

describe('the prep forecast', () => {
  it('suggests tomorrow per dish by the method with the lower backtest error, with velocity against last week', async () => {
    // The test's today and the server's (a moment later) must be one business day.
    await roomInHour();
    const { storeId, admin } = await openStore();
    const now = Date.now();
    const today = businessDay(now, CLOCK.timeZone, CLOCK.dayStartsAt);
    await history(storeId, today);
    // Today three sold by now; the same weekday last week one by the same time (and two after).
    const elapsed = now - dayBounds(today, CLOCK).start;
    const lastWeek = shiftDay(today, -7);
    await sold(storeId, today, now - elapsed / 2, 3);
    await sold(storeId, lastWeek, dayBounds(lastWeek, CLOCK).start + elapsed / 2, 1);
    await sold(storeId, lastWeek, dayBounds(lastWeek, CLOCK).start + elapsed + 60_000, 2);

    const res = await call(`/v1/admin/stores/${storeId}/stock/forecast`, { token: admin });
    expect(res.status, res.text).toBe(200);
    const f = res.json;
    expect(f).toMatchObject({
      storeId,
      today,
      date: shiftDay(today, 1),
      history: { days: 56, to: shiftDay(today, -1) },
    });
    expect(f.asOf).toMatch(/\+08:00$/);
    const [potstickers, teaEggs] = f.items;
    // Tomorrow is series index 57: its weekday slot is 57 % 7 = 1.
    expect(potstickers).toMatchObject({
      itemId: 'itm_potstickers',
      suggestion: { method: 'seasonal_naive', quantity: WEEK[1], forecast: WEEK[1] },
      backtest: { seasonalNaive: { days: 14, mae: 0, wape: 0 } },
      velocity: { today: { units: 3 }, sameWeekday: { weeks: 1, units: 1 }, ratio: 3 },
    });
    expect(teaEggs).toMatchObject({
      itemId: 'itm_teaegg',
      name: '茶叶蛋',
      suggestion: { method: 'holt_winters', quantity: 10 + 57 + WEEK[1]! },
      backtest: { seasonalNaive: { days: 14, mae: 7 } },
    });
    expect(teaEggs.backtest.holtWinters.mae).toBeLessThan(7);
    // Overall: every dish's 14 days; the chosen methods beat seasonal naive for all.
    expect(f.accuracy.chosen.days).toBe(28);
    expect(f.accuracy.chosen.mae).toBeLessThan(f.accuracy.seasonalNaive.mae);
  });

  it('a date outside today … 14 days ahead, or not a date, is 422 naming it; clerks get 403', async () => {
    const { storeId, admin } = await openStore();
    const past = await call(`/v1/admin/stores/${storeId}/stock/forecast?date=2001-01-01`, { token: admin });
    expect(past.status).toBe(422);
    expect(past.json.errors).toMatchObject([{ path: 'date' }]);
    const garbled = await call(`/v1/admin/stores/${storeId}/stock/forecast?date=2026-13-40`, { token: admin });
    expect(garbled.status).toBe(422);
    expect(garbled.json.errors).toMatchObject([{ path: 'date' }]);
    const clerk = await tokenFor('staff', { storeId, staffRole: 'clerk' });
    expect((await call(`/v1/admin/stores/${storeId}/stock/forecast`, { token: clerk })).status).toBe(403);
    const empty = await call(`/v1/admin/stores/${storeId}/stock/forecast`, { token: admin });
    expect(empty.json).toMatchObject({ items: [], history: { days: 0 }, accuracy: { chosen: null } });
  });
});
