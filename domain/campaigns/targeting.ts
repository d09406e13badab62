/*
 * Who a marketing campaign reaches and when it may reach them. Pure: the clock, the
 * member's history and the store's zone are parameters.
 */
import { distanceMetres } from '../geo';
import { hash32 } from '../hash32';
import { DAY } from '../time';
import { addDays, localTime, parseHhmm, zonedEpoch } from '../zoned-time';

/** Whole days elapsed since `from` (never negative, so a skewed clock reads as today). */
function daysSince(from: number, now: number): number {
  return Math.max(0, Math.floor((now - from) / DAY));
}

export type Score = 1 | 2 | 3 | 4 | 5;
export type Segment = 'high_value' | 'loyal' | 'new' | 'at_risk' | 'dormant' | 'occasional';

/** Thresholds for scores 2, 3, 4 and 5, in that order. */
type Bands = readonly [number, number, number, number];

export interface RfmBands {
  /** Days over which the caller counts `orders` and `spend`. */
  windowDays: number;
  /** Days since the last order at or under which recency scores 2, 3, 4, 5 (else 1). */
  recencyDays: Bands;
  /** Orders in the window at or over which frequency scores 2, 3, 4, 5. */
  frequencyOrders: Bands;
  /** Spend in the window, in cents, at or over which monetary scores 2, 3, 4, 5. */
  monetaryCents: Bands;
  highValueOrders: number;
  loyalOrders: number;
  newDays: number;
  atRiskDays: number;
  dormantDays: number;
}

export const defaultRfmBands: RfmBands = {
  windowDays: 30,
  recencyDays: [30, 14, 7, 3],
  frequencyOrders: [2, 3, 5, 8],
  monetaryCents: [5_000, 15_000, 30_000, 60_000],
  highValueOrders: 3,
  loyalOrders: 2,
  newDays: 14,
  atRiskDays: 30,
  dormantDays: 60,
};

function scoreAtLeast(value: number, bands: Bands): Score {
  let score: Score = 1;
  bands.forEach((t, i) => {
    if (value >= t) score = (i + 2) as Score;
  });
  return score;
}

function scoreAtMost(value: number, bands: Bands): Score {
  let score: Score = 1;
  bands.forEach((t, i) => {
    if (value <= t) score = (i + 2) as Score;
  });
  return score;
}

/**
 * RFM scores (1–5 each) and a segment for a member. `orders` and `spend` (cents) are
 * counted over the last `windowDays`; recency is whole days since the last order.
 *
 * Segments, first match wins:
 * - `new`: never ordered;
 * - `dormant`: no order for `dormantDays` (60);
 * - `at_risk`: no order for `atRiskDays` (30);
 * - `high_value`: `highValueOrders` (3) or more orders in the window;
 * - `loyal`: `loyalOrders` (2) orders in the window;
 * - `new`: a single order in the window, placed within `newDays` (14): a first-time or
 *   returning member, both worth a second-order nudge;
 * - `occasional`: a single order in the window, older than that.
 */
export function rfmScores(
  m: { lastOrderAt: number | null; orders: number; spend: number },
  now: number,
  bands: RfmBands = defaultRfmBands,
): { r: Score; f: Score; m: Score; segment: Segment } {
  const f = scoreAtLeast(m.orders, bands.frequencyOrders);
  const money = scoreAtLeast(m.spend, bands.monetaryCents);
  if (m.lastOrderAt === null) return { r: 1, f, m: money, segment: 'new' };
  const days = daysSince(m.lastOrderAt, now);
  const r = scoreAtMost(days, bands.recencyDays);
  let segment: Segment;
  if (days >= bands.dormantDays) segment = 'dormant';
  else if (days >= bands.atRiskDays) segment = 'at_risk';
  else if (m.orders >= bands.highValueOrders) segment = 'high_value';
  else if (m.orders >= bands.loyalOrders) segment = 'loyal';
  else if (days <= bands.newDays) segment = 'new';
  else segment = 'occasional';
  return { r, f, m: money, segment };
}

/**
 * Where a member stands in the current spell without orders. The episode is named by
 * the last order's timestamp, so a "we miss you" step (say 3, 7, 60 days) can be sent
 * once per episode by recording `(episodeKey, step)`; a new order starts a new episode.
 * `step` is the largest threshold reached, so a run that missed day 3 and comes on day
 * 8 sends only the 7-day message.
 */
export function inactivityEpisode(
  lastOrderAt: number,
  now: number,
  thresholdsDays: number[],
): { days: number; step: number | null; episodeKey: string } {
  const days = daysSince(lastOrderAt, now);
  let step: number | null = null;
  for (const t of thresholdsDays) if (t <= days && (step === null || t > step)) step = t;
  return { days, step, episodeKey: `since:${lastOrderAt}` };
}

