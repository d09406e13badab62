import { describe, expect, it } from 'vitest';
import { wordKey, wordOpen } from '../../domain/games/secret-word';

describe('secret words', () => {
  it('match however the staff typed what they heard: full-width, spaces, case', () => {
    expect(wordKey(' 芝麻 开门 ')).toBe('芝麻开门');
    expect(wordKey('ＯＰＥＮ Sesame')).toBe('opensesame');
    expect(wordKey('芝麻开门')).not.toBe(wordKey('芝麻关门'));
  });

  it('open only while active, inside the window, at one of its stores', () => {
    const w = { active: true, startsAt: 100, endsAt: 200, storeIds: ['sto_a'] };
    expect(wordOpen(w, 'sto_a', 150)).toBe(true);
    expect(wordOpen(w, 'sto_b', 150)).toBe(false);
    expect(wordOpen(w, 'sto_a', 99)).toBe(false);
    expect(wordOpen(w, 'sto_a', 200)).toBe(false);
    expect(wordOpen({ ...w, active: false }, 'sto_a', 150)).toBe(false);
    expect(wordOpen({ ...w, storeIds: null, endsAt: null }, 'sto_z', 10_000)).toBe(true);
  });
});
