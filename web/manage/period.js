// The period and stores a console view shows, read from and written to the address query so
// a link can be shared: `?period=7d&store=sto_a&store=sto_b`, or `?period=custom&from=&to=`.
// Days are store-local business days (`YYYY-MM-DD`), counted in the stores' own time zone.

export const PRESETS = ['yesterday', '7d', '30d', 'month', 'custom'];
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today's date in a time zone, as `YYYY-MM-DD`. */
export function todayIn(timeZone, now = Date.now()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(now),
  );
}

/** `YYYY-MM-DD` plus `days` (calendar arithmetic in UTC, so no daylight-saving surprises). */
export function addDays(day, days) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from, to) {
  const out = [];
  for (let d = from; d <= to && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * The dates a preset covers, given today: complete days end yesterday (so "last 7 days"
 * compares like with like against the 7 before); "this month" runs through today.
 */
export function rangeOf(preset, today) {
  const yesterday = addDays(today, -1);
  if (preset === 'yesterday') return { from: yesterday, to: yesterday };
  if (preset === '30d') return { from: addDays(today, -30), to: yesterday };
  if (preset === 'month') return { from: `${today.slice(0, 8)}01`, to: today };
  return { from: addDays(today, -7), to: yesterday };
}

/** The console's selection from an address query: `{ preset, from, to, storeIds }`. */
export function readSelection(search, today) {
  const q = new URLSearchParams(search);
  const storeIds = [...new Set(q.getAll('store').filter(Boolean))];
  const preset = PRESETS.includes(q.get('period')) ? q.get('period') : '7d';
  if (preset === 'custom') {
    const from = q.get('from') ?? '';
    const to = q.get('to') ?? '';
    if (DATE.test(from) && DATE.test(to) && from <= to) return { preset, from, to, storeIds };
    return { preset: '7d', ...rangeOf('7d', today), storeIds };
  }
  return { preset, ...rangeOf(preset, today), storeIds };
}

/** The address query for a selection (dates only for a custom period: presets follow the calendar). */
export function writeSelection({ preset, from, to, storeIds }) {
  const q = new URLSearchParams();
  q.set('period', preset);
  if (preset === 'custom') {
    q.set('from', from);
    q.set('to', to);
  }
  for (const id of storeIds) q.append('store', id);
  return `?${q}`;
}

/** Why a custom range cannot be asked for, or null when it can (the API takes at most 366 days). */
export function rangeProblem(from, to) {
  if (!DATE.test(from) || !DATE.test(to)) return 'rangeMissing';
  if (from > to) return 'rangeBackwards';
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS > 366) return 'rangeTooLong';
  return null;
}
