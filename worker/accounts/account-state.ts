import { eq } from 'drizzle-orm';
import { issuedBefore } from '../../domain/token-revocation';
import { admins, staff } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError } from '../http/errors';
import { db, json } from '../lib/db';
import { Recent } from '../lib/recent';

export type AccountRole = 'staff' | 'admin';

/** What decides whether a staff or admin token still counts, and what it may reach. */
export interface AccountState {
  brandId: string;
  active: boolean;
  staffRole?: 'clerk' | 'manager';
  storeIds: string[];
  tokensValidAfter: number;
}

/** /v1/auth/dev mints only on a local, plain-http deployment with DEV_AUTH on. */
export function devAuthEnabled(env: Pick<Env, 'DEV_AUTH' | 'PUBLIC_BASE_URL'>): boolean {
  return env.DEV_AUTH === '1' && !env.PUBLIC_BASE_URL?.startsWith('https');
}

/** The account's current state from D1 (no cache): null when it does not exist. */
export async function loadAccountState(env: Env, role: AccountRole, id: string): Promise<AccountState | null> {
  if (role === 'admin') {
    const row = await db(env)
      .select({ brandId: admins.brandId, active: admins.active, tokensValidAfter: admins.tokensValidAfter })
      .from(admins)
      .where(eq(admins.id, id))
      .get();
    return row ? { ...row, storeIds: [] } : null;
  }
  const row = await db(env)
    .select({
      brandId: staff.brandId,
      active: staff.active,
      role: staff.role,
      storeIds: staff.storeIds,
      tokensValidAfter: staff.tokensValidAfter,
    })
    .from(staff)
    .where(eq(staff.id, id))
    .get();
  if (!row) return null;
  const { role: staffRole, storeIds, ...rest } = row;
  return { ...rest, staffRole, storeIds: json<string[]>(storeIds, []) };
}

/*
 * Every staff and admin token is checked against its account on every request. Each isolate
 * keeps the state it read for a short while (a changed role, store list or deactivation
 * reaches every isolate within STATE_TTL_MS), and forgets it at once when this isolate
 * makes the change.
 */
export const STATE_TTL_MS = 30_000;
const STATE_MAX = 5_000;
const states = new Recent<AccountState | null>(STATE_TTL_MS, STATE_MAX);

/** Drops this isolate's copy of an account's state: call after changing the account. */
export function forgetAccountState(role: AccountRole, id: string): void {
  states.delete(`${role}:${id}`);
}

const cachedState = (env: Env, role: AccountRole, id: string, now: number) =>
  states.through(`${role}:${id}`, now, () => loadAccountState(env, role, id));

const accountRefused = (detail: string) =>
  new ApiError(401, 'auth.account_refused', detail, {
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

/**
 * The principal as the account stands now: a staff token is re-scoped to the account's
 * current role and stores; a missing, deactivated or signed-out account is a 401.
 * Members, devices and partners pass through (their own checks live elsewhere).
 */
export async function checkAccount(env: Env, p: Principal, now = Date.now()): Promise<Principal> {
  if (p.role !== 'staff' && p.role !== 'admin') return p;
  // Tokens minted by /v1/auth/dev have no account: they count only while DEV_AUTH is on.
  if (p.dev) {
    if (env.DEV_AUTH === '1') return p;
    throw accountRefused('Development tokens are not accepted here; sign in.');
  }
  const state = await cachedState(env, p.role, p.subject, now);
  if (!state || state.brandId !== p.brandId) throw accountRefused('This account no longer exists.');
  if (!state.active) throw accountRefused('This account has been deactivated.');
  if (issuedBefore(p, state.tokensValidAfter)) throw accountRefused('This session was signed out; sign in again.');
  if (p.role === 'admin') return p;
  return { ...p, staffRole: state.staffRole, storeIds: state.storeIds };
}
