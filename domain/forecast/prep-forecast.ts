import { type BacktestError, backtest, chooseMethod, errorOf, type Forecaster } from './backtest';
import { fitHoltWinters, holtWinters, holtWintersForecast } from './holt-winters';
import { seasonalNaive } from './seasonal-naive';

/*
 * Tomorrow's prep per dish: seasonal naive and Holt-Winters (additive, weekly season) each
 * backtested on the last two weeks at the real horizon, the lower error chosen per dish.
 */

export type ForecastMethod = 'seasonal_naive' | 'holt_winters';

export const WEEK = 7;
/** Backtest window (days). */
export const BACKTEST_DAYS = 14;

export interface PrepForecast {
  method: ForecastMethod;
  /** The chosen method's forecast for the day (units, never below 0). */
  forecast: number;
  /** Units to prepare: the forecast rounded up. */
  quantity: number;
  backtest: { seasonalNaive: BacktestError | null; holtWinters: BacktestError | null };
}

const naive: Forecaster = (history, h) => seasonalNaive(history, h, WEEK);

/**
 * Holt-Winters with its parameters fitted once on the history before the backtest window,
 * then run with them to each origin: nothing of the window leaks into the parameters.
 */
function holtWintersBacktest(series: readonly number[], h: number, days: number): BacktestError | null {
  const params = fitHoltWinters(series.slice(0, series.length - days - h + 1), WEEK)?.params;
  if (!params) return null;
  return backtest(
    series,
    (history, horizon) => {
      const fit = holtWinters(history, params, WEEK);
      return fit ? holtWintersForecast(fit, horizon) : null;
    },
    h,
    days,
  );
}

/**
 * The forecast `h` days after the last day of a daily series (zeros for days without
 * sales), or null when the series is shorter than a week plus the horizon's reach.
 */
export function prepForecast(series: readonly number[], h: number, days = BACKTEST_DAYS): PrepForecast | null {
  const window = Math.min(days, series.length - WEEK - h + 1);
  const errors = {
    seasonalNaive: window >= 1 ? backtest(series, naive, h, window) : null,
    holtWinters: window >= 1 ? holtWintersBacktest(series, h, window) : null,
  };
  // The simpler method first: it wins a tie.
  const method = chooseMethod<ForecastMethod>([
    ['seasonal_naive', errors.seasonalNaive],
    ['holt_winters', errors.holtWinters],
  ]);
  const fit = method === 'holt_winters' ? fitHoltWinters(series, WEEK) : null;
  const raw = fit ? holtWintersForecast(fit, h) : seasonalNaive(series, h, WEEK);
  if (raw === null) return null;
  const forecast = Math.max(0, raw);
  return {
    method: fit ? 'holt_winters' : 'seasonal_naive',
    forecast,
    // Rounded up (a dish short costs a sale); float noise is not a whole extra unit.
    quantity: Math.max(0, Math.ceil(forecast - 1e-6)),
    backtest: errors,
  };
}

/** Several dishes' errors as one: the chosen method's, and each method's had it been used for all. */
export function overallAccuracy(forecasts: PrepForecast[]) {
  const sum = (pick: (f: PrepForecast) => BacktestError | null) => {
    let absError = 0;
    let actual = 0;
    let days = 0;
    for (const f of forecasts) {
      const e = pick(f);
      if (!e) return null;
      absError += e.absError;
      actual += e.actual;
      days += e.days;
    }
    return days > 0 ? errorOf(absError, actual, days) : null;
  };
  return {
    chosen: sum((f) => (f.method === 'holt_winters' ? f.backtest.holtWinters : f.backtest.seasonalNaive)),
    seasonalNaive: sum((f) => f.backtest.seasonalNaive),
    holtWinters: sum((f) => f.backtest.holtWinters),
  };
}
