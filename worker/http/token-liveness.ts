import { and, eq } from 'drizzle-orm';
import { issuedBefore, tokenCutoff } from '../../domain/token-revocation';
import { devices, members } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db, json } from '../lib/db';
import { Recent } from '../lib/recent';
import type { Principal } from './app-env';
import { ApiError } from './errors';
import { noteTokensValidAfter, tokenRevoked } from './tokens';

/*
 * A signature proves who a token was issued to, not that it still counts: a member may
 * have signed out everywhere or been erased, a device may have been revoked or deleted.
 * Every request checks its token against that state, read from D1 and remembered by each
 * isolate for LIVENESS_TTL_MS. So a revocation takes effect at once in the isolate that made
 * it and within that time everywhere else, at one D1 read per subject per isolate per
 * interval rather than one per request.
 */
export const LIVENESS_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/** What a device token is checked against (the kitchen socket also reads its stations). */
export interface DeviceState {
  live: boolean;
  storeId: string;
  stations: string[];
}

/** Per member: the instant before which their tokens are dead. */
const memberCutoffs = new Recent<number>(LIVENESS_TTL_MS, MAX_ENTRIES);
const deviceStates = new Recent<DeviceState>(LIVENESS_TTL_MS, MAX_ENTRIES);

export const deviceRevoked = () =>
  new ApiError(401, 'auth.token_revoked', 'This device was revoked or removed; enrol it again.', {
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

/**
 * Refuses a token whose subject no longer accepts it: 401 `auth.token_revoked`. Members and
 * devices are checked here; staff and admin tokens by their accounts' own check.
 * `memberCheckedByRoute`: the route checks the member itself (the StoreDO's batched member
 * read at placement, or `liveMember`), so no second D1 read is added to it.
 */
export async function assertTokenLive(
  env: Env,
  p: Principal,
  opts: { memberCheckedByRoute?: boolean } = {},
  now = Date.now(),
): Promise<void> {
  if (p.role === 'member' && !opts.memberCheckedByRoute) {
    const cutoff = await memberCutoff(env, p, now);
    if (issuedBefore(p, cutoff)) {
      noteTokensValidAfter(p.brandId, p.subject, cutoff);
      throw tokenRevoked();
    }
  }
  if (p.role === 'device') await liveDevice(env, p, now);
}

function memberCutoff(env: Env, p: Principal, now: number): Promise<number> {
  return memberCutoffs.through(`${p.brandId}:${p.subject}`, now, async () => {
    const row = await db(env)
      .select({ tokensValidAfter: members.tokensValidAfter, deletedAt: members.deletedAt })
      .from(members)
      .where(and(eq(members.id, p.subject), eq(members.brandId, p.brandId)))
      .get();
    // No row: nothing was revoked (an erased member keeps a row; member routes 404 a missing one).
    return row ? tokenCutoff(row) : 0;
  });
}

/** The device behind a device token, refusing a revoked, deleted or moved one. */
export async function liveDevice(env: Env, p: Principal, now = Date.now()): Promise<DeviceState> {
  const state = await deviceStates.through(p.subject, now, async () => {
    const row = await db(env)
      .select({
        storeId: devices.storeId,
        brandId: devices.brandId,
        stations: devices.stations,
        revokedAt: devices.revokedAt,
      })
      .from(devices)
      .where(eq(devices.id, p.subject))
      .get();
    return {
      live: row !== undefined && row.revokedAt === null && row.brandId === p.brandId,
      storeId: row?.storeId ?? '',
      stations: json<string[]>(row?.stations ?? '[]', []),
    };
  });
  if (!state.live || !p.storeIds.includes(state.storeId)) throw deviceRevoked();
  return state;
}

/** The device was revoked: this isolate refuses its tokens at once (others within the TTL). */
export function forgetDevice(deviceId: string): void {
  deviceStates.set(deviceId, { live: false, storeId: '', stations: [] });
}

/** The member's tokens were revoked: this isolate reads the new cut-off on next use. */
export function forgetMember(brandId: string, memberId: string): void {
  memberCutoffs.delete(`${brandId}:${memberId}`);
}
