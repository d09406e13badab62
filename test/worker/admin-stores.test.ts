import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORE_JINGAN, STORE_PEOPLESQ } from '../../schema/d1/seed';
import {
  createDevice,
  createStore,
  createTable,
  ensureRivalBrand,
  type Json,
  RIVAL_BRAND_ID,
  unique,
} from '../support/fixtures';
import { call, tokenFor } from '../support/http';

let admin: string;
beforeAll(async () => {
  admin = await tokenFor('admin');
});

describe('a brand admin opens and runs stores', () => {
  it('opens a store with a location, a time zone and opening hours', async () => {
    const res = await call('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: {
        name: 'Tiffin 面馆 徐家汇店',
        address: '上海市徐汇区漕溪北路 1 号',
        city: '上海',
        location: { lat: 31.195, lng: 121.437 },
        timeZone: 'Asia/Shanghai',
        openingHours: [{ days: [], start: '10:00', end: '21:00' }],
      },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^sto_/),
      name: 'Tiffin 面馆 徐家汇店',
      status: 'active',
      location: { lat: 31.195, lng: 121.437 },
      timeZone: 'Asia/Shanghai',
      openingHours: [{ days: [], start: '10:00', end: '21:00' }],
      openNow: expect.any(Boolean),
    });
    const listed = (await call('/v1/admin/stores', { token: admin })).json.items.map((s: Json) => s.id);
    expect(listed).toContain(res.json.id);
    expect((await call(`/v1/stores/${res.json.id}`)).status).toBe(200);
  });

  it('an unknown time zone is a 422 naming timeZone', async () => {
    const res = await call('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: { name: 'Atlantis', location: { lat: 0, lng: 0 }, timeZone: 'Mars/Olympus_Mons' },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: 'timeZone', message: expect.stringContaining('Mars/Olympus_Mons') }]);
    const patch = await call(`/v1/admin/stores/${STORE_PEOPLESQ}`, {
      method: 'PATCH',
      token: admin,
      body: { timeZone: 'Asia/Shangai' },
    });
    expect(patch.status).toBe(422);
    expect(patch.json.errors[0].path).toBe('timeZone');
  });

  it('a store id already taken is a 409', async () => {
    const res = await call('/v1/admin/stores', {
      method: 'POST',
      token: admin,
      body: { id: STORE_PEOPLESQ, name: 'Copy', location: { lat: 0, lng: 0 }, timeZone: 'Asia/Shanghai' },
    });
    expect(res.status).toBe(409);
    expect(res.json.code).toBe('store.exists');
  });

  it('changes a store’s opening hours', async () => {
    const store = await createStore(admin, { openingHours: [{ days: [], start: '10:00', end: '21:00' }] });
    const hours = [
      { days: [1, 2, 3, 4, 5], start: '07:00', end: '22:00' },
      { days: [6, 7], start: '08:00', end: '02:00' },
    ];
    const res = await call(`/v1/admin/stores/${store.id}`, {
      method: 'PATCH',
      token: admin,
      body: { openingHours: hours },
    });
    expect(res.status).toBe(200);
    expect(res.json.openingHours).toEqual(hours);
    expect(res.json.name).toBe(store.name);
    expect((await call(`/v1/stores/${store.id}`)).json.openingHours).toEqual(hours);
  });

  it('opening hours with a malformed or empty slot are a 422 naming the slot', async () => {
    const store = await createStore(admin);
    const res = await call(`/v1/admin/stores/${store.id}`, {
      method: 'PATCH',
      token: admin,
      body: {
        openingHours: [
          { days: [1], start: '07:00', end: '22:00' },
          { days: [8], start: '25:00', end: '09:00' },
        ],
      },
    });
    expect(res.status).toBe(422);
    const paths = res.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['openingHours.1.days.0', 'openingHours.1.start']));
    const same = await call(`/v1/admin/stores/${store.id}`, {
      method: 'PATCH',
      token: admin,
      body: { openingHours: [{ start: '09:00', end: '09:00' }] },
    });
    expect(same.json.errors).toEqual([{ path: 'openingHours.0.end', message: 'start and end are the same' }]);
  });

  it('patching an unknown store is a 404', async () => {
    const res = await call('/v1/admin/stores/sto_nowhere', { method: 'PATCH', token: admin, body: { name: 'X' } });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('store.not_found');
  });
});

