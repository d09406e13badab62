import { HOUR } from '../time';
import { addDays, dateKey, localTime } from '../zoned-time';
import type { ComplaintHit } from './complaint-keywords';

/** A rating at or below this (the order's, a dish's or the server's) asks the manager to follow up. */
export const LOW_RATING = 2;
/** How long a store's manager has to answer a follow-up before it shows as overdue. */
export const FOLLOW_UP_DEADLINE_MS = 24 * HOUR;
/** Photos per review. */
export const MAX_REVIEW_PHOTOS = 6;
/** A review photo is an uploaded file of ours: `/media/r/<32 hex>.<jpg|png|webp>`. */
export const REVIEW_PHOTO_URL = /^\/media\/r\/[0-9a-f]{32}\.(jpg|png|webp)$/;

export type FollowUpReason = 'low_rating' | 'complaint';

/**
 * Why a review needs the manager, or null: a low rating anywhere in it first, else a
 * complaint (the guest said so, or the text holds complaint keywords).
 */
export function followUpReason(r: {
  rating: number;
  dishRatings: readonly number[];
  serverRating: number | null;
  complaint: boolean;
  keywords: readonly unknown[];
}): FollowUpReason | null {
  const ratings = [r.rating, ...r.dishRatings, ...(r.serverRating === null ? [] : [r.serverRating])];
  if (ratings.some((x) => x <= LOW_RATING)) return 'low_rating';
  if (r.complaint || r.keywords.length > 0) return 'complaint';
  return null;
}

export type FollowUpStatus = 'open' | 'answered' | 'resolved';

/** Overdue: due, and nobody has answered the guest yet. */
export const isOverdue = (f: { status: FollowUpStatus; dueAt: number }, now: number) =>
  f.status === 'open' && f.dueAt <= now;

/** The store-local Monday of the week an instant falls in, `YYYY-MM-DD`. */
export function weekOf(epochMs: number, timeZone: string): string {
  const t = localTime(epochMs, timeZone);
  return dateKey(addDays(t, 1 - t.weekday));
}

export interface KeywordCount {
  storeId: string;
  week: string;
  itemId: string | null;
  keyword: string;
  count: number;
}

/** Complaint counts per store, week, dish and keyword: most frequent first within a week. */
export function countComplaints(
  reviews: readonly { storeId: string; week: string; hits: readonly ComplaintHit[] }[],
): KeywordCount[] {
  const counts = new Map<string, KeywordCount>();
  for (const r of reviews) {
    for (const h of r.hits) {
      const key = [r.storeId, r.week, h.itemId ?? '', h.keyword].join('\u0000');
      const c = counts.get(key);
      if (c) c.count++;
      else counts.set(key, { storeId: r.storeId, week: r.week, itemId: h.itemId, keyword: h.keyword, count: 1 });
    }
  }
  return [...counts.values()].sort(compareKeywordCounts);
}

/** Store, then week, then the most frequent first, then keyword and dish. */
export const compareKeywordCounts = (a: KeywordCount, b: KeywordCount) =>
  cmp(a.storeId, b.storeId) ||
  cmp(a.week, b.week) ||
  b.count - a.count ||
  cmp(a.keyword, b.keyword) ||
  cmp(a.itemId ?? '', b.itemId ?? '');

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A dish's average rating as the menu shows it: one decimal. */
export const averageRating = (sum: number, count: number) => (count === 0 ? 0 : Math.round((sum / count) * 10) / 10);
