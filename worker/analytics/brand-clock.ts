import { addDays, isoWeekday } from '../../domain/analytics/period';
import { BRAND_TIME_ZONE, offsetMinutes, zonedEpoch } from '../../domain/zoned-time';

/** Brand-wide days (members, points, coupons) are counted in the brand's zone; brands have no zone column yet. */
export { BRAND_TIME_ZONE };

/** The instant the brand's day after `day` starts: members who joined before it count on `day`. */
export function brandDayEnd(day: string): number {
  const next = addDays(day, 1);
  const [year, month, date] = next.split('-').map(Number) as [number, number, number];
  return zonedEpoch({ year, month, day: date, weekday: isoWeekday(next) }, 0, BRAND_TIME_ZONE);
}

/** The brand zone's offset now, in minutes (to file member join instants under brand days). */
export const brandOffsetMinutes = (now = Date.now()) => offsetMinutes(now, BRAND_TIME_ZONE);
