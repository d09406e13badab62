/*
 * Rolling-origin backtest: for each of the last `days` observations, forecast it from the
 * history that ended `h` days before it (the horizon the real forecast has), and measure
 * the errors. MAE picks the method (it stays defined on days with no sales, unlike MAPE);
 * WAPE (Σ|error| / Σ actual) is the accuracy a manager can compare across dishes.
 */

/** Forecasts `h` steps after the end of `history`; null when it cannot. */
export type Forecaster = (history: readonly number[], h: number) => number | null;

export interface BacktestError {
  /** Observations forecast. */
  days: number;
  /** Mean absolute error, in units. */
  mae: number;
  /** Σ|error| / Σ actual; null when nothing sold in the window. */
  wape: number | null;
  /** Σ|error| and Σ actual, so errors of several series add up. */
  absError: number;
  actual: number;
}

/**
 * Errors of a forecaster over the last `days` observations at horizon `h`; null when some
 * observation cannot be forecast (too little history before it).
 */
export function backtest(
  series: readonly number[],
  forecaster: Forecaster,
  h: number,
  days: number,
): BacktestError | null {
  if (days < 1 || series.length - days - h + 1 < 1) return null;
  let absError = 0;
  let actual = 0;
  for (let t = series.length - days; t < series.length; t++) {
    const predicted = forecaster(series.slice(0, t - h + 1), h);
    if (predicted === null) return null;
    absError += Math.abs(series[t]! - Math.max(0, predicted));
    actual += series[t]!;
  }
  return errorOf(absError, actual, days);
}

/** MAE and WAPE from summed errors (one series, or several added). */
export function errorOf(absError: number, actual: number, days: number): BacktestError {
  return { days, mae: days > 0 ? absError / days : 0, wape: actual > 0 ? absError / actual : null, absError, actual };
}

/**
 * The method with the lower backtest MAE; on a tie the first named (list the simpler
 * method first: it should win unless the other is really better).
 */
export function chooseMethod<M extends string>(errors: [M, BacktestError | null][]): M | null {
  let best: [M, BacktestError] | null = null;
  for (const [method, error] of errors) {
    if (error && (!best || error.mae < best[1].mae - 1e-9)) best = [method, error];
  }
  return best?.[0] ?? null;
}
