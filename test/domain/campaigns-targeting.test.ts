import { describe, expect, it } from 'vitest';
import {
  defaultRfmBands,
  holdoutBucket,
  inactivityEpisode,
  isNightOwl,
  type MarketingPushInput,
  mayPushMarketing,
  rfmScores,
  withinGeofence,
} from '../../domain/campaigns/targeting';
import { distanceMetres } from '../../domain/geo';
import { localDay } from '../../domain/zoned-time';

/** An instant written as local wall time with its offset, e.g. `2026-06-18T21:30+08:00`. */
const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
const NOW = at('2026-06-18T12:00+08:00');
const daysAgo = (d: number) => NOW - d * DAY;

describe('RFM scores and segments', () => {
  it('three orders in the last 30 days make a member high value, whatever they spent', () => {
    expect(rfmScores({ lastOrderAt: daysAgo(1), orders: 3, spend: 9_000 }, NOW)).toEqual({
      r: 5,
      f: 3,
      m: 2,
      segment: 'high_value',
    });
  });

  it('a weekly regular who spends ¥650 a month scores top marks in every band', () => {
    expect(rfmScores({ lastOrderAt: daysAgo(2), orders: 8, spend: 65_000 }, NOW)).toEqual({
      r: 5,
      f: 5,
      m: 5,
      segment: 'high_value',
    });
  });

  it('two orders in the window is loyal', () => {
    expect(rfmScores({ lastOrderAt: daysAgo(10), orders: 2, spend: 7_000 }, NOW).segment).toBe('loyal');
  });

  it('one recent order is new; one order older than two weeks is occasional', () => {
    expect(rfmScores({ lastOrderAt: daysAgo(14), orders: 1, spend: 3_500 }, NOW).segment).toBe('new');
    expect(rfmScores({ lastOrderAt: daysAgo(15), orders: 1, spend: 3_500 }, NOW).segment).toBe('occasional');
  });

  it('a member who never ordered is new, with the lowest recency', () => {
    expect(rfmScores({ lastOrderAt: null, orders: 0, spend: 0 }, NOW)).toEqual({ r: 1, f: 1, m: 1, segment: 'new' });
  });

  it('30 quiet days put a member at risk, 60 make them dormant', () => {
    expect(rfmScores({ lastOrderAt: daysAgo(29), orders: 1, spend: 3_000 }, NOW).segment).toBe('occasional');
    expect(rfmScores({ lastOrderAt: daysAgo(30), orders: 0, spend: 0 }, NOW).segment).toBe('at_risk');
    expect(rfmScores({ lastOrderAt: daysAgo(59), orders: 0, spend: 0 }, NOW).segment).toBe('at_risk');
    expect(rfmScores({ lastOrderAt: daysAgo(60), orders: 0, spend: 0 }, NOW).segment).toBe('dormant');
  });

  it('recency scores fall at 3, 7, 14 and 30 days', () => {
    const r = (d: number) => rfmScores({ lastOrderAt: daysAgo(d), orders: 1, spend: 0 }, NOW).r;
    expect([0, 3, 4, 7, 8, 14, 15, 30, 31].map(r)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1]);
  });

  it('bands are data: a brand can demand more for high value', () => {
    const strict = { ...defaultRfmBands, highValueOrders: 5 };
    expect(rfmScores({ lastOrderAt: daysAgo(1), orders: 4, spend: 20_000 }, NOW, strict).segment).toBe('loyal');
  });
});

describe('inactivity episodes', () => {
  const last = at('2026-06-01T19:00+08:00');
  const steps = [3, 7, 60];

  it('no step before three days', () => {
    expect(inactivityEpisode(last, last + 2.9 * DAY, steps)).toMatchObject({ days: 2, step: null });
  });

  it('the step is the largest threshold reached, so a late run skips the smaller one', () => {
    expect(inactivityEpisode(last, last + 3 * DAY, steps).step).toBe(3);
    expect(inactivityEpisode(last, last + 8 * DAY, steps).step).toBe(7);
    expect(inactivityEpisode(last, last + 90 * DAY, [60, 3, 7]).step).toBe(60);
  });

  it('the episode stays the same until the member orders again', () => {
    const day3 = inactivityEpisode(last, last + 3 * DAY, steps);
    const day9 = inactivityEpisode(last, last + 9 * DAY, steps);
    expect(day3.episodeKey).toBe(day9.episodeKey);
    const reordered = last + 10 * DAY;
    const next = inactivityEpisode(reordered, reordered + 3 * DAY, steps);
    expect(next.step).toBe(3);
    expect(next.episodeKey).not.toBe(day3.episodeKey);
  });
});

describe('night owls', () => {
  it('half or more of at least three orders after 21:00 or before 04:00', () => {
    expect(isNightOwl([22, 23, 12])).toBe(true);
    expect(isNightOwl([21, 1, 12, 13])).toBe(true);
    expect(isNightOwl([20, 4, 12, 23])).toBe(false);
  });

  it('too few orders say nothing', () => {
    expect(isNightOwl([23, 23])).toBe(false);
    expect(isNightOwl([23, 23], { minOrders: 2 })).toBe(true);
  });
});

