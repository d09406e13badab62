import { env } from 'cloudflare:workers';
import { call } from './http';

/** A JSON value from a response, read loosely as tests do (shapes are asserted, not typed). */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
export type Json = any;

/** A second brand, inserted directly (there is no API to create brands). */
export const RIVAL_BRAND_ID = 'brd_rival';

export async function ensureRivalBrand(): Promise<void> {
  await env.DB.prepare('INSERT OR IGNORE INTO brands (id, name, currency, created_at) VALUES (?, ?, ?, ?)')
    .bind(RIVAL_BRAND_ID, 'Rival Noodles', 'CNY', Date.now())
    .run();
}

/** A short unique label, so tests never collide on names. */
export const unique = (prefix: string) => `${prefix} ${crypto.randomUUID().slice(0, 8)}`;

async function created(path: string, token: string, body: unknown) {
  const res = await call(path, { method: 'POST', token, body });
  if (res.status !== 201) throw new Error(`POST ${path} failed: ${res.status} ${res.text}`);
  return res.json;
}

export function createStore(token: string, body: Record<string, unknown> = {}) {
  return created('/v1/admin/stores', token, {
    name: unique('Test store'),
    location: { lat: 31.2, lng: 121.4 },
    timeZone: 'Asia/Shanghai',
    ...body,
  });
}

export function createCategory(token: string, name = unique('Category')) {
  return created('/v1/admin/categories', token, { name });
}

export function createItem(token: string, body: Record<string, unknown>) {
  return created('/v1/admin/items', token, { name: unique('Item'), price: 1000, ...body });
}

export function createTable(token: string, storeId: string, body: Record<string, unknown> = {}) {
  return created(`/v1/admin/stores/${storeId}/tables`, token, { name: unique('T').slice(0, 30), ...body });
}

export function createDevice(token: string, storeId: string, body: Record<string, unknown> = {}) {
  return created(`/v1/admin/stores/${storeId}/devices`, token, { kind: 'display', name: 'Hot station', ...body });
}

/** A display enrolled for real (device tokens are checked against the `devices` table). */
export async function enrolledDevice(adminToken: string, storeId: string, body: Record<string, unknown> = {}) {
  const device = await createDevice(adminToken, storeId, body);
  const res = await call('/v1/devices/provision', { method: 'POST', body: { code: device.provisioningCode } });
  if (res.status !== 200) throw new Error(`provisioning failed: ${res.status} ${res.text}`);
  return { id: device.id as string, token: res.json.token as string, code: device.provisioningCode as string };
}

export async function publish(token: string, storeIds?: string[]) {
  const res = await call('/v1/admin/menu/publish', { method: 'POST', token, body: storeIds ? { storeIds } : {} });
  if (res.status !== 200) throw new Error(`publish failed: ${res.status} ${res.text}`);
  return res.json as { version: number; stores: { storeId: string; itemCount: number }[] };
}

/** Every item of a rendered menu, flattened. */
export function menuItems(menu: { categories: { items: Json[] }[] }): Json[] {
  return menu.categories.flatMap((c) => c.items);
}
