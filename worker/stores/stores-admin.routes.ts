import { createRoute, z } from '@hono/zod-openapi';
import {
  Device,
  DeviceCreated,
  DeviceInput,
  ProvisioningCode,
  Staff,
  StaffInput,
  StaffPatch,
} from '../../schema/api/admin.schemas';
import { Store, StoreCreate, StorePatch, Table, TableCreate, TablePatch } from '../../schema/api/stores.schemas';
import { bearer, idParam, jsonBody, jsonOk, readErrors, writeErrors } from '../http/router';

const tags = ['Admin: stores'];
const security = bearer;
const storeParams = z.object({ storeId: idParam('storeId', 'sto_demo_peoplesq') });
const tableParams = storeParams.extend({ tableId: idParam('tableId', 'tbl_peoplesq_a1') });

export const adminListStoresRoute = createRoute({
  method: 'get',
  path: '/v1/admin/stores',
  operationId: 'admin.listStores',
  tags,
  security,
  summary: "List the brand's stores",
  responses: { 200: jsonOk(z.object({ items: z.array(Store) })), ...readErrors },
});
export const createStoreRoute = createRoute({
  method: 'post',
  path: '/v1/admin/stores',
  operationId: 'admin.createStore',
  tags,
  security,
  summary: 'Open a store (location, time zone, opening hours)',
  request: { body: jsonBody(StoreCreate) },
  responses: { 201: jsonOk(Store), ...writeErrors },
});
export const updateStoreRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/stores/{storeId}',
  operationId: 'admin.updateStore',
  tags,
  security,
  summary: 'Update a store, including its opening hours',
  request: { params: storeParams, body: jsonBody(StorePatch) },
  responses: { 200: jsonOk(Store), ...writeErrors },
});

export const listTablesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/stores/{storeId}/tables',
  operationId: 'admin.listTables',
  tags,
  security,
  summary: 'Tables with their QR payloads',
  request: { params: storeParams },
  responses: { 200: jsonOk(z.object({ items: z.array(Table) })), ...readErrors },
});
export const createTableRoute = createRoute({
  method: 'post',
  path: '/v1/admin/stores/{storeId}/tables',
  operationId: 'admin.createTable',
  tags,
  security,
  summary: 'Add a table; its QR token is generated',
  request: { params: storeParams, body: jsonBody(TableCreate) },
  responses: { 201: jsonOk(Table), ...writeErrors },
});
export const updateTableRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/stores/{storeId}/tables/{tableId}',
  operationId: 'admin.updateTable',
  tags,
  security,
  summary: 'Rename a table or change its area or seats',
  request: { params: tableParams, body: jsonBody(TablePatch) },
  responses: { 200: jsonOk(Table), ...writeErrors },
});
export const rotateTableQrRoute = createRoute({
  method: 'post',
  path: '/v1/admin/stores/{storeId}/tables/{tableId}/rotate-qr',
  operationId: 'admin.rotateQr',
  tags,
  security,
  summary: 'Issue a new QR token (the old code stops working)',
  request: { params: tableParams },
  responses: { 200: jsonOk(Table), ...writeErrors },
});
export const deleteTableRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/stores/{storeId}/tables/{tableId}',
  operationId: 'admin.deleteTable',
  tags,
  security,
  summary: 'Remove a table',
  request: { params: tableParams },
  responses: { 204: { description: 'Deleted' }, ...writeErrors },
});

const staffParams = z.object({ staffId: idParam('staffId', 'stf_demo_manager') });
export const listStaffRoute = createRoute({
  method: 'get',
  path: '/v1/admin/staff',
  operationId: 'admin.listStaff',
  tags,
  security,
  summary: 'Staff accounts and the stores each may act in',
  responses: { 200: jsonOk(z.object({ items: z.array(Staff) })), ...readErrors },
});
export const createStaffRoute = createRoute({
  method: 'post',
  path: '/v1/admin/staff',
  operationId: 'admin.createStaff',
  tags,
  security,
  summary: 'Create a staff account scoped to stores',
  request: { body: jsonBody(StaffInput) },
  responses: { 201: jsonOk(Staff), ...writeErrors },
});
export const updateStaffRoute = createRoute({
  method: 'patch',
  path: '/v1/admin/staff/{staffId}',
  operationId: 'admin.updateStaff',
  tags,
  security,
  summary: 'Change role, store scope or deactivate',
  request: { params: staffParams, body: jsonBody(StaffPatch) },
  responses: { 200: jsonOk(Staff), ...writeErrors },
});
export const deleteStaffRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/staff/{staffId}',
  operationId: 'admin.deleteStaff',
  tags,
  security,
  summary: 'Delete a staff account',
  request: { params: staffParams },
  responses: { 204: { description: 'Deleted' }, ...writeErrors },
});

export const listDevicesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/stores/{storeId}/devices',
  operationId: 'admin.listDevices',
  tags,
  security,
  summary: "A store's printers and displays",
  request: { params: storeParams },
  responses: { 200: jsonOk(z.object({ items: z.array(Device) })), ...readErrors },
});
export const createDeviceRoute = createRoute({
  method: 'post',
  path: '/v1/admin/stores/{storeId}/devices',
  operationId: 'admin.createDevice',
  tags,
  security,
  summary: 'Register a printer or display; returns its secret and a one-time provisioning code (shown once)',
  request: { params: storeParams, body: jsonBody(DeviceInput) },
  responses: { 201: jsonOk(DeviceCreated), ...writeErrors },
});
export const reissueCodeRoute = createRoute({
  method: 'post',
  path: '/v1/admin/stores/{storeId}/devices/{deviceId}/provisioning-code',
  operationId: 'admin.reissueProvisioningCode',
  tags,
  security,
  summary: 'A new one-time provisioning code for a device (an hour; the old code stops working)',
  description: 'Also how a locked code is replaced, and how a display whose token ran out is enrolled again.',
  request: { params: storeParams.extend({ deviceId: idParam('deviceId', 'dev_…') }) },
  responses: { 201: jsonOk(ProvisioningCode), ...writeErrors },
});
export const revokeDeviceRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/stores/{storeId}/devices/{deviceId}',
  operationId: 'admin.deleteDevice',
  tags,
  security,
  summary: 'Revoke a device: its secret and tokens stop working and its open kitchen sockets close',
  request: { params: storeParams.extend({ deviceId: idParam('deviceId', 'dev_…') }) },
  responses: { 204: { description: 'Revoked' }, ...writeErrors },
});
