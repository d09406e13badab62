import type { z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { TableCreate, TablePatch } from '../../schema/api/stores.schemas';
import { diningTables } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db } from '../lib/db';
import { h5Url } from '../lib/h5-links';
import { newId, randomHex } from '../lib/ids';
import { findTable } from './stores.service';

type TableRow = typeof diningTables.$inferSelect;

/** The API view of a table, with what its printed QR code should encode. */
export function tableView(env: Env, row: TableRow) {
  return {
    id: row.id,
    storeId: row.storeId,
    name: row.name,
    area: row.area,
    seats: row.seats,
    qr: {
      token: row.qrToken,
      url: h5Url(env, `/t/${row.qrToken}`),
      miniProgramPath: `pages/menu/index?t=${row.qrToken}`,
    },
  };
}

export async function listTables(env: Env, storeId: string) {
  const rows = await db(env)
    .select()
    .from(diningTables)
    .where(eq(diningTables.storeId, storeId))
    .orderBy(asc(diningTables.area), asc(diningTables.name));
  return rows.map((r) => tableView(env, r));
}

const nameTaken = (name: string) =>
  new ApiError(409, 'table.name_taken', `This store already has a table named ${name}.`);

export async function createTable(env: Env, storeId: string, input: z.infer<typeof TableCreate>, now = Date.now()) {
  const row: TableRow = {
    id: newId('tbl'),
    storeId,
    name: input.name,
    area: input.area,
    seats: input.seats,
    qrToken: `qr_${randomHex(12)}`,
    createdAt: now,
  };
  const inserted = await db(env)
    .insert(diningTables)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: diningTables.id });
  if (inserted.length === 0) throw nameTaken(input.name);
  return tableView(env, row);
}

export async function updateTable(env: Env, storeId: string, tableId: string, patch: z.infer<typeof TablePatch>) {
  const row = await findTable(env, storeId, tableId);
  const next = { ...row, ...patch };
  try {
    await db(env).update(diningTables).set(next).where(eq(diningTables.id, tableId));
  } catch (e) {
    if (String((e as Error).cause ?? e).includes('UNIQUE')) throw nameTaken(next.name);
    throw e;
  }
  return tableView(env, next);
}

/** Issues a new QR token so a lost or photographed code stops working. */
export async function rotateTableQr(env: Env, storeId: string, tableId: string) {
  const row = await findTable(env, storeId, tableId);
  const next = { ...row, qrToken: `qr_${randomHex(12)}` };
  await db(env).update(diningTables).set({ qrToken: next.qrToken }).where(eq(diningTables.id, tableId));
  return tableView(env, next);
}

export async function deleteTable(env: Env, storeId: string, tableId: string) {
  await findTable(env, storeId, tableId);
  await db(env)
    .delete(diningTables)
    .where(and(eq(diningTables.id, tableId), eq(diningTables.storeId, storeId)));
}
