/*
 * A campaign's audience: a filter tree over the member's profile (taste tags, spending
 * level, meal scenes, health leaning) and RFM segment. `{ all: [...] }` needs every branch,
 * `{ any: [...] }` one; branches are conditions or one more level of all/any. Pure; the SQL
 * form that issuance runs is `worker/campaigns/audience-sql.ts`, and both read the same way.
 *
 * Consent: profile conditions never match a member without the personalisation consent
 * (they have no profile). Segment conditions still may: RFM segments are computed for every
 * member from order history (their own, older purpose), so an audience built only of
 * segments reaches whom a segment campaign reaches today.
 */
import type { HealthLeaning, MealScene, SpendingLevel } from '../profiles/profile-config';
import type { Segment } from './targeting';

export type AudienceCondition =
  | { tag: string }
  | { spendingLevel: SpendingLevel }
  | { scene: MealScene }
  | { healthLeaning: HealthLeaning }
  | { segment: Segment };

export type AudienceGroup<T> = { all: T[] } | { any: T[] };
export type AudienceBranch = AudienceCondition | AudienceGroup<AudienceCondition>;
export type Audience = AudienceBranch | AudienceGroup<AudienceBranch>;

/** What the matcher knows of a member; `profile` is null without the personalisation consent. */
export interface AudienceFacts {
  profile: {
    tags: readonly string[];
    spendingLevel: SpendingLevel | null;
    scenes: readonly MealScene[];
    healthLeaning: HealthLeaning | null;
  } | null;
  segment: Segment | null;
}

/** Tags are matched as learned: lower case, words separated by one space ("milk-tea" reads "milk tea"). */
export const normalTag = (t: string) =>
  t
    .trim()
    .toLowerCase()
    .replace(/[-_\s]+/g, ' ');

export function matchesAudience(a: Audience, m: AudienceFacts): boolean {
  if ('all' in a) return a.all.every((b) => matchesAudience(b, m));
  if ('any' in a) return a.any.some((b) => matchesAudience(b, m));
  if ('segment' in a) return m.segment === a.segment;
  const p = m.profile;
  if (!p) return false;
  if ('tag' in a) return p.tags.some((t) => normalTag(t) === normalTag(a.tag));
  if ('spendingLevel' in a) return p.spendingLevel === a.spendingLevel;
  if ('scene' in a) return p.scenes.includes(a.scene);
  return p.healthLeaning === a.healthLeaning;
}

/** Whether any condition reads the profile (so the audience needs personalisation consent to match on it). */
export function readsProfile(a: Audience): boolean {
  if ('all' in a) return a.all.some(readsProfile);
  if ('any' in a) return a.any.some(readsProfile);
  return !('segment' in a);
}
