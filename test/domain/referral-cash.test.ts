import { describe, expect, it } from 'vitest';
import { referralCashState } from '../../domain/loyalty/referral';

describe('referral cash', () => {
  it('sums locked and unlocked cash, leaves out void, and unlocks at the friend count', () => {
    const rows = [
      { amount: 500, status: 'locked' as const },
      { amount: 500, status: 'locked' as const },
      { amount: 500, status: 'void' as const },
      { amount: 300, status: 'unlocked' as const },
    ];
    expect(referralCashState(rows, 2, 3)).toEqual({
      lockedCents: 1000,
      unlockedCents: 300,
      friendsCompleted: 2,
      friendsNeeded: 3,
      unlocks: false,
    });
    expect(referralCashState(rows, 3, 3).unlocks).toBe(true);
  });
});
