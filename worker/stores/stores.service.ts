import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { distanceMetres } from '../../domain/geo';
import { scheduleAt, type WeeklySlot } from '../../domain/schedule';
import { resolveSettings } from '../../domain/store-settings';
import { isoInZone, isValidTimeZone } from '../../domain/zoned-time';
import type { Store, StoreCreate, StorePatch } from '../../schema/api/stores.schemas';
import { diningTables, stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound, validationFailed } from '../http/errors';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';

export type StoreRow = typeof stores.$inferSelect;

/** The API view of a store at `now`, optionally with the distance from a point. */
export function storeView(row: StoreRow, now: number, from?: { lat: number; lng: number }): Store {
  const hours = json<WeeklySlot[]>(row.openingHours, []);
  const state =
    row.status === 'active' ? scheduleAt(hours, row.timeZone, now) : { open: false, until: undefined, next: undefined };
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    city: row.city,
    phone: row.phone,
    location: { lat: row.lat, lng: row.lng },
    timeZone: row.timeZone,
    openingHours: hours,
    status: row.status,
    settings: resolveSettings(json(row.settings, {})) as unknown as Record<string, unknown>,
    openNow: state.open,
    ...(state.open && state.until !== undefined ? { closesAt: isoInZone(state.until, row.timeZone) } : {}),
    ...(!state.open && state.next !== undefined ? { opensAt: isoInZone(state.next, row.timeZone) } : {}),
    localTime: isoInZone(now, row.timeZone),
    ...(from ? { distanceMetres: distanceMetres(from, row) } : {}),
  };
}

/** A brand's stores, nearest first when a point is given. */
export async function listStores(env: Env, brandId: string, from?: { lat: number; lng: number }, now = Date.now()) {
  const rows = await db(env).select().from(stores).where(eq(stores.brandId, brandId)).orderBy(stores.name);
  const views = rows.map((r) => storeView(r, now, from));
  if (from) views.sort((a, b) => (a.distanceMetres ?? 0) - (b.distanceMetres ?? 0));
  return views;
}

/** A store row, or a 404. */
export async function findStore(env: Env, storeId: string): Promise<StoreRow> {
  const row = await db(env).select().from(stores).where(eq(stores.id, storeId)).get();
  if (!row) throw notFound('store', storeId);
  return row;
}

function checkTimeZone(tz: string | undefined) {
  if (tz !== undefined && !isValidTimeZone(tz)) {
    throw validationFailed([{ path: 'timeZone', message: `unknown IANA time zone "${tz}"` }]);
  }
}

export async function createStore(env: Env, brandId: string, input: z.infer<typeof StoreCreate>, now = Date.now()) {
  checkTimeZone(input.timeZone);
  const row: StoreRow = {
    id: input.id ?? newId('sto'),
    brandId,
    name: input.name,
    address: input.address,
    city: input.city,
    phone: input.phone,
    lat: input.location.lat,
    lng: input.location.lng,
    timeZone: input.timeZone,
    openingHours: JSON.stringify(input.openingHours),
    status: input.status,
    settings: JSON.stringify(input.settings),
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await db(env).insert(stores).values(row).onConflictDoNothing().returning({ id: stores.id });
  if (inserted.length === 0) throw new ApiError(409, 'store.exists', `A store with id ${row.id} already exists.`);
  return row;
}

export async function updateStore(env: Env, row: StoreRow, patch: z.infer<typeof StorePatch>, now = Date.now()) {
  checkTimeZone(patch.timeZone);
  const next: StoreRow = {
    ...row,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.address !== undefined ? { address: patch.address } : {}),
    ...(patch.city !== undefined ? { city: patch.city } : {}),
    ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
    ...(patch.location ? { lat: patch.location.lat, lng: patch.location.lng } : {}),
    ...(patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {}),
    ...(patch.openingHours ? { openingHours: JSON.stringify(patch.openingHours) } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(patch.settings ? { settings: JSON.stringify({ ...json(row.settings, {}), ...patch.settings }) } : {}),
    updatedAt: now,
  };
  await db(env).update(stores).set(next).where(eq(stores.id, row.id));
  return next;
}

/** Resolves a scanned table QR token to its store and table (public: the token is the secret). */
export async function resolveTableQr(env: Env, token: string) {
  const row = await db(env)
    .select({ table: diningTables, store: stores })
    .from(diningTables)
    .innerJoin(stores, eq(stores.id, diningTables.storeId))
    .where(eq(diningTables.qrToken, token))
    .get();
  if (!row) throw new ApiError(404, 'table.qr_unknown', 'This table code is not known; ask the staff for help.');
  return row;
}

export async function findTable(env: Env, storeId: string, tableId: string) {
  const row = await db(env)
    .select()
    .from(diningTables)
    .where(and(eq(diningTables.id, tableId), eq(diningTables.storeId, storeId)))
    .get();
  if (!row) throw notFound('table', tableId);
  return row;
}