export interface NightOwlOptions {
  /** Local hour from which an order counts as late. */
  fromHour: number;
  /** Local hour before which an after-midnight order still counts as late. */
  untilHour: number;
  minOrders: number;
  /** Fraction of orders (0–1) that must be late. */
  share: number;
}

export const defaultNightOwl: NightOwlOptions = { fromHour: 21, untilHour: 4, minOrders: 3, share: 0.5 };

/**
 * Whether a member mostly orders late at night: at least `minOrders` orders in all and
 * at least `share` of them at or after 21:00 or before 04:00 store-local time.
 */
export function isNightOwl(orderLocalHours: number[], opts: Partial<NightOwlOptions> = {}): boolean {
  const o = { ...defaultNightOwl, ...opts };
  if (orderLocalHours.length < o.minOrders) return false;
  const late = orderLocalHours.filter((h) => h >= o.fromHour || h < o.untilHour).length;
  return late / orderLocalHours.length >= o.share;
}

export interface MarketingPushInput {
  now: number;
  timeZone: string;
  /** Local `HH:MM` window with no marketing; `from` after `to` runs past midnight. */
  quiet: { from: string; to: string };
  /** Marketing pushes already sent to this member on the current store-local day. */
  sentToday: number;
  dailyCap: number;
  consent: boolean;
}

export type MarketingPushVerdict =
  | { ok: true }
  | { ok: false; reason: 'no_consent' | 'quiet_hours' | 'daily_cap'; retryAt?: number };

/** When the quiet window containing `at` ends, or null when `at` is outside it. */
function quietEnd(at: number, timeZone: string, quiet: { from: string; to: string }): number | null {
  const from = parseHhmm(quiet.from);
  const to = parseHhmm(quiet.to);
  if (from === null || to === null || from === to) return null;
  const local = localTime(at, timeZone);
  const inside = from < to ? local.minutes >= from && local.minutes < to : local.minutes >= from || local.minutes < to;
  if (!inside) return null;
  // Before `to` the window ends today; after `from` (a window past midnight) it ends tomorrow.
  return zonedEpoch(local.minutes < to ? local : addDays(local, 1), to, timeZone);
}

/**
 * Whether a marketing push may go to a member now. Consent comes first; then the daily
 * cap, whose `retryAt` is the first moment of the next store-local day outside quiet
 * hours; then quiet hours, read in the store's zone, whose `retryAt` is their end.
 */
export function mayPushMarketing(input: MarketingPushInput): MarketingPushVerdict {
  if (!input.consent) return { ok: false, reason: 'no_consent' };
  if (input.sentToday >= input.dailyCap) {
    const midnight = zonedEpoch(addDays(localTime(input.now, input.timeZone), 1), 0, input.timeZone);
    return { ok: false, reason: 'daily_cap', retryAt: quietEnd(midnight, input.timeZone, input.quiet) ?? midnight };
  }
  const end = quietEnd(input.now, input.timeZone, input.quiet);
  return end === null ? { ok: true } : { ok: false, reason: 'quiet_hours', retryAt: end };
}

/**
 * Puts a member in a campaign's holdout (measured, never messaged) or target group.
 * Deterministic per campaign and member, so re-runs and retries agree; `holdoutPercent`
 * may be fractional down to 0.01.
 */
export function holdoutBucket(campaignId: string, memberId: string, holdoutPercent: number): 'holdout' | 'target' {
  const bucket = hash32(`${campaignId}:${memberId}`) % 10_000;
  return bucket < Math.round(holdoutPercent * 100) ? 'holdout' : 'target';
}

/** Whether a member's location lies within `radiusMetres` of a store, boundary included. */
export function withinGeofence(
  member: { lat: number; lng: number },
  store: { lat: number; lng: number },
  radiusMetres: number,
): boolean {
  return distanceMetres(member, store) <= radiusMetres;
}

/**
 * How far a reported position may lie from where Cloudflare's edge places the caller's
 * IP. IP geolocation is coarse (a mobile carrier's address often resolves to its
 * province's hub), so this is a city-scale bound: it stops a report from another city or
 * country, not one from down the street.
 */
export const EDGE_TOLERANCE_METRES = 100_000;

/**
 * Whether a client's reported position is believable against the position the edge
 * derived from its IP. With no edge position (no Cloudflare in front), only
 * `trustUnlocated` (local development) believes the client.
 */
export function reportMatchesEdge(
  reported: { lat: number; lng: number },
  edge: { lat: number; lng: number } | null,
  trustUnlocated: boolean,
): boolean {
  if (!edge) return trustUnlocated;
  return distanceMetres(reported, edge) <= EDGE_TOLERANCE_METRES;
}
