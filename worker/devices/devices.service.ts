import type { z } from '@hono/zod-openapi';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { DAY } from '../../domain/time';
import type { DeviceInput } from '../../schema/api/admin.schemas';
import { devices } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { issueToken } from '../http/tokens';
import { db, json } from '../lib/db';
import { newId, randomHex, sha256Hex } from '../lib/ids';

type DeviceRow = typeof devices.$inferSelect;

const PROVISIONING_TTL_MS = DAY;

const view = (r: DeviceRow) => ({
  id: r.id,
  storeId: r.storeId,
  kind: r.kind,
  name: r.name,
  stations: json<string[]>(r.stations, []),
  provisioned: r.provisionedAt !== null,
  revoked: r.revokedAt !== null,
  createdAt: new Date(r.createdAt).toISOString(),
});

/** Nine digits grouped in threes: easy to type on a kitchen tablet. */
function provisioningCode(): string {
  const n = crypto.getRandomValues(new Uint32Array(2));
  const digits = String((n[0]! * 4096 + (n[1]! % 4096)) % 1_000_000_000).padStart(9, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

const normalizeCode = (code: string) => code.replace(/\D/g, '');

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
  const row: DeviceRow = {
    id: newId('dev'),
    brandId,
    storeId,
    kind: input.kind,
    name: input.name,
    stations: JSON.stringify(input.stations),
    secretHash: await sha256Hex(secret),
    provisioningCodeHash: await sha256Hex(normalizeCode(code)),
    provisioningExpiresAt: now + PROVISIONING_TTL_MS,
    provisionedAt: null,
    revokedAt: null,
    createdAt: now,
  };
  await db(env).insert(devices).values(row);
  return {
    ...view(row),
    secret,
    provisioningCode: code,
    provisioningExpiresAt: new Date(row.provisioningExpiresAt!).toISOString(),
  };
}

export async function listDevices(env: Env, storeId: string) {
  return (await db(env).select().from(devices).where(eq(devices.storeId, storeId)).orderBy(devices.name)).map(view);
}

/** Revokes a device: its secret and tokens stop working for the device endpoints. */
export async function revokeDevice(env: Env, storeId: string, deviceId: string, now = Date.now()) {
  const row = await db(env)
    .update(devices)
    .set({ revokedAt: now, provisioningCodeHash: null })
    .where(and(eq(devices.id, deviceId), eq(devices.storeId, storeId)))
    .returning()
    .get();
  if (!row) throw notFound('device', deviceId);
}

/**
 * Redeems a one-time provisioning code: one conditional update consumes the code, so
 * two tablets racing with the same code cannot both enrol. The secret is rotated.
 */
export async function provisionDevice(env: Env, code: string, now = Date.now()) {
  const hash = await sha256Hex(normalizeCode(code));
  const secret = randomHex(24);
  const row = await db(env)
    .update(devices)
    .set({ provisioningCodeHash: null, provisionedAt: now, secretHash: await sha256Hex(secret) })
    .where(
      and(eq(devices.provisioningCodeHash, hash), gt(devices.provisioningExpiresAt, now), isNull(devices.revokedAt)),
    )
    .returning()
    .get();
  if (!row) {
    throw new ApiError(
      404,
      'device.provisioning_code_invalid',
      'This code is unknown, used or expired; ask for a new one.',
    );
  }
  const token = await issueToken(
    env,
    { role: 'device', subject: row.id, brandId: row.brandId, storeIds: [row.storeId] },
    now,
  );
  return { device: view(row), secret, token };
}
