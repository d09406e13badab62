/** Waits that keep a test's calls inside one wall-clock window: a rate limiter's minute, or the hour a day turns on. */
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Waits, when less than `ms` of the current wall-clock window of `windowMs` is left, for the next. */
async function roomIn(windowMs: number, ms: number) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < ms) await new Promise((r) => setTimeout(r, left + 50));
}

/**
 * The rate limiter (`[[ratelimits]]`; miniflare's locally) counts in windows aligned to the
 * wall clock's minutes. A test that fills a window starts with at least `ms` of the minute
 * left, so all of its calls land in one window: a turnover mid-test would let through the
 * call that should be refused (it did, once in a CI run). A menu item's availability window
 * ("06:00–10:30") opens and closes on a whole minute too, and with it the menu's ETag: a test
 * whose reads must see one menu starts the same way. Room in the minute is room in the hour.
 */
export const roomInWindow = (ms = 20_000) => roomIn(MINUTE, ms);

/**
 * Every day the server counts by turns over on a wall-clock hour: UTC midnight, midnight in
 * Asia/Shanghai (16:00 UTC), a store's business day starting at 04:00 there (20:00 UTC); so
 * do weeks, months and the hour rows of the KPI rollups. A test whose calls must land on one
 * day (a daily cap, "once a day", today's count, its order's hour) starts with at least `ms`
 * of the hour left: a run just before the turnover would otherwise split its calls.
 */
export const roomInHour = (ms = 15_000) => roomIn(HOUR, ms);
