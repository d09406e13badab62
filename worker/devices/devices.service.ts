import type { z } from '@hono/zod-openapi';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { HOUR } from '../../domain/time';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import type { DeviceInput } from '../../schema/api/admin.schemas';
import { devices } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError, notFound } from '../http/errors';
import { forgetDevice } from '../http/token-liveness';
import { DEVICE_TOKEN_TTL_SECONDS, issueToken } from '../http/tokens';
import { closeSocketsOf } from '../kitchen/socket-access.service';
import { db, json } from '../lib/db';
import { newId, randomHex, sha256Hex } from '../lib/ids';
import { storeContext } from '../stores/store-gateway';

type DeviceRow = typeof devices.$inferSelect;

const view = (r: DeviceRow, timeZone: string) => ({
  id: r.id,
  storeId: r.storeId,
  kind: r.kind,
  name: r.name,
  stations: json<string[]>(r.stations, []),
  provisioned: r.provisionedAt !== null,
  revoked: r.revokedAt !== null,
  createdAt: isoInZone(r.createdAt, timeZone),
});

/** A device's times are its store's. */
const zoneOf = async (env: Env, storeId: string) => (await storeContext(env, storeId)).store.timeZone;

/*
 * Provisioning codes: `HHHH-SSSS-SSSS-SSSS` from 31 characters no one misreads (no 0/O,
 * 1/I/L). The first four are a handle that finds the code a guess was aimed at, so wrong
 * guesses can be counted per code; the other twelve are the secret, 12 × log2(31) ≈ 59
 * bits. A code lives an hour and locks after 5 wrong guesses aimed at it; a store's pending
 * codes lock together after 20; and each IP gets the `auth` limit (10 a minute). Even a
 * botnet of a million IPs guessing for the code's whole hour gets 6·10⁸ tries against
 * 2⁵⁹ ≈ 6·10¹⁷ secrets, before the locks.
 */
const PROVISIONING_TTL_MS = HOUR;
export const CODE_MAX_FAILURES = 5;
export const STORE_MAX_FAILURES = 20;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const HANDLE_LENGTH = 4;
const CODE_LENGTH = 16;

function provisioningCode(): string {
  const out: string[] = [];
  while (out.length < CODE_LENGTH) {
    for (const b of crypto.getRandomValues(new Uint8Array(CODE_LENGTH))) {
      // Rejection sampling keeps every character equally likely.
      if (b < 248 && out.length < CODE_LENGTH) out.push(ALPHABET[b % 31]!);
    }
  }
  return out.join('').match(/.{4}/g)!.join('-');
}

/** Case, spaces and dashes do not matter when the code is typed. */
const normalizeCode = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, '');

/**
 * Registers a printer or display. The secret and the provisioning code are returned
 * once and stored only as hashes.
 */
export async function createDevice(
  env: Env,
  brandId: string,
  storeId: string,
  input: z.infer<typeof DeviceInput>,
  now = Date.now(),
) {
  const secret = randomHex(24);
  const code = provisioningCode();
  const normalized = normalizeCode(code);
  const row: DeviceRow = {
    id: newId('dev'),
    brandId,
    storeId,
    kind: input.kind,
    name: input.name,
    stations: JSON.stringify(input.stations),
    secretHash: await sha256Hex(secret),
    provisioningCodeHash: await sha256Hex(normalized),
    provisioningExpiresAt: now + PROVISIONING_TTL_MS,
    provisioningHandle: normalized.slice(0, HANDLE_LENGTH),
    provisioningFailures: 0,
    provisionedAt: null,
    revokedAt: null,
    createdAt: now,
  };
  await db(env).insert(devices).values(row);
  const timeZone = await zoneOf(env, storeId);
  return {
    ...view(row, timeZone),
    secret,
    provisioningCode: code,
    provisioningExpiresAt: isoInZone(row.provisioningExpiresAt!, timeZone),
  };
}

export async function listDevices(env: Env, storeId: string) {
  const timeZone = await zoneOf(env, storeId);
  const rows = await db(env).select().from(devices).where(eq(devices.storeId, storeId)).orderBy(devices.name);
  return rows.map((r) => view(r, timeZone));
}

/**
 * Revokes a device: its secret and tokens stop working on every route (at once in this
 * isolate, within the liveness TTL elsewhere), and its open kitchen sockets are closed.
 */
export async function revokeDevice(env: Env, storeId: string, deviceId: string, now = Date.now()) {
  const row = await db(env)
    .update(devices)
    .set({ revokedAt: sql`COALESCE(${devices.revokedAt}, ${now})`, provisioningCodeHash: null })
    .where(and(eq(devices.id, deviceId), eq(devices.storeId, storeId)))
    .returning()
    .get();
  if (!row) throw notFound('device', deviceId);
  forgetDevice(deviceId);
  await closeSocketsOf(env, {
    brandId: row.brandId,
    storeIds: [row.storeId],
    subject: { role: 'device', subject: deviceId },
  });
}

