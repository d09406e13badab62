import { describe, expect, it } from 'vitest';
import { scheduleAt } from '../../domain/schedule';
import { STORE_JINGAN, STORE_PEOPLESQ, STORE_SG } from '../../schema/d1/seed';
import { createStore } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

const PEOPLESQ_A1_TOKEN = 'qr_c4b899771d8c9ed5b146';

/** HH:MM of the wall clock in a zone, `deltaMinutes` from now (wrapping at midnight). */
function wallClock(timeZone: string, deltaMinutes: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(Date.now())
      .map((p) => [p.type, p.value]),
  );
  const total = (((Number(parts.hour) * 60 + Number(parts.minute) + deltaMinutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

describe('finding a store', () => {
  it('a guest standing at Jing’an Temple sees the stores nearest first, with distances in metres', async () => {
    const res = await call('/v1/stores?lat=31.2235&lng=121.4456');
    expect(res.status).toBe(200);
    const items: { id: string; distanceMetres: number }[] = res.json.items;
    const distances = items.map((s) => s.distanceMetres);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    for (const d of distances) expect(Number.isInteger(d)).toBe(true);
    const seeded = items.filter((s) => [STORE_PEOPLESQ, STORE_JINGAN, STORE_SG].includes(s.id));
    expect(seeded.map((s) => s.id)).toEqual([STORE_JINGAN, STORE_PEOPLESQ, STORE_SG]);
    expect(seeded[0]!.distanceMetres).toBe(0);
    expect(seeded[1]!.distanceMetres).toBeGreaterThan(2_000);
    expect(seeded[1]!.distanceMetres).toBeLessThan(4_000);
    expect(seeded[2]!.distanceMetres).toBeGreaterThan(3_000_000);
  });

  it('a guest in Singapore sees the Chinatown store first', async () => {
    const res = await call('/v1/stores?lat=1.2839&lng=103.8446');
    expect(res.status).toBe(200);
    expect(res.json.items[0]).toMatchObject({ id: STORE_SG, distanceMetres: 0 });
  });

  it('without a position the list has no distances', async () => {
    const res = await call('/v1/stores');
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBeGreaterThanOrEqual(3);
    for (const s of res.json.items) expect(s).not.toHaveProperty('distanceMetres');
  });

  it('a latitude without a longitude is a 422 naming the missing field', async () => {
    const res = await call('/v1/stores?lat=31.2');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.code).toBe('validation.failed');
    expect(res.json.errors).toEqual([{ path: 'lng', message: expect.stringContaining('lat and lng') }]);
    const other = await call('/v1/stores?lng=121.4');
    expect(other.json.errors).toEqual([{ path: 'lat', message: expect.stringContaining('lat and lng') }]);
  });

  it('a latitude out of range or not a number is a 422 naming lat', async () => {
    for (const q of ['lat=91&lng=0', 'lat=north&lng=0']) {
      const res = await call(`/v1/stores?${q}`);
      expect(res.status, q).toBe(422);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('lat');
    }
  });
});

describe('whether a store is open now, in its own time zone', () => {
  it('the seeded stores report open-now consistently with their hours at their local time', async () => {
    for (const [id, offset] of [
      [STORE_PEOPLESQ, '+08:00'],
      [STORE_SG, '+08:00'],
    ] as const) {
      const res = await call(`/v1/stores/${id}`);
      expect(res.status).toBe(200);
      const store = res.json;
      expect(store.localTime.endsWith(offset)).toBe(true);
      const state = scheduleAt(store.openingHours, store.timeZone, Date.parse(store.localTime));
      expect(store.openNow).toBe(state.open);
      if (store.openNow) expect(Date.parse(store.closesAt)).toBe(state.until);
      else expect(Date.parse(store.opensAt)).toBe(state.next);
    }
  });

  it('the same hours make a New York store open while a Shanghai store is closed', async () => {
    const admin = await tokenFor('admin');
    // A two-hour slot around the current New York wall time: open there, 12–13 hours away in Shanghai.
    const hours = [{ days: [], start: wallClock('America/New_York', -60), end: wallClock('America/New_York', 60) }];
    const ny = await createStore(admin, { timeZone: 'America/New_York', openingHours: hours });
    const sh = await createStore(admin, { timeZone: 'Asia/Shanghai', openingHours: hours });

    const nyView = (await call(`/v1/stores/${ny.id}`)).json;
    expect(nyView.openNow).toBe(true);
    expect(nyView.localTime).toMatch(/-0[45]:00$/);
    expect(nyView.closesAt).toMatch(new RegExp(`T${hours[0]!.end}:00-0[45]:00$`));

    const shView = (await call(`/v1/stores/${sh.id}`)).json;
    expect(shView.openNow).toBe(false);
    expect(shView.localTime).toMatch(/\+08:00$/);
    expect(shView.opensAt).toMatch(new RegExp(`T${hours[0]!.start}:00\\+08:00$`));
  });

  it('a store marked closed is not open, whatever its hours', async () => {
    const admin = await tokenFor('admin');
    const store = await createStore(admin, { status: 'closed', openingHours: [] });
    const res = await call(`/v1/stores/${store.id}`);
    expect(res.json).toMatchObject({ status: 'closed', openNow: false });
  });

  it('an unknown store is a 404 problem', async () => {
    const res = await call('/v1/stores/sto_nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json.code).toBe('store.not_found');
  });
});

describe('scanning a table QR code', () => {
  it('resolves a seeded table to its store and table with the QR payload', async () => {
    const res = await call(`/v1/tables/${PEOPLESQ_A1_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.json.store).toMatchObject({ id: STORE_PEOPLESQ, timeZone: 'Asia/Shanghai' });
    expect(res.json.table).toMatchObject({ id: 'tbl_peoplesq_a1', storeId: STORE_PEOPLESQ, name: 'A1', seats: 4 });
    expect(res.json.table.qr.token).toBe(PEOPLESQ_A1_TOKEN);
    expect(res.json.table.qr.url).toContain(PEOPLESQ_A1_TOKEN);
    expect(res.json.table.qr.miniProgramPath).toContain(PEOPLESQ_A1_TOKEN);
  });

  it('an unknown code is a 404 problem telling the guest to ask staff', async () => {
    const res = await call('/v1/tables/qr_000000000000000000000000');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.json).toMatchObject({ status: 404, code: 'table.qr_unknown' });
  });
});
