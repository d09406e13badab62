import { describe, expect, it } from 'vitest';
import { anonymizedOrderBody } from '../../domain/privacy';

describe('erasing a member', () => {
  it('clears the delivery’s care note with the address and phone (孕妇 says something about a person)', () => {
    const body = JSON.stringify({
      note: 'no cilantro',
      delivery: { sealedAddress: 'v1.x', sealedPhone: 'v1.y', distanceMetres: 1100, careNote: '孕妇 / pregnant' },
    });
    const erased = JSON.parse(anonymizedOrderBody(body));
    expect(erased.delivery).toEqual({ sealedAddress: '', sealedPhone: '', distanceMetres: 1100, careNote: null });
    expect(erased.note).toBeNull();
  });
});
