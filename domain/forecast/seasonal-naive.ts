/**
 * Seasonal naive: the value `h` days ahead is the last observed value of the same
 * season slot (for daily data with `season` 7, the same weekday last week). The baseline
 * every other method must beat.
 */
export function seasonalNaive(series: readonly number[], h: number, season = 7): number | null {
  const n = series.length;
  if (h < 1 || n < season) return null;
  // The most recent observation in the target's slot: h steps past the end, whole seasons back.
  const index = n - 1 + h - season * Math.ceil(h / season);
  return series[index] ?? null;
}
