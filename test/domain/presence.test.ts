import { describe, expect, it } from 'vitest';
import { SEAT_TICKET_TTL, type SeatClaims, seatOutlived, seatRefusal } from '../../domain/sessions/presence';

const now = Date.parse('2026-11-23T12:00:00+08:00');
const claims: SeatClaims = {
  storeId: 'sto_a',
  tableId: 'tbl_a1',
  memberId: 'mem_ana',
  qrVersion: 'v1',
  issuedAt: now,
  expiresAt: now + SEAT_TICKET_TTL,
};
const here = { storeId: 'sto_a', tableId: 'tbl_a1', qrVersion: 'v1', memberId: 'mem_ana' };

describe('a seat ticket', () => {
  it('seats its member at its table under the QR code it was scanned from, for three hours', () => {
    expect(seatRefusal(claims, here, now + SEAT_TICKET_TTL - 1)).toBeNull();
    expect(seatRefusal(claims, here, now + SEAT_TICKET_TTL)).toBe('expired');
  });

  it('is refused at another table or store, after the code is rotated, or to another member', () => {
    expect(seatRefusal(claims, { ...here, tableId: 'tbl_a2' }, now)).toBe('other_table');
    expect(seatRefusal(claims, { ...here, storeId: 'sto_b' }, now)).toBe('other_table');
    expect(seatRefusal(claims, { ...here, qrVersion: 'v2' }, now)).toBe('qr_rotated');
    expect(seatRefusal(claims, { ...here, memberId: 'mem_bo' }, now)).toBe('other_member');
    // Scanned before signing in: whoever holds it is at the table.
    expect(seatRefusal({ ...claims, memberId: null }, { ...here, memberId: 'mem_bo' }, now)).toBeNull();
  });

  it("belongs to the party that left once the table's session closed after it was issued", () => {
    expect(seatOutlived(now, null)).toBe(false);
    expect(seatOutlived(now, now - 1)).toBe(false);
    expect(seatOutlived(now, now + 60_000)).toBe(true);
  });
});
