import { createDevice, listDevices, reissueProvisioningCode, revokeDevice } from '../devices/devices.service';
import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import { createStaff, deleteStaff, listStaff, updateStaff } from '../staff/staff.service';
import { loadScopedStore } from './scoped-store';
import { clearStoreContext } from './store-gateway';
import { createStore, listStores, storeView, updateStore } from './stores.service';
import * as r from './stores-admin.routes';
import { createTable, deleteTable, listTables, rotateTableQr, updateTable } from './tables.service';

export const storesAdminRouter = createRouter()
  .openapi(r.adminListStoresRoute, async (c) => c.json({ items: await listStores(c.env, principalOf(c).brandId) }, 200))
  .openapi(r.createStoreRoute, async (c) => {
    const row = await createStore(c.env, principalOf(c).brandId, c.req.valid('json'));
    return c.json(storeView(row, Date.now()), 201);
  })
  .openapi(r.updateStoreRoute, async (c) => {
    const store = await loadScopedStore(c, c.req.valid('param').storeId);
    const updated = await updateStore(c.env, store, c.req.valid('json'));
    clearStoreContext();
    return c.json(storeView(updated, Date.now()), 200);
  })
  .openapi(r.listTablesRoute, async (c) => {
    const store = await loadScopedStore(c, c.req.valid('param').storeId);
    return c.json({ items: await listTables(c.env, store.id) }, 200);
  })
  .openapi(r.createTableRoute, async (c) => {
    const store = await loadScopedStore(c, c.req.valid('param').storeId);
    return c.json(await createTable(c.env, store.id, c.req.valid('json')), 201);
  })
  .openapi(r.updateTableRoute, async (c) => {
    const { storeId, tableId } = c.req.valid('param');
    await loadScopedStore(c, storeId);
    return c.json(await updateTable(c.env, storeId, tableId, c.req.valid('json')), 200);
  })
  .openapi(r.rotateTableQrRoute, async (c) => {
    const { storeId, tableId } = c.req.valid('param');
    await loadScopedStore(c, storeId);
    return c.json(await rotateTableQr(c.env, storeId, tableId), 200);
  })
  .openapi(r.deleteTableRoute, async (c) => {
    const { storeId, tableId } = c.req.valid('param');
    await loadScopedStore(c, storeId);
    await deleteTable(c.env, storeId, tableId);
    return c.body(null, 204);
  })
  .openapi(r.listStaffRoute, async (c) => c.json({ items: await listStaff(c.env, principalOf(c).brandId) }, 200))
  .openapi(r.createStaffRoute, async (c) =>
    c.json(await createStaff(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.updateStaffRoute, async (c) =>
    c.json(await updateStaff(c.env, principalOf(c).brandId, c.req.valid('param').staffId, c.req.valid('json')), 200),
  )
  .openapi(r.deleteStaffRoute, async (c) => {
    await deleteStaff(c.env, principalOf(c).brandId, c.req.valid('param').staffId);
    return c.body(null, 204);
  })
  .openapi(r.listDevicesRoute, async (c) => {
    const store = await loadScopedStore(c, c.req.valid('param').storeId);
    return c.json({ items: await listDevices(c.env, store.id) }, 200);
  })
  .openapi(r.createDeviceRoute, async (c) => {
    const store = await loadScopedStore(c, c.req.valid('param').storeId);
    return c.json(await createDevice(c.env, store.brandId, store.id, c.req.valid('json')), 201);
  })
  .openapi(r.reissueCodeRoute, async (c) => {
    const { storeId, deviceId } = c.req.valid('param');
    await loadScopedStore(c, storeId);
    return c.json(await reissueProvisioningCode(c.env, storeId, deviceId), 201);
  })
  .openapi(r.revokeDeviceRoute, async (c) => {
    const { storeId, deviceId } = c.req.valid('param');
    await loadScopedStore(c, storeId);
    await revokeDevice(c.env, storeId, deviceId);
    return c.body(null, 204);
  });
