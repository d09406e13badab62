import { eq } from 'drizzle-orm';
import { isoInZone } from '../../domain/zoned-time';
import { type SocketSubject, SUBJECT_HEADER } from '../../durable-objects/store/contract';
import { stores } from '../../schema/d1/tables';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { db } from '../lib/db';
import { randomHex, sha256Hex } from '../lib/ids';
import { storeStub } from '../stores/store-gateway';

/*
 * Kitchen sockets without long-lived tokens in their address: a display asks for a ticket
 * with its bearer token, then opens the socket with `?ticket=`. The ticket is kept (hashed)
 * in the store's object, where the socket lands, and used up by the upgrade; it lives a
 * minute, long enough for a slow network, short enough that a leaked URL is worthless.
 */
export const SOCKET_TICKET_TTL_MS = 60_000;

/** A one-time ticket for this store's kitchen socket, standing for the caller's principal. */
export async function issueSocketTicket(env: Env, storeId: string, p: Principal, timeZone: string, now = Date.now()) {
  const ticket = `kst_${randomHex(24)}`;
  const expiresAt = now + SOCKET_TICKET_TTL_MS;
  await storeStub(env, storeId).issueSocketTicket(await sha256Hex(ticket), JSON.stringify(p), expiresAt, now);
  return { ticket, expiresAt: isoInZone(expiresAt, timeZone) };
}

/** The principal a ticket stands for, using it up; undefined for an unknown, used or late one. */
export async function redeemSocketTicket(env: Env, storeId: string, ticket: string): Promise<Principal | undefined> {
  if (!/^kst_[0-9a-f]{48}$/.test(ticket)) return undefined;
  const principal = await storeStub(env, storeId).redeemSocketTicket(await sha256Hex(ticket));
  return principal ? (JSON.parse(principal) as Principal) : undefined;
}

/** The header that tells the store who a socket is for and when its credential expires. */
export function socketSubjectHeader(p: Principal): [string, string] {
  const subject: SocketSubject = {
    role: p.role,
    subject: p.subject,
    expiresAt: p.expiresAt !== undefined ? p.expiresAt * 1000 : null,
  };
  return [SUBJECT_HEADER, JSON.stringify(subject)];
}

/**
 * Closes every kitchen socket a subject holds, with close code 4401 and reason
 * `auth.token_revoked`: call it when a device is revoked or a staff member signs out
 * everywhere (or is deactivated). `storeIds`: the stores the subject could have connected
 * to; empty for a brand-wide role (admin), which means every store of `brandId`. Returns
 * how many sockets were closed. A display that reconnects is refused by the token check.
 */
export async function closeSocketsOf(
  env: Env,
  who: { brandId: string; storeIds: string[]; subject: { role: Principal['role']; subject: string } },
): Promise<number> {
  const ids =
    who.storeIds.length > 0
      ? who.storeIds
      : (await db(env).select({ id: stores.id }).from(stores).where(eq(stores.brandId, who.brandId))).map((s) => s.id);
  let closed = 0;
  for (let i = 0; i < ids.length; i += 20) {
    const counts = await Promise.all(ids.slice(i, i + 20).map((id) => storeStub(env, id).closeSockets(who.subject)));
    closed += counts.reduce((a, b) => a + b, 0);
  }
  return closed;
}
