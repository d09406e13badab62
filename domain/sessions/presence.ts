import { HOUR } from '../time';

/*
 * Proof of presence at a table. A table id is permanent and printed nowhere secret, so it
 * proves nothing; the QR code on the table does, and only in its current version. Scanning
 * it gives a seat ticket bound to the store, the table, the member who scanned and the
 * QR's version, short-lived, and dead once that table's session is closed.
 */

/** How long a seat ticket lets a guest order without scanning again: a long meal. */
export const SEAT_TICKET_TTL = 3 * HOUR;

/** Unpaid rounds a diner may have on an open tab that staff have not yet served. */
export const DEFAULT_MAX_UNSERVED_ROUNDS = 4;

export interface SeatClaims {
  storeId: string;
  tableId: string;
  /** The member who scanned; null when the code was scanned before signing in. */
  memberId: string | null;
  /** A digest of the QR token scanned: a rotated code has another. */
  qrVersion: string;
  issuedAt: number;
  expiresAt: number;
}

export type PresenceRefusal = 'missing' | 'expired' | 'other_table' | 'qr_rotated' | 'other_member' | 'session_closed';

/** Why a ticket does not seat this guest at this table now, or null when it does. */
export function seatRefusal(
  claims: SeatClaims,
  at: { storeId: string; tableId: string; qrVersion: string; memberId: string },
  now: number,
): PresenceRefusal | null {
  if (claims.storeId !== at.storeId || claims.tableId !== at.tableId) return 'other_table';
  if (claims.qrVersion !== at.qrVersion) return 'qr_rotated';
  if (claims.memberId !== null && claims.memberId !== at.memberId) return 'other_member';
  if (now >= claims.expiresAt || claims.issuedAt > now + 60_000) return 'expired';
  return null;
}

/** A ticket issued before the table's last session closed belongs to the party that left. */
export function seatOutlived(seatedAt: number, lastClosedAt: number | null): boolean {
  return lastClosedAt !== null && lastClosedAt >= seatedAt;
}

export const presenceMessages: Record<PresenceRefusal, string> = {
  missing: 'Scan the QR code on the table to order to it.',
  expired: 'Your seat ticket has expired; scan the QR code on the table again.',
  other_table: 'This seat ticket is for another table; scan the QR code on your table.',
  qr_rotated: "This table's QR code has changed; scan the code on the table again.",
  other_member: 'This seat ticket was issued to someone else; scan the QR code on the table yourself.',
  session_closed: "This table's bill was closed after you scanned; scan the QR code again to start a new one.",
};
