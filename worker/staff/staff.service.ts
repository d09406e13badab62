import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { StaffInput, StaffPatch } from '../../schema/api/admin.schemas';
import { refreshTokens, staff, stores } from '../../schema/d1/tables';
import { forgetAccountState } from '../accounts/account-state';
import { signOutEverywhere } from '../accounts/sessions.service';
import type { Env } from '../env';
import { notFound, validationFailed } from '../http/errors';
import { db, json } from '../lib/db';
import { newId } from '../lib/ids';

type StaffRow = typeof staff.$inferSelect;

const view = (r: StaffRow) => ({
  id: r.id,
  name: r.name,
  phone: r.phone,
  role: r.role,
  storeIds: json<string[]>(r.storeIds, []),
  active: r.active,
  login: r.login,
});

/** Every store id must be one of the brand's stores. */
export async function assertBrandStores(env: Env, brandId: string, storeIds: string[]) {
  const own = new Set(
    (await db(env).select({ id: stores.id }).from(stores).where(eq(stores.brandId, brandId))).map((s) => s.id),
  );
  const bad = storeIds.filter((id) => !own.has(id));
  if (bad.length)
    throw validationFailed(bad.map((id) => ({ path: 'storeIds', message: `no store ${id} in this brand` })));
}

export async function listStaff(env: Env, brandId: string) {
  return (await db(env).select().from(staff).where(eq(staff.brandId, brandId)).orderBy(staff.name)).map(view);
}

export async function createStaff(env: Env, brandId: string, input: z.infer<typeof StaffInput>, now = Date.now()) {
  await assertBrandStores(env, brandId, input.storeIds);
  const row: StaffRow = {
    id: newId('stf'),
    brandId,
    name: input.name,
    phone: input.phone,
    role: input.role,
    storeIds: JSON.stringify([...new Set(input.storeIds)]),
    active: true,
    login: null,
    passwordHash: null,
    tokensValidAfter: 0,
    createdAt: now,
    updatedAt: now,
  };
  await db(env).insert(staff).values(row);
  return view(row);
}

async function findStaff(env: Env, brandId: string, id: string) {
  const row = await db(env)
    .select()
    .from(staff)
    .where(and(eq(staff.id, id), eq(staff.brandId, brandId)))
    .get();
  if (!row) throw notFound('staff', id);
  return row;
}

export async function updateStaff(
  env: Env,
  brandId: string,
  id: string,
  patch: z.infer<typeof StaffPatch>,
  now = Date.now(),
) {
  const row = await findStaff(env, brandId, id);
  if (patch.storeIds) await assertBrandStores(env, brandId, patch.storeIds);
  const { storeIds, ...rest } = patch;
  const next: StaffRow = {
    ...row,
    ...rest,
    ...(storeIds ? { storeIds: JSON.stringify([...new Set(storeIds)]) } : {}),
    updatedAt: now,
  };
  await db(env).update(staff).set(next).where(eq(staff.id, id));
  // Role and store changes reach live tokens through the account check; deactivation ends every session.
  if (row.active && next.active === false) await signOutEverywhere(env, 'staff', id, now);
  forgetAccountState('staff', id);
  return view(next);
}

export async function deleteStaff(env: Env, brandId: string, id: string) {
  await findStaff(env, brandId, id);
  await db(env).batch([
    db(env).delete(staff).where(eq(staff.id, id)),
    db(env).delete(refreshTokens).where(eq(refreshTokens.accountId, id)),
  ]);
  forgetAccountState('staff', id);
}
