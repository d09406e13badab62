import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { AdminPatch } from '../../schema/api/accounts.schemas';
import { admins } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import { forgetAccountState } from './account-state';
import { signOutEverywhere } from './sessions.service';

type AdminRow = typeof admins.$inferSelect;

const view = (r: AdminRow) => ({
  id: r.id,
  name: r.name,
  login: r.login,
  active: r.active,
  passwordSet: r.passwordHash !== null,
});

export async function listAdmins(env: Env, brandId: string) {
  return (await db(env).select().from(admins).where(eq(admins.brandId, brandId)).orderBy(admins.name)).map(view);
}

/** Renames or (de)activates an admin; deactivation signs them out everywhere. An admin cannot lock themselves out. */
export async function updateAdmin(
  env: Env,
  brandId: string,
  actorId: string,
  id: string,
  patch: z.infer<typeof AdminPatch>,
  now = Date.now(),
) {
  const row = await db(env)
    .select()
    .from(admins)
    .where(and(eq(admins.id, id), eq(admins.brandId, brandId)))
    .get();
  if (!row) throw notFound('admin', id);
  if (patch.active === false && id === actorId) {
    throw new ApiError(409, 'account.self_deactivation', 'An admin cannot deactivate their own account.');
  }
  const next = { ...row, ...patch, updatedAt: now };
  await db(env).update(admins).set({ name: next.name, active: next.active, updatedAt: now }).where(eq(admins.id, id));
  if (row.active && next.active === false) await signOutEverywhere(env, 'admin', id, now);
  forgetAccountState('admin', id);
  return view(next);
}
