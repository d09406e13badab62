/*
 * Who may hold a display socket, and for how long. The worker checks the token (or the
 * one-time ticket below) and tells the store who the socket is for; each socket carries that
 * subject as a tag, so revoking a device or signing a staff member out closes exactly their
 * sockets, and its token's expiry in its attachment, so a socket does not outlive its token.
 */

/** Close code and reasons a display sees when its credentials end (4000-4999: application codes). */
export const SOCKET_AUTH_CLOSE = 4401;
export const REVOKED_REASON = 'auth.token_revoked';
export const EXPIRED_REASON = 'auth.token_expired';

/** Who a socket is for, as the worker's header `X-Tiffin-Socket` names it. */
export interface SocketSubject {
  role: string;
  subject: string;
  /** Epoch ms when the credential it was opened with expires; null: no expiry known. */
  expiresAt: number | null;
}

export const SUBJECT_HEADER = 'X-Tiffin-Socket';

/** The tag a subject's sockets carry (tags are how the Hibernation API finds sockets). */
export const subjectTag = (s: { role: string; subject: string }) => `who:${s.role}:${s.subject}`.slice(0, 256);

export function readSubject(request: Request): SocketSubject {
  try {
    const s = JSON.parse(request.headers.get(SUBJECT_HEADER) ?? '') as Partial<SocketSubject>;
    if (typeof s.role === 'string' && typeof s.subject === 'string') {
      return { role: s.role, subject: s.subject, expiresAt: typeof s.expiresAt === 'number' ? s.expiresAt : null };
    }
  } catch {
    // Fall through: an unknown subject.
  }
  return { role: 'unknown', subject: 'unknown', expiresAt: null };
}

const closeQuietly = (ws: WebSocket, reason: string) => {
  try {
    ws.close(SOCKET_AUTH_CLOSE, reason);
  } catch {
    // Already closed.
  }
};

/** Closes every socket of a subject (revoked device, staff signed out); returns how many. */
export function closeSubjectSockets(ctx: DurableObjectState, who: { role: string; subject: string }): number {
  const sockets = ctx.getWebSockets(subjectTag(who));
  for (const ws of sockets) closeQuietly(ws, REVOKED_REASON);
  return sockets.length;
}

/**
 * True if the socket's credential has expired; the socket is then closed. Checked before
 * anything is sent to a socket and on every frame it sends, so an expired socket neither
 * receives nor acts; an idle one costs nothing until then (it answers pings without waking
 * the object) and is closed on the next event.
 */
export function expired(ws: WebSocket, now: number): boolean {
  const at = (ws.deserializeAttachment() as { expiresAt?: number | null } | null)?.expiresAt;
  if (typeof at !== 'number' || at > now) return false;
  closeQuietly(ws, EXPIRED_REASON);
  return true;
}

// ---------- one-time tickets ----------

/** Stores a ticket (its hash) for the principal the worker will get back; drops expired ones. */
export function issueTicket(sql: SqlStorage, hash: string, principal: string, expiresAt: number, now: number): void {
  sql.exec('DELETE FROM socket_tickets WHERE expires_at <= ?', now);
  sql.exec('INSERT INTO socket_tickets (hash, principal, expires_at) VALUES (?, ?, ?)', hash, principal, expiresAt);
}

/** Uses a ticket up: the first caller gets its principal, every later one (or a late one) null. */
export function redeemTicket(sql: SqlStorage, hash: string, now: number): string | null {
  const row = sql
    .exec<{ principal: string; expires_at: number }>(
      'DELETE FROM socket_tickets WHERE hash = ? RETURNING principal, expires_at',
      hash,
    )
    .toArray()[0];
  return row && row.expires_at > now ? row.principal : null;
}