describe('marketing push rules', () => {
  const base: MarketingPushInput = {
    now: at('2026-06-18T15:00+08:00'),
    timeZone: 'Asia/Shanghai',
    quiet: { from: '21:30', to: '09:00' },
    sentToday: 0,
    dailyCap: 1,
    consent: true,
  };

  it('an afternoon push with consent and no push yet today may go', () => {
    expect(mayPushMarketing(base)).toEqual({ ok: true });
  });

  it('without consent nothing goes, not even later', () => {
    expect(mayPushMarketing({ ...base, consent: false })).toEqual({ ok: false, reason: 'no_consent' });
  });

  it('from 21:30 it waits for 09:00 the next morning', () => {
    expect(mayPushMarketing({ ...base, now: at('2026-06-18T21:29+08:00') })).toEqual({ ok: true });
    expect(mayPushMarketing({ ...base, now: at('2026-06-18T21:30+08:00') })).toEqual({
      ok: false,
      reason: 'quiet_hours',
      retryAt: at('2026-06-19T09:00+08:00'),
    });
  });

  it('after midnight it waits for 09:00 the same morning; 09:00 itself is allowed', () => {
    expect(mayPushMarketing({ ...base, now: at('2026-06-19T02:00+08:00') })).toMatchObject({
      reason: 'quiet_hours',
      retryAt: at('2026-06-19T09:00+08:00'),
    });
    expect(mayPushMarketing({ ...base, now: at('2026-06-19T09:00+08:00') })).toEqual({ ok: true });
  });

  it('quiet hours are read in the store’s zone, not UTC', () => {
    // 13:00 UTC is 21:00 in Shanghai (allowed) but 22:00 in Tokyo (quiet).
    const instant = Date.UTC(2026, 5, 18, 13);
    expect(mayPushMarketing({ ...base, now: instant })).toEqual({ ok: true });
    expect(mayPushMarketing({ ...base, now: instant, timeZone: 'Asia/Tokyo' })).toMatchObject({
      reason: 'quiet_hours',
      retryAt: at('2026-06-19T09:00+09:00'),
    });
  });

  it('the quiet window ends at 09:00 local across a daylight-saving change', () => {
    // New York springs forward at 02:00 on 2026-03-08: the evening is EST, the morning EDT.
    expect(
      mayPushMarketing({ ...base, timeZone: 'America/New_York', now: at('2026-03-07T23:00-05:00') }),
    ).toMatchObject({ reason: 'quiet_hours', retryAt: at('2026-03-08T09:00-04:00') });
  });

  it('a same-day window works too', () => {
    const siesta = { ...base, quiet: { from: '13:00', to: '14:30' } };
    expect(mayPushMarketing({ ...siesta, now: at('2026-06-18T13:10+08:00') })).toMatchObject({
      retryAt: at('2026-06-18T14:30+08:00'),
    });
    expect(mayPushMarketing({ ...siesta, now: at('2026-06-18T22:00+08:00') })).toEqual({ ok: true });
  });

  it('once the daily cap is reached it waits for the next local day, after its quiet hours', () => {
    expect(mayPushMarketing({ ...base, sentToday: 1 })).toEqual({
      ok: false,
      reason: 'daily_cap',
      retryAt: at('2026-06-19T09:00+08:00'),
    });
    const noQuiet = { ...base, quiet: { from: '00:00', to: '00:00' }, sentToday: 2, dailyCap: 2 };
    expect(mayPushMarketing(noQuiet)).toMatchObject({ reason: 'daily_cap', retryAt: at('2026-06-19T00:00+08:00') });
  });

  it('a capped member at 02:00 waits for tomorrow’s 09:00, not this morning’s', () => {
    expect(mayPushMarketing({ ...base, now: at('2026-06-19T02:00+08:00'), sentToday: 1 })).toMatchObject({
      reason: 'daily_cap',
      retryAt: at('2026-06-20T09:00+08:00'),
    });
  });
});

describe('store-local day keys', () => {
  it('the day turns at local midnight, not UTC midnight', () => {
    expect(localDay(at('2026-06-18T23:59+08:00'), 'Asia/Shanghai')).toBe('2026-06-18');
    expect(localDay(at('2026-06-19T00:00+08:00'), 'Asia/Shanghai')).toBe('2026-06-19');
    expect(localDay(at('2026-06-19T00:00+08:00'), 'UTC')).toBe('2026-06-18');
  });
});

describe('holdout groups', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => `mem_${i.toString(16).padStart(6, '0')}`);
  const holdouts = (campaign: string, percent: number) =>
    ids.filter((id) => holdoutBucket(campaign, id, percent) === 'holdout');

  it.each([5, 10, 20, 50])('about %i% of 10,000 members land in the holdout', (percent) => {
    const share = (holdouts('cmp_rain_day', percent).length / ids.length) * 100;
    expect(Math.abs(share - percent)).toBeLessThanOrEqual(1.5);
  });

  it('a member stays in the same group on every run', () => {
    const first = ids.map((id) => holdoutBucket('cmp_rain_day', id, 10));
    expect(ids.map((id) => holdoutBucket('cmp_rain_day', id, 10))).toEqual(first);
  });

  it('each campaign draws its own holdout', () => {
    const a = new Set(holdouts('cmp_rain_day', 10));
    const overlap = holdouts('cmp_cold_day', 10).filter((id) => a.has(id)).length;
    // Independent 10% draws overlap on about 1% of members.
    expect(overlap).toBeLessThan(250);
  });

  it('0% holds out nobody and 100% everybody', () => {
    expect(holdouts('cmp_rain_day', 0)).toHaveLength(0);
    expect(holdouts('cmp_rain_day', 100)).toHaveLength(ids.length);
  });
});

describe('geofence', () => {
  const store = { lat: 31.2304, lng: 121.4737 };
  const nearby = { lat: 31.2394, lng: 121.4737 }; // about 1 km north

  it('includes members within the radius, boundary included', () => {
    const d = distanceMetres(nearby, store);
    expect(d).toBeGreaterThan(950);
    expect(d).toBeLessThan(1050);
    expect(withinGeofence(nearby, store, d)).toBe(true);
    expect(withinGeofence(nearby, store, d - 1)).toBe(false);
    expect(withinGeofence(store, store, 0)).toBe(true);
  });
});
