import { fromBase64Url, toBase64Url } from '../../domain/encoding';
import {
  type PresenceRefusal,
  presenceMessages,
  SEAT_TICKET_TTL,
  type SeatClaims,
  seatRefusal,
} from '../../domain/sessions/presence';
import type { Env } from '../env';
import type { Principal } from '../http/app-env';
import { ApiError } from '../http/errors';
import { sha256Hex } from '../lib/ids';
import { dataKeyBytes } from '../lib/seal';

/*
 * Seat tickets are signed, not stored: HMAC-SHA256 under a key derived (HKDF) from
 * DATA_KEY. Rotation of the table's QR code kills them because they carry the code's
 * version; the store refuses one issued before the table's last session closed.
 * Format: `st1.<claims, base64url JSON>.<mac, base64url>`.
 */

let cached: { source: string; key: Promise<CryptoKey> } | undefined;

function ticketKey(env: Pick<Env, 'DATA_KEY'>): Promise<CryptoKey> {
  const source = env.DATA_KEY ?? '';
  if (cached?.source !== source) {
    const raw = dataKeyBytes(env);
    const key = (async () => {
      const ikm = await crypto.subtle.importKey('raw', raw, 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: new Uint8Array(0),
          info: new TextEncoder().encode('tiffin/seat-ticket/v1'),
        },
        ikm,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign', 'verify'],
      );
    })();
    cached = { source, key };
  }
  return cached.key;
}

/** The version of a table's QR code a ticket is bound to; the token itself stays out of it. */
export async function qrVersion(qrToken: string): Promise<string> {
  return (await sha256Hex(`qr-version:${qrToken}`)).slice(0, 16);
}

type TableRef = { id: string; storeId: string; qrToken: string };

/** Issued when a table's QR code is scanned. */
export async function issueSeatTicket(env: Env, table: TableRef, memberId: string | null, now = Date.now()) {
  const claims: SeatClaims = {
    storeId: table.storeId,
    tableId: table.id,
    memberId,
    qrVersion: await qrVersion(table.qrToken),
    issuedAt: now,
    expiresAt: now + SEAT_TICKET_TTL,
  };
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify(claims)));
  const mac = await crypto.subtle.sign('HMAC', await ticketKey(env), new TextEncoder().encode(`st1.${payload}`));
  return { ticket: `st1.${payload}.${toBase64Url(mac)}`, expiresAt: claims.expiresAt };
}

async function readTicket(env: Env, ticket: string): Promise<SeatClaims | null> {
  const [v, payload, mac] = ticket.split('.');
  if (v !== 'st1' || !payload || !mac) return null;
  try {
    const ok = await crypto.subtle.verify(
      'HMAC',
      await ticketKey(env),
      fromBase64Url(mac),
      new TextEncoder().encode(`st1.${payload}`),
    );
    return ok ? (JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as SeatClaims) : null;
  } catch {
    return null;
  }
}

export const presenceRequired = (why: PresenceRefusal) =>
  new ApiError(403, 'table.presence_required', presenceMessages[why], { extra: { reason: why } });

/**
 * A guest's proof of sitting at this table: the table's current QR token, or a seat
 * ticket from scanning it. Staff and admins take orders for a table without one (waiter
 * mode). Answers when the guest was seated, which the store compares with the table's
 * last closed session.
 */
export async function provePresence(
  env: Env,
  principal: Principal,
  table: TableRef,
  proof: { seatTicket?: string; qrToken?: string },
  now = Date.now(),
): Promise<{ seatedAt: number } | undefined> {
  if (principal.role === 'staff' || principal.role === 'admin') return undefined;
  if (proof.qrToken !== undefined) {
    // Digests compared, so the comparison's timing says nothing about the current token.
    if ((await qrVersion(proof.qrToken)) !== (await qrVersion(table.qrToken))) throw presenceRequired('qr_rotated');
    return { seatedAt: now };
  }
  if (proof.seatTicket === undefined) throw presenceRequired('missing');
  const claims = await readTicket(env, proof.seatTicket);
  if (!claims) throw presenceRequired('missing');
  const refusal = seatRefusal(
    claims,
    {
      storeId: table.storeId,
      tableId: table.id,
      qrVersion: await qrVersion(table.qrToken),
      memberId: principal.subject,
    },
    now,
  );
  if (refusal) throw presenceRequired(refusal);
  return { seatedAt: claims.issuedAt };
}
