import { and, eq } from 'drizzle-orm';
import { admins, staff } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import type { AccountRole } from './account-state';

/** A staff member or admin as sign-in sees them: who, what they may reach, and their credentials. */
export interface AccountRecord {
  id: string;
  brandId: string;
  role: AccountRole;
  name: string;
  login: string;
  staffRole?: 'clerk' | 'manager';
  storeIds: string[];
  active: boolean;
  passwordHash: string | null;
  tokensValidAfter: number;
}

type StaffRow = typeof staff.$inferSelect;
type AdminRow = typeof admins.$inferSelect;

const fromStaff = (r: StaffRow): AccountRecord => ({
  id: r.id,
  brandId: r.brandId,
  role: 'staff',
  name: r.name,
  login: r.login ?? '',
  staffRole: r.role,
  storeIds: json<string[]>(r.storeIds, []),
  active: r.active,
  passwordHash: r.passwordHash,
  tokensValidAfter: r.tokensValidAfter,
});

const fromAdmin = (r: AdminRow): AccountRecord => ({
  id: r.id,
  brandId: r.brandId,
  role: 'admin',
  name: r.name,
  login: r.login,
  storeIds: [],
  active: r.active,
  passwordHash: r.passwordHash,
  tokensValidAfter: r.tokensValidAfter,
});

/** What an account is called in answers (never its credentials). */
export function accountView(a: AccountRecord) {
  return {
    id: a.id,
    brandId: a.brandId,
    name: a.name,
    login: a.login,
    role: a.role,
    ...(a.role === 'staff' ? { staffRole: a.staffRole } : {}),
    storeIds: a.storeIds,
  };
}

/** The account signing in as `login` in the brand (logins are unique across staff and admins). */
export async function findByLogin(env: Env, brandId: string, login: string): Promise<AccountRecord | null> {
  const [s, a] = await db(env).batch([
    db(env)
      .select()
      .from(staff)
      .where(and(eq(staff.brandId, brandId), eq(staff.login, login))),
    db(env)
      .select()
      .from(admins)
      .where(and(eq(admins.brandId, brandId), eq(admins.login, login))),
  ]);
  if (a[0]) return fromAdmin(a[0]);
  return s[0] ? fromStaff(s[0]) : null;
}

export async function findAccount(env: Env, role: AccountRole, id: string): Promise<AccountRecord | null> {
  if (role === 'admin') {
    const row = await db(env).select().from(admins).where(eq(admins.id, id)).get();
    return row ? fromAdmin(row) : null;
  }
  const row = await db(env).select().from(staff).where(eq(staff.id, id)).get();
  return row ? fromStaff(row) : null;
}

/** Which kind of account an id names, by its prefix. */
export function roleOfId(id: string): AccountRole | null {
  if (id.startsWith('adm_')) return 'admin';
  if (id.startsWith('stf_')) return 'staff';
  return null;
}

/** True when the login is already someone's in the brand. */
export async function loginTaken(env: Env, brandId: string, login: string): Promise<boolean> {
  return (await findByLogin(env, brandId, login)) !== null;
}

/** Stores a new password hash (or clears it, for a reset). */
export async function setPasswordHash(
  env: Env,
  a: Pick<AccountRecord, 'role' | 'id'>,
  hash: string | null,
  now: number,
) {
  if (a.role === 'admin') {
    await db(env).update(admins).set({ passwordHash: hash, updatedAt: now }).where(eq(admins.id, a.id));
  } else {
    await db(env).update(staff).set({ passwordHash: hash, updatedAt: now }).where(eq(staff.id, a.id));
  }
}
