/*
 * Member rates from purchase days, the reference definitions the service's SQL computes in
 * bulk. Day-dedup: a member who ordered twice on one day made one visit that day; at two
 * stores on one day, one visit too (a brand-wide count asks for distinct days).
 */

import { ACTIVE_DAYS, type MemberTotals } from './kpis';
import { memberWindowStart } from './period';

export interface PurchaseDay {
  memberId: string;
  storeId: string;
  day: string;
}

/** Distinct purchase days per member among `rows` whose day lies in `from`…`to` and pass `keep`. */
function daysPerMember(rows: PurchaseDay[], from: string, to: string, keep: (r: PurchaseDay) => boolean) {
  const days = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.day < from || r.day > to || !keep(r)) continue;
    const set = days.get(r.memberId) ?? new Set<string>();
    set.add(r.day);
    days.set(r.memberId, set);
  }
  return days;
}

/**
 * The member figures as of `to`: buyers and repeaters in the 30 days ending `to` at `storeIds`;
 * regulars (≥ 3 distinct days in that window at any store) among `brandMembers`.
 */
export function memberTotals(
  rows: PurchaseDay[],
  to: string,
  storeIds: ReadonlySet<string>,
  brandMembers: number,
): MemberTotals {
  const from = memberWindowStart(to);
  const atStores = daysPerMember(rows, from, to, (r) => storeIds.has(r.storeId));
  const anywhere = daysPerMember(rows, from, to, () => true);
  let repeaters = 0;
  for (const days of atStores.values()) if (days.size >= 2) repeaters++;
  let regulars = 0;
  for (const days of anywhere.values()) if (days.size >= ACTIVE_DAYS) regulars++;
  return { buyers: atStores.size, repeaters, brandMembers, regulars };
}
