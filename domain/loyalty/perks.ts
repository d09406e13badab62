import { addDays, dateKey, localTime } from '../zoned-time';
import type { DiceFace, LoyaltyRules, Tier } from './rules';

/* Perks and games: birthday week, member day, check-in streaks, the points dice, tags. */

/**
 * Whether `now` falls in the member's birthday week: Monday to Sunday (local time) of
 * the week holding this year's birthday. A 29 February birthday is kept on the 28th in
 * other years. `year` names the perk's period, so a gift is issued once a year.
 */
export function birthdayWeek(birthday: string | null, now: number, timeZone: string): { year: number } | null {
  const m = birthday ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday) : null;
  if (!m) return null;
  const today = localTime(now, timeZone);
  const month = Number(m[2]);
  let day = Number(m[3]);
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (month === 2 && day === 29 && !leap(today.year)) day = 28;
  const bday = addDays({ year: today.year, month, day, weekday: 0 }, 0);
  const monday = addDays(bday, 1 - bday.weekday);
  const sunday = addDays(monday, 6);
  const t = dateKey(today);
  return t >= dateKey(monday) && t <= dateKey(sunday) ? { year: today.year } : null;
}

export function isMemberDay(rules: LoyaltyRules, now: number): boolean {
  return !!rules.memberDay && localTime(now, rules.timeZone).weekday === rules.memberDay.weekday;
}

/**
 * The points multiplier for an order placed at `at`: the tier's, times the larger of the
 * birthday-week and member-day multipliers (they do not compound with each other).
 */
export function earnMultiplier(rules: LoyaltyRules, tier: Tier, at: number, birthday: string | null): number {
  const events = [1];
  if (birthdayWeek(birthday, at, rules.timeZone)) events.push(rules.birthday.pointsMultiplier);
  if (rules.memberDay && isMemberDay(rules, at)) events.push(rules.memberDay.pointsMultiplier);
  return tier.benefits.pointsMultiplier * Math.max(...events);
}

/**
 * Today's check-in: the streak continues from yesterday or starts again at 1, and day N
 * of a streak earns `rewards[N-1]` (the last reward repeats). Null if already checked in.
 */
export function checkIn(
  state: { streak: number; lastDay: string | null },
  today: string,
  rewards: readonly number[],
): { streak: number; points: number } | null {
  if (state.lastDay === today) return null;
  const [y, mo, d] = today.split('-').map(Number) as [number, number, number];
  const yesterday = dateKey(addDays({ year: y, month: mo, day: d, weekday: 0 }, -1));
  const streak = state.lastDay === yesterday ? state.streak + 1 : 1;
  const points = rewards.length ? rewards[Math.min(streak, rewards.length) - 1]! : 0;
  return { streak, points };
}

/** The published odds: each face's chance in percent (two decimals) and the expected points. */
export function diceOdds(faces: readonly DiceFace[]) {
  const total = faces.reduce((s, f) => s + f.weight, 0);
  return {
    faces: faces.map((f) => ({ points: f.points, chancePercent: Math.round((f.weight / total) * 10_000) / 100 })),
    expectedPoints: Math.round((faces.reduce((s, f) => s + f.points * f.weight, 0) / total) * 100) / 100,
  };
}

/** The face a uniform draw `r` in [0, 1) lands on, by weight. */
export function rollDice(faces: readonly DiceFace[], r: number): number {
  const total = faces.reduce((s, f) => s + f.weight, 0);
  let x = r * total;
  for (let i = 0; i < faces.length; i++) {
    x -= faces[i]!.weight;
    if (x < 0) return i;
  }
  return faces.length - 1;
}

/** Menu tags that describe the brand's offer rather than the guest's taste. */
const NOT_A_TASTE = new Set(['signature', 'new', 'value', 'sharing']);

/**
 * Preference tags one order suggests: the dishes' taste tags, the category's name
 * ("milk tea"), spicy options, and "late night" for orders from 21:00 to 04:00.
 */
export function orderTags(
  lines: readonly { tags: readonly string[]; category: string | null; optionNames: readonly string[] }[],
  localHour: number,
): string[] {
  const tags: string[] = [];
  for (const l of lines) {
    for (const t of l.tags) if (!NOT_A_TASTE.has(t) && !t.endsWith('-optional')) tags.push(t.replace(/-/g, ' '));
    if (l.category) tags.push(l.category.toLowerCase());
    if (l.optionNames.some((n) => /辣|spicy|chilli|chili/i.test(n))) tags.push('spicy');
  }
  if (localHour >= 21 || localHour < 4) tags.push('late night');
  return [...new Set(tags)];
}

/** Newest evidence first, at most `max` tags. */
export function mergeTags(existing: readonly string[], learned: readonly string[], max = 8): string[] {
  return [...new Set([...learned, ...existing])].slice(0, max);
}
