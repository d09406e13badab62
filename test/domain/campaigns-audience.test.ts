import { describe, expect, it } from 'vitest';
import { type Audience, type AudienceFacts, matchesAudience, readsProfile } from '../../domain/campaigns/audience';

const teaLover: AudienceFacts = {
  profile: { tags: ['milk tea', 'sweet'], spendingLevel: 'high', scenes: ['weekday_lunch'], healthLeaning: 'balanced' },
  segment: 'loyal',
};
const friedRegular: AudienceFacts = {
  profile: { tags: ['fried', 'snacks'], spendingLevel: 'low', scenes: ['late_night'], healthLeaning: 'fried' },
  segment: 'high_value',
};
/** The same tastes, but no personalisation consent: no profile. */
const unconsented: AudienceFacts = { profile: null, segment: 'loyal' };

describe('campaign audiences', () => {
  const combo: Audience = {
    any: [{ all: [{ tag: 'Milk-Tea' }, { spendingLevel: 'high' }] }, { healthLeaning: 'fried' }],
  };

  it('AND inside OR: big-spending milk-tea lovers or fried-food regulars', () => {
    expect(matchesAudience(combo, teaLover)).toBe(true);
    expect(matchesAudience(combo, friedRegular)).toBe(true);
    expect(matchesAudience(combo, { ...teaLover, profile: { ...teaLover.profile!, spendingLevel: 'mid' } })).toBe(
      false,
    );
  });

  it('a member without consent never matches a profile condition, but may match a segment', () => {
    expect(matchesAudience({ tag: 'milk tea' }, unconsented)).toBe(false);
    expect(matchesAudience({ any: [{ tag: 'milk tea' }, { segment: 'loyal' }] }, unconsented)).toBe(true);
    expect(matchesAudience({ all: [{ tag: 'milk tea' }, { segment: 'loyal' }] }, unconsented)).toBe(false);
  });

  it('scenes match the main scenes', () => {
    expect(matchesAudience({ scene: 'late_night' }, friedRegular)).toBe(true);
    expect(matchesAudience({ scene: 'late_night' }, teaLover)).toBe(false);
  });

  it('knows whether an audience reads the profile', () => {
    expect(readsProfile(combo)).toBe(true);
    expect(readsProfile({ all: [{ segment: 'loyal' }, { any: [{ segment: 'new' }] }] })).toBe(false);
  });
});
