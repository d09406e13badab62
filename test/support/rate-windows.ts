/**
 * The rate limiter (`[[ratelimits]]`; miniflare's locally) counts in windows aligned to the
 * wall clock's minutes. A test that fills a window starts with at least `ms` of the minute
 * left, so all of its calls land in one window: a turnover mid-test would let through the
 * call that should be refused (it did, once in a CI run).
 */
export async function roomInWindow(ms = 20_000) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < ms) await new Promise((r) => setTimeout(r, left + 50));
}
