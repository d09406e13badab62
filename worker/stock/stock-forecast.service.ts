import { dayBounds, dayCount, daysFrom, type StoreClock, shiftDay } from '../../domain/analytics/days';
import { overallAccuracy, type PrepForecast, prepForecast, WEEK } from '../../domain/forecast/prep-forecast';
import { openMsBetween, velocity } from '../../domain/forecast/velocity';
import type { WeeklySlot } from '../../domain/schedule';
import { businessDay } from '../../domain/store-settings';
import { isoInZone } from '../../domain/zoned-time';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { db, json } from '../lib/db';
import type { StoreContext } from '../stores/store-gateway';
import { dailyItemUnits, type SoldLine, soldLines } from './stock-sales.reads';

/** History the forecast learns from: eight weeks. */
export const HISTORY_DAYS = 8 * WEEK;
/** How far ahead a forecast may be asked for. */
export const MAX_AHEAD_DAYS = 14;
/** Past same weekdays velocity compares today with. */
const VELOCITY_WEEKS = 4;

const round = (x: number | null, places = 2) => (x === null ? null : Math.round(x * 10 ** places) / 10 ** places);
const errorView = (e: PrepForecast['backtest']['seasonalNaive']) =>
  e && { days: e.days, mae: round(e.mae)!, wape: round(e.wape, 4) };

/**
 * Per dish: velocity today against the same weekday, and the prep for `date` (default
 * tomorrow) by the method with the lower backtest error, with both methods' errors; and the
 * errors over every dish. History is the KPI rollups up to yesterday (today is not over).
 */
export async function stockForecast(env: Env, ctx: StoreContext, date: string | undefined, now = Date.now()) {
  const clock: StoreClock = { timeZone: ctx.store.timeZone, dayStartsAt: ctx.settings.dayStartsAt };
  const today = businessDay(now, clock.timeZone, clock.dayStartsAt);
  const target = date ?? shiftDay(today, 1);
  const ahead = dayCount(today, target);
  if (ahead < 0 || ahead > MAX_AHEAD_DAYS) {
    throw new ApiError(
      422,
      'validation.failed',
      `date must be from today (${today}) to ${MAX_AHEAD_DAYS} days ahead.`,
      {
        errors: [{ path: 'date', message: `must be ${today} … ${shiftDay(today, MAX_AHEAD_DAYS)}` }],
      },
    );
  }
  const lastDay = shiftDay(today, -1);
  const horizon = dayCount(lastDay, target);
  const d = db(env);
  const history = await dailyItemUnits(d, ctx.store.id, shiftDay(lastDay, 1 - HISTORY_DAYS), lastDay);
  const pastWeekdays = Array.from({ length: VELOCITY_WEEKS }, (_, k) => shiftDay(today, -WEEK * (k + 1)));
  const lines = await soldLines(d, ctx.store.id, [today, ...pastWeekdays]);
  const pace = paceOf(lines, clock, json<WeeklySlot[]>(ctx.store.openingHours, []), today, pastWeekdays, now);

  const days = history.firstDay ? daysFrom(history.firstDay, lastDay) : [];
  const ids = new Set([...history.items.keys(), ...pace.names.keys()]);
  const forecasts: PrepForecast[] = [];
  const items = [...ids].sort().map((itemId) => {
    const sold = history.items.get(itemId);
    const series = days.map((day) => sold?.units.get(day) ?? 0);
    const prep = prepForecast(series, horizon);
    if (prep) forecasts.push(prep);
    return {
      itemId,
      name: sold?.name ?? pace.names.get(itemId) ?? itemId,
      velocity: pace.of(itemId),
      suggestion: prep && {
        quantity: prep.quantity,
        forecast: round(prep.forecast, 1)!,
        method: prep.method,
      },
      backtest: prep && {
        seasonalNaive: errorView(prep.backtest.seasonalNaive),
        holtWinters: errorView(prep.backtest.holtWinters),
      },
    };
  });
  const overall = overallAccuracy(forecasts);
  return {
    storeId: ctx.store.id,
    date: target,
    today,
    asOf: isoInZone(now, clock.timeZone),
    history: { from: days[0] ?? null, to: lastDay, days: days.length },
    accuracy: {
      metric: 'mae' as const,
      chosen: errorView(overall.chosen),
      seasonalNaive: errorView(overall.seasonalNaive),
      holtWinters: errorView(overall.holtWinters),
    },
    items,
  };
}

/** Units per dish today and on the past same weekdays up to the same time of day, with their open time. */
function paceOf(lines: SoldLine[], clock: StoreClock, hours: WeeklySlot[], today: string, past: string[], now: number) {
  const elapsed = now - dayBounds(today, clock).start;
  const span = (day: string) => {
    const start = dayBounds(day, clock).start;
    return { start, cutoff: start + elapsed, openMs: openMsBetween(hours, clock.timeZone, start, start + elapsed) };
  };
  const spans = new Map([today, ...past].map((day) => [day, span(day)]));
  const units = new Map<string, number>();
  const names = new Map<string, string>();
  for (const l of lines) {
    const s = spans.get(l.day);
    if (!s || l.at >= s.cutoff) continue;
    const key = `${l.itemId}|${l.day}`;
    units.set(key, (units.get(key) ?? 0) + l.quantity);
    if (l.day === today) names.set(l.itemId, l.name);
  }
  // Past weeks the store traded in (any sale by that time): a week it was closed says nothing.
  const traded = past.filter((day) => lines.some((l) => l.day === day && l.at < spans.get(day)!.cutoff));
  return {
    names,
    of: (itemId: string) => {
      const v = velocity(
        { units: units.get(`${itemId}|${today}`) ?? 0, openMs: spans.get(today)!.openMs },
        traded.map((day) => ({ units: units.get(`${itemId}|${day}`) ?? 0, openMs: spans.get(day)!.openMs })),
      );
      return {
        today: { units: v.today.units, perHour: round(v.today.perHour) },
        sameWeekday: {
          weeks: v.sameWeekday.weeks,
          units: round(v.sameWeekday.units)!,
          perHour: round(v.sameWeekday.perHour),
        },
        ratio: round(v.ratio),
      };
    },
  };
}