/** A new provisioning code for a device that is not revoked (the old one stops working). */
export async function reissueProvisioningCode(env: Env, storeId: string, deviceId: string, now = Date.now()) {
  const code = provisioningCode();
  const normalized = normalizeCode(code);
  const row = await db(env)
    .update(devices)
    .set({
      provisioningCodeHash: await sha256Hex(normalized),
      provisioningHandle: normalized.slice(0, HANDLE_LENGTH),
      provisioningExpiresAt: now + PROVISIONING_TTL_MS,
      provisioningFailures: 0,
    })
    .where(and(eq(devices.id, deviceId), eq(devices.storeId, storeId), isNull(devices.revokedAt)))
    .returning()
    .get();
  if (!row) throw notFound('device', deviceId);
  return {
    provisioningCode: code,
    provisioningExpiresAt: isoInZone(row.provisioningExpiresAt!, await zoneOf(env, storeId)),
  };
}

const invalidCode = () =>
  new ApiError(404, 'device.provisioning_code_invalid', 'This code is unknown, used or expired; ask for a new one.');

/**
 * Redeems a one-time provisioning code: one conditional update consumes the code, so
 * two tablets racing with the same code cannot both enrol. The secret is rotated. A code
 * (or a store) with too many wrong guesses is locked: even the right code is refused until
 * an admin issues a new one.
 */
export async function provisionDevice(env: Env, code: string, now = Date.now()) {
  const normalized = normalizeCode(code);
  if (normalized.length !== CODE_LENGTH) throw invalidCode();
  const hash = await sha256Hex(normalized);
  const secret = randomHex(24);
  const row = await db(env)
    .update(devices)
    .set({ provisioningCodeHash: null, provisionedAt: now, secretHash: await sha256Hex(secret) })
    .where(
      and(
        eq(devices.provisioningCodeHash, hash),
        gt(devices.provisioningExpiresAt, now),
        isNull(devices.revokedAt),
        lt(devices.provisioningFailures, CODE_MAX_FAILURES),
        lt(storeFailures(now), STORE_MAX_FAILURES),
      ),
    )
    .returning()
    .get();
  if (!row) throw await refusal(env, normalized, hash, now);
  const token = await issueToken(
    env,
    { role: 'device', subject: row.id, brandId: row.brandId, storeIds: [row.storeId] },
    now,
  );
  return { device: view(row, await zoneOf(env, row.storeId)), secret, token };
}

/** Wrong guesses at the store's live codes (the row's store, inside the update above). */
function storeFailures(now: number) {
  const d = alias(devices, 'same_store');
  return sql`(SELECT COALESCE(SUM(${d.provisioningFailures}), 0) FROM ${devices} ${sql.identifier('same_store')} WHERE ${d.storeId} = ${devices.storeId} AND ${d.provisioningCodeHash} IS NOT NULL AND ${d.provisioningExpiresAt} > ${now})`;
}

/**
 * Why a code was refused. The right code of a locked device or store: 403
 * `device.provisioning_locked`. Anything else is 404, and a guess aimed at a live code
 * (its handle matches) counts against that code.
 */
async function refusal(env: Env, normalized: string, hash: string, now: number): Promise<ApiError> {
  const live = and(
    eq(devices.provisioningHandle, normalized.slice(0, HANDLE_LENGTH)),
    gt(devices.provisioningExpiresAt, now),
    isNull(devices.revokedAt),
  );
  const aimed = await db(env).select({ hash: devices.provisioningCodeHash }).from(devices).where(live);
  if (aimed.some((r) => r.hash === hash)) {
    return new ApiError(
      403,
      'device.provisioning_locked',
      'Too many wrong codes were tried for this device or store; ask an admin for a new code.',
    );
  }
  if (aimed.length > 0) {
    await db(env)
      .update(devices)
      .set({ provisioningFailures: sql`${devices.provisioningFailures} + 1` })
      .where(live);
  }
  return invalidCode();
}

/** A display renews its own token while the old one is valid and the device not revoked. */
export async function renewDeviceToken(env: Env, p: Principal, now = Date.now()) {
  const token = await issueToken(
    env,
    { role: 'device', subject: p.subject, brandId: p.brandId, storeIds: p.storeIds },
    now,
  );
  const timeZone = p.storeIds[0] ? await zoneOf(env, p.storeIds[0]) : BRAND_TIME_ZONE;
  return { token, expiresAt: isoInZone(now + DEVICE_TOKEN_TTL_SECONDS * 1000, timeZone) };
}
