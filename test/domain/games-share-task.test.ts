import { describe, expect, it } from 'vitest';
import { openKey, shareTaskState } from '../../domain/games/share-task';

describe('share tasks', () => {
  it('count a group by its openGId, else the visitor', () => {
    expect(openKey({ memberId: 'mem_a', openGId: 'G1' })).toBe('g:G1');
    expect(openKey({ memberId: 'mem_a' })).toBe('v:mem_a');
  });

  it('earn one free spin at the threshold, usable once', () => {
    expect(shareTaskState(2, 3, false)).toEqual({ opens: 2, needed: 3, earned: false, freeSpinAvailable: false });
    expect(shareTaskState(3, 3, false)).toMatchObject({ earned: true, freeSpinAvailable: true });
    expect(shareTaskState(5, 3, true)).toMatchObject({ earned: true, freeSpinAvailable: false });
    expect(shareTaskState(9, null, false)).toMatchObject({ earned: false, freeSpinAvailable: false });
  });
});
