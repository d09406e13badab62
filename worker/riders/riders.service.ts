import { and, asc, eq } from 'drizzle-orm';
import { toBase64Url } from '../../domain/encoding';
import { isoInZone } from '../../domain/zoned-time';
import { riders } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError, notFound, unauthorized } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { lookupHash } from '../lib/lookup-keys';

/*
 * A store's own riders and how they sign in: a manager makes a personal key for a rider
 * (`rdk_…`, sent as a link to the rider page). The key opens only the /v1/rider/ routes,
 * which show the rider nothing but the orders assigned to them. Only its hash is kept; a
 * new key or a deactivation ends the old one at its next request.
 */

export const RIDER_KEY_PREFIX = 'rdk_';
const HASH_LABEL = 'rider-key';

export type RiderRow = typeof riders.$inferSelect;

/** A rider as staff see them (never the key). */
export function riderView(row: RiderRow, timeZone: string) {
  return {
    id: row.id,
    storeId: row.storeId,
    name: row.name,
    phone: row.phone,
    active: row.active,
    canSignIn: row.active && row.keyHash !== null,
    createdAt: isoInZone(row.createdAt, timeZone),
    updatedAt: isoInZone(row.updatedAt, timeZone),
  };
}

/** Adds a rider to a store's roster. */
export async function addRider(
  env: Env,
  store: { id: string; brandId: string },
  input: { name: string; phone: string },
  now = Date.now(),
): Promise<RiderRow> {
  const row: RiderRow = {
    id: newId('rdr'),
    brandId: store.brandId,
    storeId: store.id,
    name: input.name,
    phone: input.phone,
    active: true,
    keyHash: null,
    createdAt: now,
    updatedAt: now,
  };
  await db(env).insert(riders).values(row);
  return row;
}

/** The store's riders, oldest first, inactive ones included. */
export async function listRiders(env: Env, storeId: string): Promise<RiderRow[]> {
  return db(env).select().from(riders).where(eq(riders.storeId, storeId)).orderBy(asc(riders.createdAt)).all();
}

/** One rider of a store; another store's rider is 404 `rider.not_found`. */
export async function riderOf(env: Env, storeId: string, riderId: string): Promise<RiderRow> {
  const row = await db(env)
    .select()
    .from(riders)
    .where(and(eq(riders.id, riderId), eq(riders.storeId, storeId)))
    .get();
  if (!row) throw notFound('rider', riderId);
  return row;
}

/** Edits a rider; deactivating one also ends their sign-in key. */
export async function updateRider(
  env: Env,
  storeId: string,
  riderId: string,
  patch: { name?: string; phone?: string; active?: boolean },
  now = Date.now(),
): Promise<RiderRow> {
  const row = await riderOf(env, storeId, riderId);
  const next: RiderRow = {
    ...row,
    ...patch,
    keyHash: patch.active === false ? null : row.keyHash,
    updatedAt: now,
  };
  await db(env)
    .update(riders)
    .set({ name: next.name, phone: next.phone, active: next.active, keyHash: next.keyHash, updatedAt: now })
    .where(eq(riders.id, riderId));
  return next;
}

/** Makes the rider a new sign-in key (the old one stops working) and the link to send them. */
export async function makeSignInLink(env: Env, storeId: string, riderId: string, now = Date.now()) {
  const row = await riderOf(env, storeId, riderId);
  if (!row.active) throw new ApiError(409, 'rider.inactive', 'This rider is deactivated: reactivate them first.');
  const key = `${RIDER_KEY_PREFIX}${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
  await db(env)
    .update(riders)
    .set({ keyHash: await lookupHash(env, HASH_LABEL, key), updatedAt: now })
    .where(eq(riders.id, riderId));
  const base = (env.PUBLIC_BASE_URL || 'http://127.0.0.1:8787').replace(/\/$/, '');
  return { key, link: `${base}/rider/#key=${key}` };
}

/** The principal an `rdk_…` bearer key stands for; an unknown, replaced or deactivated key is 401. */
export async function riderPrincipal(env: Env, key: string): Promise<Principal> {
  const row = await db(env)
    .select()
    .from(riders)
    .where(eq(riders.keyHash, await lookupHash(env, HASH_LABEL, key)))
    .get();
  if (!row?.active) throw unauthorized('This rider key is unknown, replaced or deactivated.');
  return { role: 'rider', subject: row.id, brandId: row.brandId, storeIds: [row.storeId] };
}

/** The active rider a rider principal stands for (a dev token too must name a live rider). */
export async function activeRider(env: Env, p: Principal): Promise<RiderRow> {
  const row = await db(env).select().from(riders).where(eq(riders.id, p.subject)).get();
  if (!row?.active || row.brandId !== p.brandId) throw unauthorized('This rider is unknown or deactivated.');
  return row;
}