describe('tables and their QR codes', () => {
  it('adds a table whose QR payload carries its token, and the token resolves to it', async () => {
    const store = await createStore(admin);
    const res = await call(`/v1/admin/stores/${store.id}/tables`, {
      method: 'POST',
      token: admin,
      body: { name: 'B1', area: 'terrace', seats: 2 },
    });
    expect(res.status).toBe(201);
    const table = res.json;
    expect(table).toMatchObject({
      id: expect.stringMatching(/^tbl_/),
      storeId: store.id,
      name: 'B1',
      area: 'terrace',
      seats: 2,
    });
    expect(table.qr.token).toMatch(/^qr_[0-9a-f]{24}$/);
    expect(table.qr.url).toContain(table.qr.token);
    // H5_BASE_URL is empty: the QR opens the guest app this worker serves.
    expect(table.qr.url).toBe(`${env.PUBLIC_BASE_URL}/t/${table.qr.token}`);
    expect(table.qr.miniProgramPath).toContain(table.qr.token);

    const scanned = await call(`/v1/tables/${table.qr.token}`);
    expect(scanned.status).toBe(200);
    expect(scanned.json.table).toEqual(table);
    expect(scanned.json.store.id).toBe(store.id);

    const list = (await call(`/v1/admin/stores/${store.id}/tables`, { token: admin })).json.items;
    expect(list).toEqual([table]);
  });

  it('renames a table and changes its seats', async () => {
    const store = await createStore(admin);
    const table = await createTable(admin, store.id, { name: 'C1' });
    const res = await call(`/v1/admin/stores/${store.id}/tables/${table.id}`, {
      method: 'PATCH',
      token: admin,
      body: { name: 'C2', seats: 8 },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: table.id, name: 'C2', seats: 8, area: table.area, qr: table.qr });
  });

  it('rotating a QR code issues a new token; the old printed code stops working', async () => {
    const store = await createStore(admin);
    const table = await createTable(admin, store.id);
    const res = await call(`/v1/admin/stores/${store.id}/tables/${table.id}/rotate-qr`, {
      method: 'POST',
      token: admin,
    });
    expect(res.status).toBe(200);
    expect(res.json.qr.token).not.toBe(table.qr.token);
    expect(res.json.qr.url).toContain(res.json.qr.token);
    const old = await call(`/v1/tables/${table.qr.token}`);
    expect(old.status).toBe(404);
    expect(old.json.code).toBe('table.qr_unknown');
    expect((await call(`/v1/tables/${res.json.qr.token}`)).json.table.id).toBe(table.id);
  });

  it('two tables with the same name in one store are a 409, by create or by rename', async () => {
    const store = await createStore(admin);
    await createTable(admin, store.id, { name: 'A1' });
    const dup = await call(`/v1/admin/stores/${store.id}/tables`, {
      method: 'POST',
      token: admin,
      body: { name: 'A1' },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe('table.name_taken');
    const other = await createTable(admin, store.id, { name: 'A2' });
    const rename = await call(`/v1/admin/stores/${store.id}/tables/${other.id}`, {
      method: 'PATCH',
      token: admin,
      body: { name: 'A1' },
    });
    expect(rename.status).toBe(409);
    expect(rename.json.code).toBe('table.name_taken');
    // Another store may have its own A1.
    const elsewhere = await createStore(admin);
    expect((await createTable(admin, elsewhere.id, { name: 'A1' })).name).toBe('A1');
  });

  it('removing a table makes its code unknown', async () => {
    const store = await createStore(admin);
    const table = await createTable(admin, store.id);
    expect(
      (await call(`/v1/admin/stores/${store.id}/tables/${table.id}`, { method: 'DELETE', token: admin })).status,
    ).toBe(204);
    expect((await call(`/v1/tables/${table.qr.token}`)).status).toBe(404);
    expect(
      (await call(`/v1/admin/stores/${store.id}/tables/${table.id}`, { method: 'DELETE', token: admin })).status,
    ).toBe(404);
  });

  it('a table is reached only through its own store', async () => {
    const store = await createStore(admin);
    const res = await call(`/v1/admin/stores/${store.id}/tables/tbl_peoplesq_a1`, {
      method: 'PATCH',
      token: admin,
      body: { name: 'Moved' },
    });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('table.not_found');
  });
});

describe('staff accounts', () => {
  it('creates, changes and deletes a clerk scoped to a store', async () => {
    const created = await call('/v1/admin/staff', {
      method: 'POST',
      token: admin,
      body: { name: '张师傅', phone: '13900000000', role: 'clerk', storeIds: [STORE_JINGAN, STORE_JINGAN] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id: expect.stringMatching(/^stf_/),
      role: 'clerk',
      storeIds: [STORE_JINGAN],
      active: true,
    });
    const patched = await call(`/v1/admin/staff/${created.json.id}`, {
      method: 'PATCH',
      token: admin,
      body: { role: 'manager', storeIds: [STORE_JINGAN, STORE_PEOPLESQ], active: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ role: 'manager', storeIds: [STORE_JINGAN, STORE_PEOPLESQ], active: false });
    expect((await call(`/v1/admin/staff/${created.json.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    const list = (await call('/v1/admin/staff', { token: admin })).json.items.map((s: Json) => s.id);
    expect(list).not.toContain(created.json.id);
  });

  it('a staff account for another brand’s store is a 422 naming storeIds', async () => {
    await ensureRivalBrand();
    const rivalStore = await createStore(await tokenFor('admin', { brandId: RIVAL_BRAND_ID }));
    const res = await call('/v1/admin/staff', {
      method: 'POST',
      token: admin,
      body: { name: '间谍', role: 'clerk', storeIds: [STORE_PEOPLESQ, rivalStore.id] },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: 'storeIds', message: expect.stringContaining(rivalStore.id) }]);
    const unknown = await call('/v1/admin/staff', {
      method: 'POST',
      token: admin,
      body: { name: '幽灵', role: 'clerk', storeIds: ['sto_nowhere'] },
    });
    expect(unknown.status).toBe(422);
  });
});

describe('kitchen displays and printers', () => {
  it('registering a device returns its id, a secret and a one-time provisioning code', async () => {
    const res = await call(`/v1/admin/stores/${STORE_PEOPLESQ}/devices`, {
      method: 'POST',
      token: admin,
      body: { kind: 'printer', name: 'Front counter', stations: ['hot', 'drinks'] },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      id: expect.stringMatching(/^dev_/),
      storeId: STORE_PEOPLESQ,
      kind: 'printer',
      stations: ['hot', 'drinks'],
      provisioned: false,
      revoked: false,
      secret: expect.stringMatching(/^[0-9a-f]{48}$/),
      provisioningCode: expect.stringMatching(/^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$/),
    });
    expect(Date.parse(res.json.provisioningExpiresAt)).toBeGreaterThan(Date.now());
    const listed = (await call(`/v1/admin/stores/${STORE_PEOPLESQ}/devices`, { token: admin })).json.items;
    const mine = listed.find((d: Json) => d.id === res.json.id);
    expect(mine).not.toHaveProperty('secret');
    expect(mine).not.toHaveProperty('provisioningCode');
  });

  it('a display enrols itself with the code and gets a store-scoped device token and a fresh secret', async () => {
    const device = await createDevice(admin, STORE_PEOPLESQ);
    const res = await call('/v1/devices/provision', {
      method: 'POST',
      // Typed without dashes, in lower case: the same code.
      body: { code: device.provisioningCode.replaceAll('-', '').toLowerCase() },
    });
    expect(res.status).toBe(200);
    expect(res.json.device).toMatchObject({ id: device.id, provisioned: true, revoked: false });
    expect(res.json.secret).toMatch(/^[0-9a-f]{48}$/);
    expect(res.json.secret).not.toBe(device.secret);
    const token = res.json.token;
    expect((await call(`/v1/stores/${STORE_PEOPLESQ}`, { token })).status).toBe(200);
    expect((await call(`/v1/stores/${STORE_JINGAN}`, { token })).status).toBe(403);
    expect((await call('/v1/admin/items', { token })).status).toBe(403);
  });

  it('the same code a second time is refused: 404 device.provisioning_code_invalid', async () => {
    const device = await createDevice(admin, STORE_PEOPLESQ);
    expect(
      (await call('/v1/devices/provision', { method: 'POST', body: { code: device.provisioningCode } })).status,
    ).toBe(200);
    const again = await call('/v1/devices/provision', { method: 'POST', body: { code: device.provisioningCode } });
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.json.code).toBe('device.provisioning_code_invalid');
  });

  it('two tablets racing with one code: exactly one enrols', async () => {
    const device = await createDevice(admin, STORE_PEOPLESQ);
    const results = await Promise.all(
      Array.from({ length: 2 }, () =>
        call('/v1/devices/provision', { method: 'POST', body: { code: device.provisioningCode } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 404]);
  });

  it('a revoked device’s code no longer works', async () => {
    const device = await createDevice(admin, STORE_PEOPLESQ);
    const revoke = await call(`/v1/admin/stores/${STORE_PEOPLESQ}/devices/${device.id}`, {
      method: 'DELETE',
      token: admin,
    });
    expect(revoke.status).toBe(204);
    const res = await call('/v1/devices/provision', { method: 'POST', body: { code: device.provisioningCode } });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('device.provisioning_code_invalid');
    const listed = (await call(`/v1/admin/stores/${STORE_PEOPLESQ}/devices`, { token: admin })).json.items;
    expect(listed.find((d: Json) => d.id === device.id)).toMatchObject({ revoked: true, provisioned: false });
  });

  it('a made-up code, or one that is not digits, is refused the same way', async () => {
    for (const code of ['000 000 000', '🍜🍜🍜🍜🍜🍜', 'abcdefgh']) {
      const res = await call('/v1/devices/provision', { method: 'POST', body: { code } });
      expect(res.status, code).toBe(404);
    }
    expect((await call('/v1/devices/provision', { method: 'POST', body: { code: '12' } })).status).toBe(422);
  });

  it('a device of one store cannot be revoked through another store', async () => {
    const device = await createDevice(admin, STORE_PEOPLESQ);
    const res = await call(`/v1/admin/stores/${STORE_JINGAN}/devices/${device.id}`, { method: 'DELETE', token: admin });
    expect(res.status).toBe(404);
    expect(
      (await call('/v1/devices/provision', { method: 'POST', body: { code: device.provisioningCode } })).status,
    ).toBe(200);
  });

  it('a device for an unknown store is a 404', async () => {
    const res = await call('/v1/admin/stores/sto_nowhere/devices', {
      method: 'POST',
      token: admin,
      body: { kind: 'display', name: unique('KDS').slice(0, 40) },
    });
    expect(res.status).toBe(404);
  });
});
